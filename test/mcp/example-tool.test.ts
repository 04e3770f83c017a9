/**
 * The example an argument error of call_tool / describe_tools / run_code shows names a tool this
 * session reaches (a model shown a tool calls it), or a placeholder when none is: never the docs'
 * `memory__read_graph` in a session without a memory server.
 */
import { afterEach, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, listUntil, resultText, ROOT, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const open: Connected[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
})

async function serve(servers: Record<string, unknown>): Promise<Connected> {
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers })
  const c = await connectBinary(["serve", "--config", cfg], env)
  open.push(c)
  return c
}

async function errorsOf(c: Connected): Promise<string[]> {
  const out: string[] = []
  for (const name of ["call_tool", "describe_tools", "run_code"]) out.push(resultText(await c.client.callTool({ name, arguments: {} })))
  return out
}

test("argument errors show a reachable tool as their example, not one of a server this session lacks", async () => {
  const c = await serve({ ev: { command: process.execPath, args: [EVERYTHING] } })
  const names = await listUntil(c.client, "ev__echo")
  const texts = await errorsOf(c)
  for (const text of texts) {
    expect(text).not.toContain("memory__")
    const shown = /Example arguments: (.*)/.exec(text)?.[1] ?? ""
    expect(names.some((n) => n.startsWith("ev__") && shown.includes(n))).toBe(true)
  }
}, 30_000)

test("with no tool reachable, the example names a placeholder", async () => {
  const c = await serve({})
  for (const text of await errorsOf(c)) {
    expect(text).not.toContain("memory__")
    expect(text).toContain("<server>__<tool>")
  }
}, 30_000)
