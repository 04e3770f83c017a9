/**
 * @module test/faults/servers/pipe-holding-server
 * A downstream (raw JSON-RPC over stdio, run with `bun`) whose helper keeps the server's stdout and
 * stderr open after the server is gone, with nothing else tying it to the orchestrator: started as
 * `setsid env -u MCPO_OWNER sh -c 'sleep 300 & …; wait'` (a session of its own, the orchestrator's
 * mark scrubbed from its environment), it inherits the server's stdout and stderr; once the server
 * exits, it is re-parented away (its parent chain no longer leads to the orchestrator's child).
 * Appends "<helper pid> <its sleep's pid>" to `--pid-file` once both run. The server exits on stdin
 * EOF and on a call of its tool `exit` (mid-run).
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs"

const argv = process.argv.slice(2)
const pidFile = argv[argv.indexOf("--pid-file") + 1]!
const before = existsSync(pidFile) ? readFileSync(pidFile, "utf8").length : 0

Bun.spawn(["setsid", "env", "-u", "MCPO_OWNER", "sh", "-c", `sleep 300 & echo "$$ $!" >> "$1"; wait`, "pipe-holder", pidFile], {
  stdin: "ignore",
  stdout: "inherit",
  stderr: "inherit",
})
// the helper is up (it wrote its line) before the server answers anything
while (!(existsSync(pidFile) && readFileSync(pidFile, "utf8").length > before)) await Bun.sleep(10)

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
    const m = JSON.parse(line) as { id?: number | string; method?: string; params?: { protocolVersion?: string; name?: string } }
    if (m.id === undefined || m.method === undefined) continue
    if (m.method === "initialize") {
      send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "pipe-holding", version: "1.0.0" } } })
    } else if (m.method === "tools/list") {
      send({ jsonrpc: "2.0", id: m.id, result: { tools: [{ name: "exit", description: "The server exits (its helper stays)", inputSchema: { type: "object" } }] } })
    } else if (m.method === "tools/call") {
      process.exit(0)
    } else {
      send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } })
    }
  }
})
process.stdin.on("end", () => process.exit(0))
