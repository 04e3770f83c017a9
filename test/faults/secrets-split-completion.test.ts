/**
 * @module test/faults/secrets-split-completion
 * qa338: a configured key cut in two across the values of a `completion/complete` answer (a server
 * completing from a paged env dump): the client lists the values one after the other, and each
 * passed the scan of its own string. Neither part may reach the client, at a cut near the start,
 * the middle and the end of the key. Compiled binary, real SDK Client, raw JSON-RPC downstream
 * (servers/split-echo-server.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "split-echo-server.ts")
// no token shape: only its name (SPLIT_API_KEY) says it is a secret
const KEY = `sk${crypto.randomUUID().replace(/-/g, "").slice(0, 18)}Qz`
const CUTS = [3, Math.floor(KEY.length / 2), KEY.length - 3]

let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const servers = Object.fromEntries(CUTS.map((at) => [`s${at}`, { command: process.execPath, args: [FIXTURE], env: { SPLIT_API_KEY: KEY, SPLIT_AT: String(at) } }]))
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, warm: Object.keys(servers), servers })
  c = await connectBinary(["serve", "--config", cfg], env)
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("a key cut across two values of a completion reaches the client in neither part", async () => {
  const got: Record<string, string[]> = {}
  for (const at of CUTS) {
    const s = `s${at}`
    expect(await listUntil(c.client, `${s}__paged`)).toContain(`${s}__paged`)
    const r = await c.client.complete({ ref: { type: "ref/prompt", name: `${s}__env` }, argument: { name: "page", value: "" } })
    got[s] = r.completion.values
  }
  // each answer carried both values, masked where the key was
  for (const [s, values] of Object.entries(got)) expect({ s, n: values.length, masked: values[0]!.includes("SPLIT_API_KEY=[REDACTED]") && values[1]!.includes("HOME=/home/me") }).toEqual({ s, n: 2, masked: true })
  const parts = [KEY, ...CUTS.flatMap((at) => [KEY.slice(0, at), KEY.slice(at)])].filter((p) => p.length >= 3)
  const leaks = Object.entries(got).flatMap(([s, values]) => parts.filter((p) => values.join("").includes(p)).map((p) => `${s}: ${p}`))
  expect(leaks).toEqual([])
}, 90_000)
