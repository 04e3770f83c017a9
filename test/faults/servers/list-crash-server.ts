/**
 * @module test/faults/servers/list-crash-server
 * A downstream that completes the MCP handshake and then dies before it answers `tools/list`, at
 * every start (raw JSON-RPC over stdio, run with `bun`): it answers `initialize` (and `ping`), and
 * exits with code 1 when it reads `tools/list` — a server whose tool listing crashes it (a missing
 * file read lazily, a plugin that throws). `--starts FILE`: each start appends a line to FILE.
 * `--exit-after-init`: exits right after the `initialized` notification instead (before even being
 * asked for its tools). `--close-stdin-after-init MS`: closes its stdin right after `initialized`
 * and exits MS later: a write to it is refused (EPIPE) before its exit can be seen, as for a crash
 * whose exit comes a moment after the pipe broke.
 */
import { appendFileSync, closeSync } from "node:fs"
import { onStdinLines, sendLine } from "../../fixtures/servers/stdin-lines.ts"

const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
const starts = flag("--starts")
if (starts) appendFileSync(starts, `${process.pid}\n`)
const exitAfterInit = argv.includes("--exit-after-init")
const closeStdin = flag("--close-stdin-after-init")

onStdinLines(
  (line) => {
    const m = JSON.parse(line) as { id?: number | string; method?: string; params?: { protocolVersion?: string } }
    if (m.method === "notifications/initialized" && exitAfterInit) {
      process.stderr.write("list-crash-server: exiting after the handshake\n")
      process.exit(1)
    }
    if (m.method === "notifications/initialized" && closeStdin !== undefined) {
      process.stdin.pause()
      process.stdin.removeAllListeners("end")
      closeSync(0)
      setTimeout(() => process.exit(1), Number(closeStdin))
      return
    }
    if (m.id === undefined || m.method === undefined) return
    if (m.method === "initialize") {
      sendLine({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "list-crash", version: "1.0.0" } } })
    } else if (m.method === "ping") {
      sendLine({ jsonrpc: "2.0", id: m.id, result: {} })
    } else if (m.method === "tools/list") {
      process.stderr.write("list-crash-server: crashing on tools/list\n")
      process.exit(1)
    } else {
      sendLine({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } })
    }
  },
  { exitOnEnd: true },
)
