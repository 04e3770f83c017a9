/**
 * call_tool forwards the arguments exactly as the client sent them, like a direct tools/call: an own
 * key named `__proto__` included (a copy through a zod record dropped it). Arguments sent as the
 * JSON text of an object are that object.
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

/** The binary (expose search) over the echo server `e`, whose tool `args` answers the arguments it got as JSON. */
async function withEcho(body: (call: (name: string, args: Record<string, unknown>) => Promise<{ text: string; isError: boolean }>) => Promise<void>): Promise<void> {
  const env = sandboxEnv()
  const server = join(env.HOME!, "echo.cjs")
  writeFileSync(server, ECHO)
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nproxy:\n  expose: search\nservers:\n  e:\n    command: node\n    args: ["${server}"]\n`)
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    await body(async (name, args) => {
      const r = (await c.client.callTool({ name, arguments: args })) as { content: { text: string }[]; isError?: boolean }
      return { text: r.content[0]!.text, isError: r.isError === true }
    })
  } finally {
    await c.close()
  }
}

test("call_tool forwards an own __proto__ key of the arguments as a direct call does", async () => {
  await withEcho(async (call) => {
    const args = JSON.parse('{"__proto__":{"polluted":1},"m":"b"}') as Record<string, unknown>
    const direct = (await call("e__args", args)).text
    expect(JSON.parse(direct)).toEqual(JSON.parse('{"__proto__":{"polluted":1},"m":"b"}'))
    expect(Object.hasOwn(JSON.parse(direct) as object, "__proto__")).toBe(true)
    const through = (await call("call_tool", { name: "e__args", arguments: args })).text
    expect(through).toBe(direct)
  })
}, 60_000)

test("call_tool reads arguments sent as an object's JSON text (a model that encoded them twice) as that object; other text is refused", async () => {
  await withEcho(async (call) => {
    const direct = await call("e__args", { path: "a b", n: [1, 2] })
    const asText = await call("call_tool", { name: "e__args", arguments: JSON.stringify({ path: "a b", n: [1, 2] }) as never })
    expect(asText).toEqual(direct)
    for (const bad of ["[1,2]", "path=a", "{not json"]) {
      const r = await call("call_tool", { name: "e__args", arguments: bad as never })
      expect(r.isError).toBe(true)
      expect(r.text).toContain("arguments must be an object")
    }
  })
}, 60_000)
