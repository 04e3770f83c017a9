/**
 * Regression (QA qa43): a multi-line secret configured the way users paste a PEM private key into
 * an env value (`GOOGLE_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nMIIE…\n…"`, JSON `\n` escapes
 * kept literally) was registered only as written: a server that turns the escapes into line breaks
 * (as Google's client libraries do) and prints the key — or one line of it, as a parse error does —
 * had it in its successful results, its error results and the stderr log. Through the compiled
 * binary with the hostile fixture (servers/canary-server.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "canary-server.ts")
/** Random base64 lines, as a key's body is. */
const LINES = Array.from({ length: 3 }, () => Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString("base64"))
const PEM = `-----BEGIN PRIVATE KEY-----\\n${LINES.join("\\n")}\\n-----END PRIVATE KEY-----\\n`

let c: Connected

const leaked = (text: string): string[] => LINES.filter((l) => text.includes(l) || text.includes(JSON.stringify(l).slice(1, -1)))

async function call(name: string, args: Record<string, unknown> = {}): Promise<string> {
  return c.client.callTool({ name, arguments: args }).then(
    (r) => JSON.stringify(r),
    (e: unknown) => `${(e as Error).message} ${JSON.stringify((e as { data?: unknown }).data ?? null)}`,
  )
}

beforeAll(async () => {
  await ensureBuilt()
  const cfg = join(tempDir("mcpo-multiline-"), "config.json")
  // the key under a secret-named variable (what registers it), handed to the fixture under its own name too
  const env = { CANARY_API_KEY: `confQ${crypto.randomUUID().slice(0, 8)}`, GOOGLE_PRIVATE_KEY: PEM, CANARY_PEM: PEM }
  writeFileSync(cfg, JSON.stringify({ log: { level: "debug" }, toolkit: { enabled: "off" }, warm: ["canary"], servers: { canary: { command: process.execPath, args: [FIXTURE, "serve"], env } } }))
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("the key printed with line breaks, or one line of it, is redacted in results, error results and the log", async () => {
  const ok = await call("canary__ok")
  expect(ok).toContain("pem [REDACTED]")
  expect(ok).toContain("line [REDACTED]")
  expect(leaked(ok)).toEqual([])
  for (const answer of [await call("canary__fail"), await call("canary__rpc"), await call("call_tool", { name: "canary__ok", arguments: {} }), await call("run_code", { code: 'return await tools["canary__ok"]({})' })]) {
    expect(answer).toContain("[REDACTED]")
    expect(leaked(answer)).toEqual([])
  }
  await c.close()
  const log = c.stderr()
  expect(log).toContain("canary-server starting")
  expect(leaked(log)).toEqual([])
}, 60_000)
