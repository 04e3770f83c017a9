/**
 * @module test/faults/servers/big-result
 * A raw JSON-RPC stdio server (run with `bun`) whose `big` tool answers with a large text result,
 * for the memory tests. Arguments of `big`: `mib` (size of the text, default 30), `delayMs` (wait
 * before answering), `layout` ("ts": the TypeScript SDK's `{"result":…,"jsonrpc":"2.0","id":N}`,
 * the default; "py": `{"jsonrpc":"2.0","id":N,"result":…}`; "spaced": neither compact layout;
 * "badutf8": one invalid byte in the text),
 * `unicode` (text of 2-byte characters instead of ASCII). `echo` answers with its message.
 */
export {}

const tools = [
  { name: "big", description: "Answer with a large text", inputSchema: { type: "object", properties: { mib: { type: "number" }, delayMs: { type: "number" } } } },
  { name: "echo", description: "Echo the message", inputSchema: { type: "object", properties: { message: { type: "string" } } } },
]

function out(line: string): void {
  process.stdout.write(line + "\n")
}

function bigText(mib: number, unicode: boolean): string {
  // Varied ASCII (with characters JSON must escape) so the result is not one repeated byte.
  const unit = unicode ? "é→ü€ line ñ\n" : 'row "quoted" \\ tab\t line of text 0123456789\n'
  // sized by its JSON text (escapes included), so the frame is `mib` MiB plus the envelope
  const bytes = Buffer.byteLength(JSON.stringify(unit)) - 2
  return unit.repeat(Math.max(1, Math.floor((mib * 1024 * 1024) / bytes)))
}

function answer(id: number | string, result: unknown, layout: string): void {
  const r = JSON.stringify(result)
  const i = JSON.stringify(id)
  if (layout === "badutf8") {
    // one byte that is not UTF-8 inside the text: the orchestrator cannot forward the bytes as they are
    const line = Buffer.from(`{"result":${r},"jsonrpc":"2.0","id":${i}}\n`)
    line[line.indexOf("line of text")] = 0xff
    process.stdout.write(line)
  } else if (layout === "py") out(`{"jsonrpc":"2.0","id":${i},"result":${r}}`)
  else if (layout === "spaced") out(`{"jsonrpc": "2.0", "id": ${i}, "result": ${r}}`)
  else out(`{"result":${r},"jsonrpc":"2.0","id":${i}}`)
}

async function handle(m: { id?: number | string; method?: string; params?: { name?: string; arguments?: Record<string, unknown> } }): Promise<void> {
  if (m.id === undefined || m.method === undefined) return
  switch (m.method) {
    case "initialize":
      return answer(m.id, { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "big-result", version: "1.0.0" } }, "ts")
    case "tools/list":
      return answer(m.id, { tools }, "ts")
    case "ping":
      return answer(m.id, {}, "ts")
    case "tools/call": {
      const a = m.params?.arguments ?? {}
      if (m.params?.name === "echo") return answer(m.id, { content: [{ type: "text", text: String(a.message ?? "") }] }, "ts")
      const delay = Number(a.delayMs ?? 0)
      if (delay > 0) await Bun.sleep(delay)
      return answer(m.id, { content: [{ type: "text", text: bigText(Number(a.mib ?? 30), a.unicode === true) }] }, String(a.layout ?? "ts"))
    }
    default:
      return out(JSON.stringify({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `no method ${m.method}` } }))
  }
}

let buf = ""
process.stdin.setEncoding("utf8")
process.stdin.on("data", (d: string) => {
  buf += d
  let nl = buf.indexOf("\n")
  while (nl >= 0) {
    const line = buf.slice(0, nl)
    buf = buf.slice(nl + 1)
    if (line.trim()) void handle(JSON.parse(line))
    nl = buf.indexOf("\n")
  }
})
process.stdin.on("end", () => process.exit(0))
