/**
 * `bun scripts/bench/_record-reference-tools.ts`: runs the three npm reference servers
 * (server-everything, server-memory, server-filesystem), lists their tools with the SDK Client and
 * writes them to test/fixtures/tool-defs/<server>.json (the fixtures of `bench search`/`surface`).
 * The other fixtures there were recorded by hand from the servers' public sources.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"

const root = join(import.meta.dir, "..", "..")
const mods = join(root, "node_modules", "@modelcontextprotocol")
const dir = mkdtempSync(join(tmpdir(), "mcpo-fs-"))
const servers: Record<string, string[]> = {
  everything: [join(mods, "server-everything", "dist", "index.js"), "stdio"],
  memory: [join(mods, "server-memory", "dist", "index.js")],
  filesystem: [join(mods, "server-filesystem", "dist", "index.js"), dir],
}
for (const [name, args] of Object.entries(servers)) {
  const transport = new StdioClientTransport({ command: "node", args, stderr: "ignore", env: { PATH: process.env.PATH ?? "", MEMORY_FILE_PATH: join(dir, "memory.jsonl") } })
  const client = new Client({ name: "fixture-recorder", version: "1.0.0" })
  await client.connect(transport)
  const { tools } = await client.listTools()
  await client.close()
  const defs = tools.map((t) => ({
    name: t.name,
    ...(t.title ? { title: t.title } : {}),
    description: t.description ?? "",
    inputSchema: t.inputSchema,
    ...(t.annotations ? { annotations: t.annotations } : {}),
  }))
  writeFileSync(join(root, "test", "fixtures", "tool-defs", `${name}.json`), `${JSON.stringify(defs, null, 2)}\n`)
  console.log(`${name}: ${defs.length} tools`)
}
