/**
 * A raw JSON-RPC stdio server (run with `bun`) that frames its messages oddly, as hand-written
 * servers do:
 * - tools/list: answered with a bare carriage return after it (no line feed), a log notification
 *   glued before it on the same line;
 * - tools/call `glued`: a log notification and the answer on one line, nothing between them;
 * - tools/call `cr_only`: the answer ended by a bare carriage return (classic Mac line endings);
 * - tools/call `no_newline`: the answer with no line break after it (the server then waits);
 * - tools/call `trailing`: two answers' worth on one line: the answer, then noise;
 * - tools/call `echo_back`: the request written back as it came (an echo, not an answer);
 * - anything else: answered right, on its own line.
 * With `--pretty`, every message is answered right but pretty-printed over several lines
 * (`JSON.stringify(m, null, 2)`, as a server logging its messages readably does), CRLF-ended.
 */
import { onStdinLines } from "../../fixtures/servers/stdin-lines.ts"

const PRETTY = process.argv.includes("--pretty")
const out = (s: string): void => void process.stdout.write(PRETTY ? `${JSON.stringify(JSON.parse(s.trim()), null, 2).replaceAll("\n", "\r\n")}\r\n` : s)
const LOG = `{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"glued"}}`
const NAMES = ["glued", "cr_only", "no_newline", "trailing", "echo_back", "fine"]
const TOOLS = JSON.stringify(NAMES.map((name) => ({ name, inputSchema: { type: "object" } })))

onStdinLines((line) => (line.includes('"echo_back"') ? out(`${line}\n`) : answer(JSON.parse(line) as { id?: number; method?: string; params?: { name?: string } })), { exitOnEnd: true })

function answer(m: { id?: number; method?: string; params?: { name?: string } }): void {
  if (m.id === undefined || m.method === undefined) return
  const head = `{"jsonrpc":"2.0","id":${m.id},`
  const text = (t: string): string => `${head}"result":{"content":[{"type":"text","text":"${t}"}]}}`
  if (m.method === "initialize") return out(`${head}"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{},"logging":{}},"serverInfo":{"name":"framing","version":"1"}}}\n`)
  if (m.method === "tools/list" && PRETTY) return out(`${head}"result":{"tools":${TOOLS}}}`)
  if (m.method === "tools/list") return out(`${LOG}${head}"result":{"tools":${TOOLS}}}\r`)
  if (m.method === "ping") return out(`${head}"result":{}}\n`)
  if (m.method !== "tools/call") return out(`${head}"error":{"code":-32601,"message":"no ${m.method}"}}\n`)
  const name = m.params?.name ?? ""
  if (PRETTY) return out(text(`called ${name}`))
  if (name === "glued") return out(`${LOG}${text("glued")}\n`)
  if (name === "cr_only") return out(`${text("cr_only")}\r`)
  if (name === "no_newline") return out(text("no_newline"))
  if (name === "trailing") return out(`${text("trailing")} done.\n`)
  out(`${text(`called ${name}`)}\n`)
}
