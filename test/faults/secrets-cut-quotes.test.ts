/**
 * @module test/faults/secrets-cut-quotes
 * Downstream text the orchestrator quotes cut short (a stdout noise sample, a batch line with a
 * stray item, a failed first start's stderr, status) never holds a piece of a configured secret: a
 * hostile server (servers/cut-echo-server.ts) puts its API key across every common cut offset of
 * each. Before, the noise sample (`slice(0, 200)`) kept the key's first 12 characters, which no
 * later redaction matches. Compiled binary, real SDK Client, raw downstream.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, listUntil, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "cut-echo-server.ts")
// no token shape: only its name (CUT_API_KEY) says it is a secret
const KEY = `ck${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}Zq`

/** Pieces of KEY (8 characters or more) that `text` holds. */
function pieces(text: string): string[] {
  const found = new Set<string>()
  for (let i = 0; i + 8 <= KEY.length; i++) if (text.includes(KEY.slice(i, i + 8))) found.add(KEY.slice(i, i + 8))
  return [...found]
}

let c: Connected
beforeAll(async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    log: { level: "debug" },
    toolkit: { enabled: "off" },
    warm: ["cut"],
    servers: { cut: { command: process.execPath, args: [FIXTURE], env: { CUT_API_KEY: KEY, CUT_MARK: join(env.HOME!, "mark") } } },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)

afterAll(async () => {
  await c?.close()
})

test("a failed first start's stderr, stdout noise and a batch's stray item are quoted with no piece of the key", async () => {
  expect(await listUntil(c.client, "cut__odd")).toContain("cut__odd")
  const got: Record<string, string> = {}
  got.odd = JSON.stringify(await c.client.callTool({ name: "cut__odd", arguments: {} }))
  expect(got.odd).toContain("odd")
  got.status = JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
  got.log = c.stderr()
  expect(got.log).toContain("non-JSON line")
  const leaks = Object.entries(got).flatMap(([k, v]) => pieces(v).map((p) => `${k}: ${p}`))
  expect(leaks).toEqual([])
}, 60_000)
