/**
 * Regression (qa68): describe_tools of a tool under a server whose config entry was left out as
 * invalid said "Not reachable here: bad__x (find names with search_tools)", as for a name nobody
 * configured; call_tool already said the entry's problems. It now says the server is not started
 * because its entry is invalid (the entry, file:line, the problem) and what to do. Through the
 * compiled binary with server-memory as the server that runs.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "m.jsonl") } }, bad: { command: "node", colour: "red" } } }, null, 2))
  c = await connectBinary(["serve", "--config", cfg], env)
}, 120_000)
afterAll(async () => {
  await c?.close()
})

test("describe_tools of a left-out server's tool says its entry is invalid, where and why, and what to do", async () => {
  const r = (await c.client.callTool({ name: "describe_tools", arguments: { names: ["bad__anything", "memory__read_graph"] } })) as { content: Array<{ text?: string }>; structuredContent?: { unknown?: string[] } }
  const text = r.content.map((x) => x.text ?? "").join("\n")
  expect(text).toContain("memory__read_graph")
  expect(text).toMatch(/Server bad is not started: its config entry servers\.bad \(.*config\.json:\d+\) is invalid: .*colour.*unknown key/)
  expect(text).toContain("What to do: Fix the keys named")
  expect(text).not.toContain("Not reachable here: bad__anything")
  expect(r.structuredContent?.unknown).toEqual(["bad__anything"])
}, 60_000)
