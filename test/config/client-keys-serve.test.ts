/**
 * A server entry pasted from Cline / Roo Code / Gemini CLI serves: its approval list is not used
 * (the client approves), its tool list to hide becomes the entry's deny filter (never dropped, which
 * would show the tools). Before, either key left the whole entry out. server-memory behind the binary.
 */
import { afterAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, listUntil, ROOT, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
let c: Connected | undefined
afterAll(() => c?.close())

test("autoApprove is not used and disabledTools hides its tools: the pasted entry serves", async () => {
  const env = sandboxEnv()
  const mem = { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "m.jsonl") } }
  const cfg = writeConfig(env, {
    toolkit: { enabled: "off" },
    plugins: { enabled: false },
    mcpServers: { mem: { ...mem, autoApprove: ["read_graph"], alwaysAllow: [], disabledTools: ["delete_entities", "delete_relations"] } },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
  const names = await listUntil(c.client, "mem__read_graph")
  expect(names).toContain("mem__read_graph")
  expect(names).toContain("mem__delete_observations")
  expect(names).not.toContain("mem__delete_entities")
  expect(names).not.toContain("mem__delete_relations")
  const refused = await c.client.callTool({ name: "mem__delete_entities", arguments: { entityNames: ["x"] } }).catch((e: Error) => e)
  expect(String(refused)).toContain("hidden by servers.mem.tools.deny")
  expect(c.stderr()).toContain("mcpServers.mem.disabledTools")
}, 30_000)
