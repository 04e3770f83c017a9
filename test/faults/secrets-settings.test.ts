/**
 * Regression (QA qa70): settings whose name holds a secret word without naming a credential —
 * `SORT_KEY=name`, `MAX_TOKENS=128000`, `JWT_ALGORITHM=HS256`, `SESSION_STORE=memory` — had their
 * values registered as secrets, and every answer of every server had them replaced: one server's
 * `SORT_KEY=name` made the `name` property of each tool's schema `[REDACTED]` (server-memory's
 * create_entities could not be called as listed), its descriptions and results lost the words. Through
 * the compiled binary with server-memory (a real npm MCP server); the credential configured next to
 * them (`MEMORY_API_TOKEN`) is still never shown.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const TOKEN = `MemTok${crypto.randomUUID().replace(/-/g, "")}`

let c: Connected
let dir: string

beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir("mcpo-settings-")
  const cfg = join(dir, "config.json")
  const env = { MEMORY_FILE_PATH: join(dir, "memory.jsonl"), SORT_KEY: "name", MAX_TOKENS: "128000", JWT_ALGORITHM: "HS256", SESSION_STORE: "memory", MEMORY_API_TOKEN: TOKEN }
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, warm: ["memory"], servers: { memory: { command: process.execPath, args: [MEMORY], env } } }))
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("a server's settings do not mask the words they hold in tool schemas and results; its token still is masked", async () => {
  const described = JSON.stringify(await c.client.callTool({ name: "describe_tools", arguments: { names: ["memory__create_entities"] } }))
  expect(described).toContain("create_entities")
  expect(described).toContain('\\"name\\"')
  expect(described).not.toContain("[REDACTED]")
  const created = JSON.stringify(
    await c.client.callTool({ name: "call_tool", arguments: { name: "memory__create_entities", arguments: { entities: [{ name: "HS256 memory 128000", entityType: "name", observations: [TOKEN] }] } } }),
  )
  expect(created).toContain("HS256 memory 128000")
  expect(created).toContain('"entityType":"name"')
  // the token the server holds (it wrote it back in its result) is not shown
  expect(created).not.toContain(TOKEN)
  expect(created).toContain("[REDACTED]")
}, 60_000)
