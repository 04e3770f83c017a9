/**
 * A raw JSON-RPC stdio server (run with `bun`) that writes its protocol messages on stderr, as some
 * do by mistake (a logger set up on stdout's place, `print(..., file=sys.stderr)`): a log line, then
 * each answer as one line on stderr; nothing on stdout. With `STDERR_PRETTY=1` the answers are
 * pretty-printed (several lines each). With `STDERR_ALSO=1` it is a working server that logs each
 * answer on stderr (first), then writes it on stdout.
 */
import { onStdinLines } from "../../fixtures/servers/stdin-lines.ts"

const pretty = process.env.STDERR_PRETTY === "1"
const also = process.env.STDERR_ALSO === "1"
const err = (v: unknown): void => {
  process.stderr.write(`${pretty ? JSON.stringify(v, null, 2) : JSON.stringify(v)}\n`)
  if (also) process.stdout.write(`${JSON.stringify(v)}\n`)
}
process.stderr.write("INFO starting the server\n")

type Msg = { id?: number | string; method?: string }
onStdinLines(
  (line) => {
    const m = JSON.parse(line) as Msg
    if (m.id === undefined || m.method === undefined) return
    if (m.method === "initialize") return err({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "stderr", version: "1" } } })
    err({ jsonrpc: "2.0", id: m.id, result: { tools: [{ name: "t", inputSchema: { type: "object" } }] } })
  },
  { exitOnEnd: true },
)
