/**
 * @module test/faults/secrets-split-requests
 * qa333: a configured key cut in two across the parts of a request a downstream has relayed to the
 * client: two messages of a `sampling/createMessage` (the client's model reads them one after the
 * other) and an elicitation's message and a field's description. Each part passed the scan of its
 * own string; neither part may reach the client. Compiled binary, real SDK Client, raw JSON-RPC
 * downstream (servers/split-echo-server.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { answerText, BIN, connectBinary, ensureBuilt, listUntil, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const FIXTURE = join(import.meta.dir, "servers", "split-echo-server.ts")
// no token shape: only its name (SPLIT_API_KEY) says it is a secret
const KEY = `sk${crypto.randomUUID().replace(/-/g, "").slice(0, 18)}Qz`
const CUTS = [3, Math.floor(KEY.length / 2), KEY.length - 3]

let c: Connected
const asked: Record<string, string[]> = { sampling: [], elicitation: [] }

beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const servers = Object.fromEntries(CUTS.map((at) => [`s${at}`, { command: process.execPath, args: [FIXTURE], env: { SPLIT_API_KEY: KEY, SPLIT_AT: String(at) } }]))
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, warm: Object.keys(servers), servers })
  c = await connectBinary(["serve", "--config", cfg], env, { sampling: {}, elicitation: {} })
  c.client.setRequestHandler(CreateMessageRequestSchema, (r) => {
    asked.sampling!.push(JSON.stringify(r.params))
    return { role: "assistant", model: "test", content: { type: "text", text: "ok" } }
  })
  c.client.setRequestHandler(ElicitRequestSchema, (r) => {
    asked.elicitation!.push(JSON.stringify(r.params))
    return { action: "decline" }
  })
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("a key cut across a relayed sampling request's messages, or an elicitation's message and schema, reaches the client in neither part", async () => {
  for (const at of CUTS) {
    const s = `s${at}`
    expect(await listUntil(c.client, `${s}__sample-split`)).toContain(`${s}__sample-split`)
    expect(await answerText(c.client.callTool({ name: `${s}__sample-split`, arguments: {} }))).toContain("sampled")
    expect(await answerText(c.client.callTool({ name: `${s}__elicit-split`, arguments: {} }))).toContain("elicited")
  }
  expect({ sampling: asked.sampling!.length, elicitation: asked.elicitation!.length }).toEqual({ sampling: CUTS.length, elicitation: CUTS.length })
  // each request carried the page, masked where the key was
  const all = [...asked.sampling!, ...asked.elicitation!]
  expect(all.every((r) => r.includes("SPLIT_API_KEY=") && r.includes("[REDACTED]"))).toBe(true)
  const parts = [KEY, ...CUTS.flatMap((at) => [KEY.slice(0, at), KEY.slice(at)])].filter((p) => p.length >= 3)
  expect(all.flatMap((r) => parts.filter((p) => r.includes(p)))).toEqual([])
}, 90_000)

test("a 2026-07-28 client: the same requests, as input_required's inputRequests, show neither part", async () => {
  const env = sandboxEnv()
  const at = CUTS[1]!
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { s: { command: process.execPath, args: [FIXTURE], env: { SPLIT_API_KEY: KEY, SPLIT_AT: String(at) } } } })
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "ignore", env, cwd: env.HOME })
  const lines: string[] = []
  void (async () => {
    let buf = ""
    const d = new TextDecoder()
    for await (const chunk of p.stdout) {
      buf += d.decode(chunk)
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) (lines.push(buf.slice(0, i)), (buf = buf.slice(i + 1)))
    }
  })()
  try {
    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, sampling: {} } }
    const got: string[] = []
    for (const tool of ["sample-split", "elicit-split"]) {
      p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: tool, method: "tools/call", params: { name: `s__${tool}`, arguments: {}, _meta: meta } }) + "\n")
      void p.stdin.flush()
      const line = await waitFor(`the answer to ${tool}`, () => lines.find((l) => l.includes(`"id":"${tool}"`)), 30_000)
      const answer = JSON.parse(line) as { result?: { resultType?: string; inputRequests?: unknown } }
      expect(answer.result?.resultType).toBe("input_required")
      got.push(JSON.stringify(answer.result?.inputRequests))
    }
    expect(got.every((r) => r.includes("SPLIT_API_KEY=") && r.includes("[REDACTED]"))).toBe(true)
    const parts = [KEY, KEY.slice(0, at), KEY.slice(at)]
    expect(got.flatMap((r) => parts.filter((x) => r.includes(x)))).toEqual([])
  } finally {
    p.kill("SIGTERM")
    await p.exited
  }
}, 90_000)
