/**
 * A secret removed from the config stays redacted while the servers that had it close, however many
 * reloads come meanwhile: a server restarted without its secret takes up to its grace periods to
 * end (stdin EOF, then SIGTERM), and what it says then (debug `downstream stderr`) is still masked
 * after a second reload (a log level raised to look at it) has replaced the running config again.
 * Through the binary and a real SDK client.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const SERVER = join(import.meta.dir, "servers", "term-echo-server.ts")
const SECRET = "harbor-lantern-closing-4417"
const open: Connected[] = []
beforeAll(ensureBuilt, 120_000)
afterAll(async () => {
  for (const c of open) await c.close()
})

test("a secret removed by a reload stays masked in what its closing server logs, after a further reload too", async () => {
  const e = sandboxEnv()
  const cfg = join(e.HOME!, "config.yaml")
  const server = (env: string) => `servers:\n  echo:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(SERVER)}]\n${env}`
  const head = (level: string) => `toolkit: { enabled: "off" }\nreload: { settle: 0 }\nlog: { level: ${level} }\n`
  writeFileSync(cfg, head("debug") + server(`    env: { API_KEY: ${SECRET} }\n`))
  const c = await connectBinary(["serve", "--config", cfg], e)
  open.push(c)
  expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("echo__ping")
  const reloads = (): number => (c.stderr().match(/"msg":"config reloaded"/g) ?? []).length

  // the secret goes: echo restarts, its old process ignores stdin EOF and takes its grace period
  writeFileSync(cfg, head("debug") + server(""))
  await waitFor("the reload that removes the secret", () => reloads() === 1, 20_000)
  // a second edit (settings only) applies at once, while the old process is still closing
  writeFileSync(cfg, head("debug") + "pool: { healthInterval: 60000 }\n" + server(""))
  await waitFor("the second reload", () => reloads() === 2, 20_000)
  // the old process gets SIGTERM and says its secret
  await waitFor("the closing server's last words", () => c.stderr().includes("got SIGTERM"), 20_000)
  expect(c.stderr()).not.toContain(SECRET)
}, 60_000)
