/**
 * call_tool forwards the arguments exactly as the client sent them, like a direct tools/call: an own
 * key named `__proto__` included (a copy through a zod record dropped it).
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const ECHO = `
const rl = require("node:readline").createInterface({ input: process.stdin })
const send = (m) => process.stdout.write(JSON.stringify(m) + "\\n")
rl.on("line", (line) => {
  const { id, method, params } = JSON.parse(line)
  if (id === undefined) return
  if (method === "initialize") send({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "echo", version: "1" } } })
  else if (method === "tools/list") send({ jsonrpc: "2.0", id, result: { tools: [{ name: "args", inputSchema: { type: "object" } }] } })
  else if (method === "tools/call") send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: JSON.stringify(params.arguments) }] } })
  else send({ jsonrpc: "2.0", id, error: { code: -32601, message: "no " + method } })
})
`

test("call_tool forwards an own __proto__ key of the arguments as a direct call does", async () => {
  const env = sandboxEnv()
  const server = join(env.HOME!, "echo.cjs")
  writeFileSync(server, ECHO)
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nproxy:\n  expose: search\nservers:\n  e:\n    command: node\n    args: ["${server}"]\n`)
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const args = JSON.parse('{"__proto__":{"polluted":1},"m":"b"}') as Record<string, unknown>
    const text = (r: unknown): string => ((r as { content: { text: string }[] }).content[0]!.text)
    const direct = text(await c.client.callTool({ name: "e__args", arguments: args }))
    expect(JSON.parse(direct)).toEqual(JSON.parse('{"__proto__":{"polluted":1},"m":"b"}'))
    expect(Object.hasOwn(JSON.parse(direct) as object, "__proto__")).toBe(true)
    const through = text(await c.client.callTool({ name: "call_tool", arguments: { name: "e__args", arguments: args } }))
    expect(through).toBe(direct)
  } finally {
    await c.close()
  }
}, 60_000)
