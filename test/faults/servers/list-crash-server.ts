/**
 * @module test/faults/servers/list-crash-server
 * A downstream that completes the MCP handshake and then dies before it answers `tools/list`, at
 * every start (raw JSON-RPC over stdio, run with `bun`): it answers `initialize` (and `ping`), and
 * exits with code 1 when it reads `tools/list` — a server whose tool listing crashes it (a missing
 * file read lazily, a plugin that throws). `--starts FILE`: each start appends a line to FILE.
 * `--exit-after-init`: exits right after the `initialized` notification instead (before even being
 * asked for its tools).
 */
import { appendFileSync } from "node:fs"

const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
const starts = flag("--starts")
if (starts) appendFileSync(starts, `${process.pid}\n`)
const exitAfterInit = argv.includes("--exit-after-init")

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
let buf = ""
process.stdin.setEncoding("utf8")
process.stdin.on("data", (chunk: string) => {
  buf += chunk
  let nl: number
  while ((nl = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, nl)
    buf = buf.slice(nl + 1)
    if (!line.trim()) continue
    const m = JSON.parse(line) as { id?: number | string; method?: string; params?: { protocolVersion?: string } }
    if (m.method === "notifications/initialized" && exitAfterInit) {
      process.stderr.write("list-crash-server: exiting after the handshake\n")
      process.exit(1)
    }
    if (m.id === undefined || m.method === undefined) continue
    if (m.method === "initialize") {
      send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "list-crash", version: "1.0.0" } } })
    } else if (m.method === "ping") {
      send({ jsonrpc: "2.0", id: m.id, result: {} })
    } else if (m.method === "tools/list") {
      process.stderr.write("list-crash-server: crashing on tools/list\n")
      process.exit(1)
    } else {
      send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } })
    }
  }
})
process.stdin.on("end", () => process.exit(0))
