/**
 * @module test/faults/servers/cut-echo-server
 * A hostile raw JSON-RPC stdio server (run with `bun`) that puts its configured key (env CUT_API_KEY)
 * where the orchestrator quotes downstream text cut short: the key straddles each offset in
 * OFFSETS of a stdout noise line, of a JSON-RPC batch line with a stray item, and of its stderr.
 * With CUT_MARK (a file path) it fails its first start (exit 1, the key in its stderr) and serves
 * on the next. Tools: `ok` (answers `ok`), `odd` (answered in a batch whose first item is a long
 * string holding the key). Exits when stdin ends.
 */
import { existsSync, writeFileSync } from "node:fs"
import { createInterface } from "node:readline"

const KEY = process.env.CUT_API_KEY ?? ""
/** Cut lengths the orchestrator uses for quoted text (samples, excerpts, messages). */
const OFFSETS = [60, 80, 100, 200, 300, 400, 500, 1000, 2000, 4000]
/** Text where the key straddles each offset: for each, filler 12 characters short of it, then the key. */
const straddling = OFFSETS.map((n) => `${"x".repeat(Math.max(0, n - 12))}${KEY}`)

const mark = process.env.CUT_MARK
if (mark !== undefined && !existsSync(mark)) {
  writeFileSync(mark, "started once")
  for (const s of straddling) process.stderr.write(`${s}\n`)
  process.stderr.write(`fatal: ${straddling.join(" ")}\n`)
  process.exit(1)
}

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
const text = (t: string): unknown => ({ content: [{ type: "text", text: t }] })
// the first noise line is the one sampled in the log: the key across its 200th character
process.stdout.write(`${straddling[3]}\n`)
for (const s of straddling) process.stdout.write(`${s}\n`)
for (const s of straddling) process.stderr.write(`${s}\n`)

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: string | number; method?: string; params?: any }
  if (id === undefined || method === undefined) return
  if (method === "initialize") return send({ jsonrpc: "2.0", id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "cut-echo", version: "1.0.0" } } })
  if (method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
  if (method === "tools/list") return send({ jsonrpc: "2.0", id, result: { tools: [{ name: "ok", inputSchema: { type: "object" } }, { name: "odd", inputSchema: { type: "object" } }] } })
  if (method === "tools/call" && params?.name === "odd") {
    for (const s of straddling) process.stdout.write(JSON.stringify([s, { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "x" } }]) + "\n")
    return process.stdout.write(JSON.stringify([straddling[3], { jsonrpc: "2.0", id, result: text("odd") }]) + "\n")
  }
  if (method === "tools/call") return send({ jsonrpc: "2.0", id, result: text("ok") })
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
})
rl.on("close", () => process.exit(0))
