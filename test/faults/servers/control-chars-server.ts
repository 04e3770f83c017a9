/**
 * A raw JSON-RPC stdio server (run with `bun`) that writes raw control characters in its lines, as a
 * hand-written server does when it builds JSON by hand or from C strings:
 * - tools/list: descriptions with a raw tab and a raw NUL in them (not escaped);
 * - tools/call `nul_inside`: a text holding a raw NUL ("a<NUL>b");
 * - tools/call `nul_after`: a NUL after the answer's closing brace (a C string's terminator);
 * - tools/call `cut_short`: an answer line cut off mid-string (no JSON: not to be repaired);
 * - tools/call `with_nan`: an answer holding `NaN` (no JSON);
 * - tools/call `no_jsonrpc`: an answer without `"jsonrpc":"2.0"`;
 * - tools/call `json_log`: first a JSON log line beginning with "result" (no id), then the answer;
 * - anything else: answered right.
 */
import { onStdinLines } from "../../fixtures/servers/stdin-lines.ts"

const NUL = "\u0000"
const TAB = "\t"
const write = (line: string): void => void process.stdout.write(`${line}\n`)
const TOOLS = `[{"name":"nul_inside","description":"a${TAB}tab","inputSchema":{"type":"object"}},{"name":"nul_after","description":"a${NUL}nul","inputSchema":{"type":"object"}},{"name":"fine","description":"fine","inputSchema":{"type":"object"}}${["cut_short", "with_nan", "no_jsonrpc", "json_log"].map((n) => `,{"name":"${n}","inputSchema":{"type":"object"}}`).join("")}]`

onStdinLines((line) => answer(JSON.parse(line) as { id?: number; method?: string; params?: { name?: string } }), { exitOnEnd: true })

function answer(m: { id?: number; method?: string; params?: { name?: string } }): void {
  if (m.id === undefined || m.method === undefined) return
  const head = `{"jsonrpc":"2.0","id":${m.id},`
  if (m.method === "initialize") return write(`${head}"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"control-chars","version":"1"}}}`)
  if (m.method === "tools/list") return write(`${head}"result":{"tools":${TOOLS}}}`)
  if (m.method === "ping") return write(`${head}"result":{}}`)
  if (m.method === "tools/call") {
    const name = m.params?.name
    if (name === "nul_inside") return write(`${head}"result":{"content":[{"type":"text","text":"a${NUL}b"}]}}`)
    if (name === "nul_after") return write(`${head}"result":{"content":[{"type":"text","text":"after"}]}}${NUL}`)
    if (name === "cut_short") return write(`${head}"result":{"content":[{"type":"text","text":"cut`)
    if (name === "with_nan") return write(`${head}"result":{"content":[],"score":NaN}}`)
    if (name === "no_jsonrpc") return write(`{"id":${m.id},"result":{"content":[{"type":"text","text":"no version"}]}}`)
    if (name === "json_log") write(`{"result":"started","level":"info"}`)
    return write(`${head}"result":{"content":[{"type":"text","text":"called ${name}"}]}}`)
  }
  write(`${head}"error":{"code":-32601,"message":"no ${m.method}"}}`)
}
