/**
 * @module test/faults/servers/stubborn-server
 * A downstream that will not die politely (raw JSON-RPC over stdio, run with `bun`): it ignores
 * SIGTERM, SIGINT, SIGHUP and stdin EOF, starts a grandchild (`sleep`) in its own process group, and
 * appends "<pid> <grandchild pid>" to `--pid-file` as soon as it starts. Only SIGKILL ends it.
 * Tool `hang` never answers (a call in flight at shutdown). `--slow-boot MS` delays its answers.
 * `--signals FILE`: each signal it gets (and ignores) is appended to FILE, one name a line.
 * `--calls FILE`: the name of each tool called is appended to FILE, one a line, as the call arrives.
 */
import { appendFileSync } from "node:fs"

const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

const signals = flag("--signals")
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(sig, () => void (signals && appendFileSync(signals, `${sig}\n`)))
const grandchild = Bun.spawn(["sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
const pidFile = flag("--pid-file")
if (pidFile) appendFileSync(pidFile, `${process.pid} ${grandchild.pid}\n`)
const calls = flag("--calls")
const slowBoot = Number(flag("--slow-boot") ?? 0)
// Keeps running after stdin ends.
setInterval(() => {}, 60_000)

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
let buf = ""
process.stdin.setEncoding("utf8")
process.stdin.on("data", async (chunk: string) => {
  buf += chunk
  let nl: number
  while ((nl = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, nl)
    buf = buf.slice(nl + 1)
    if (!line.trim()) continue
    const m = JSON.parse(line) as { id?: number | string; method?: string; params?: { protocolVersion?: string } }
    if (m.id === undefined || m.method === undefined) continue
    if (slowBoot > 0) await Bun.sleep(slowBoot)
    if (m.method === "initialize") {
      send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "stubborn", version: "1.0.0" } } })
    } else if (m.method === "tools/list") {
      send({ jsonrpc: "2.0", id: m.id, result: { tools: [{ name: "hang", description: "Never answers", inputSchema: { type: "object" } }] } })
    } else if (m.method === "ping") {
      send({ jsonrpc: "2.0", id: m.id, result: {} })
    } else if (m.method === "tools/call") {
      // never answered
      if (calls) appendFileSync(calls, `${(m.params as { name?: string } | undefined)?.name}\n`)
    } else {
      send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } })
    }
  }
})
process.stdin.on("end", () => {})
