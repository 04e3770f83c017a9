/**
 * @module test/faults/servers/costly-list-server
 * A hostile downstream (raw JSON-RPC over stdio, run with `bun`) whose one tool has a schema of
 * `--props` properties (1 600 by default: ≈ 210 KB, under catalog/validate's MAX_SCHEMA_BYTES and
 * about 17 times the largest real tool's definition; several such tools cost what one larger would)
 * and whose description changes at each tools/list (each relist is a new definition to check, pin
 * and store). Its tool `churn` {count} sends `count` `notifications/tools/list_changed`; `listed`
 * answers how many tools/list requests it has had.
 */
import readline from "node:readline"

const flag = process.argv.indexOf("--props")
const props = flag > 0 ? Number(process.argv[flag + 1]) : 1600
const properties: Record<string, unknown> = {}
for (let i = 0; i < props; i++) properties[`p${i}`] = { type: "string", description: "x".repeat(100) }
let listed = 0
const out = (m: unknown): boolean => process.stdout.write(JSON.stringify(m) + "\n")

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method: string; params?: any }
  if (id === undefined) return
  const result = (r: unknown): void => void out({ jsonrpc: "2.0", id, result: r })
  if (method === "initialize") return result({ protocolVersion: params.protocolVersion, capabilities: { tools: { listChanged: true } }, serverInfo: { name: "costly-list", version: "1" } })
  if (method === "tools/list") {
    listed++
    return result({
      tools: [
        { name: "big", description: `version ${listed}`, inputSchema: { type: "object", properties } },
        { name: "churn", inputSchema: { type: "object", properties: { count: { type: "number" } } } },
        { name: "listed", inputSchema: { type: "object" } },
      ],
    })
  }
  if (method === "tools/call" && params.name === "churn") {
    for (let i = 0; i < Number(params.arguments?.count ?? 1); i++) out({ jsonrpc: "2.0", method: "notifications/tools/list_changed" })
    return result({ content: [{ type: "text", text: "churned" }] })
  }
  if (method === "tools/call" && params.name === "listed") return result({ content: [{ type: "text", text: String(listed) }] })
  if (method === "tools/call") return result({ content: [{ type: "text", text: "ok" }] })
  result({})
})
