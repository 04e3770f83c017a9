/**
 * A stdio server whose start waits for a browser sign-in (mcp-remote to a remote that wants OAuth)
 * fails its start saying so and what to do (sign in once by hand, or a `url` entry with `auth
 * login`), not "check the server's command and environment". pool/sign-in-hint on its wording, and
 * a real start through the pool on a fixture that prints what mcp-remote prints and waits.
 */
import { afterEach, expect, test } from "bun:test"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"
import { signInHint } from "../../src/pool/sign-in-hint.ts"
import { stderrReason } from "../../src/pool/stderr-reason.ts"

const SERVER = join(import.meta.dir, "..", "fixtures", "servers", "sign-in-wait-server.ts")
let pool: Pool | undefined

afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

test("the wording of servers that wait for a sign-in is recognised; other failures naming a URL are not", () => {
  const remote = "Please authorize this client by visiting:\nhttps://mcp.linear.app/authorize?response_type=code&client_id=abc\n[9] Waiting for authorization..."
  expect(signInHint(stderrReason(remote), "linear")?.remedy).toContain("servers.linear.url")
  expect(signInHint("Open this URL to sign in: https://accounts.example.com/o/oauth2/auth?x=1", "g")?.text).toContain("waits for a sign-in in a browser")
  for (const other of ["Error: GITHUB_TOKEN is required", "[1] Connection error: TypeError: fetch failed https://api.example.com/mcp", "Server listening on http://localhost:3000", "Waiting for authorization (no address given)"]) {
    expect(signInHint(other, "x")).toBeUndefined()
  }
})

test("a start waiting for a sign-in fails at its connect budget with that reason and remedy", async () => {
  const config = ConfigSchema.parse({ pool: { connectTimeout: "1500ms", restartDelay: "10m" } })
  pool = new Pool({ config, log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200 })
  const session = pool.add({ name: "linear", source: "config", spec: { command: process.execPath, args: [SERVER] } } as never)
  const e = (await session.ensure().then(
    () => undefined,
    (x: unknown) => x,
  )) as { message: string; remedy?: string }
  expect(e.message).toContain("Please authorize this client by visiting")
  expect(e.message).toContain("waits for a sign-in in a browser")
  expect(e.remedy).toContain("run servers.linear's command by hand")
  expect(e.remedy).toContain("mcp-orchestrator auth login linear")
}, 30_000)

test("it is not restarted with backoff (each restart opened another browser tab): it waits, and the next call tries again", async () => {
  // a connect budget long enough for the fixture to print its sign-in text on a loaded machine (a
  // start cut before it was printed is an ordinary failure, restarted with backoff)
  const config = ConfigSchema.parse({ pool: { connectTimeout: "4s", restartDelay: "50ms", restartDelayMax: "100ms" } })
  pool = new Pool({ config, log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200 })
  const dir = mkdtempSync(join(tmpdir(), "sign-in-"))
  const starts = join(dir, "starts")
  const session = pool.add({ name: "linear", source: "config", spec: { command: process.execPath, args: [SERVER], env: { SIGN_IN_STARTS: starts } } } as never)
  await session.ensure().catch(() => undefined)
  expect(session.state).toBe("failed")
  expect(session.lastRemedy).toContain("run servers.linear's command by hand")
  // many restart delays later: still the one start (before, a start every 50–100 ms until the breaker opened)
  await Bun.sleep(1500)
  expect(readFileSync(starts, "utf8").trim().split("\n")).toHaveLength(1)
  // a call tries again (the user may have signed in meanwhile): one more start
  await session.ensure().catch(() => undefined)
  expect(readFileSync(starts, "utf8").trim().split("\n")).toHaveLength(2)
}, 30_000)

