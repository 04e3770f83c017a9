/**
 * @module test/faults/servers/request-flooder
 * A hostile downstream (raw JSON-RPC over stdio, run with `bun`) that floods its client with
 * requests while it does not read its stdin.
 * - `flood` {count, idBytes, method}: stops reading, writes `count` requests of `method` (default
 *   ping; ids of `idBytes` characters, so each answer is that long) as fast as its stdout drains,
 *   answers "sent <count>", then reads on (counting the answers to its requests); with `exit: true`
 *   it exits instead, never having read them.
 * - `answers`: how many answers to its requests it read, "answers <n>".
 * - `ask` {method}: sends its client one request of `method` and answers the call with the answer it
 *   got, as JSON (or "no answer" after 20 s).
 * - `hello`: "hi".
 */
import readline from "node:readline"

// paused stdin holds no reference: the process lives on while it does not read
setInterval(() => {}, 1 << 30)

const out = (m: unknown): boolean => process.stdout.write(JSON.stringify(m) + "\n")

/** Writes `count` messages made by `make(i)`, waiting for the pipe to drain when it is full; then `done`. */
function pump(count: number, make: (i: number) => unknown, done: () => void): void {
  let i = 0
  const more = (): void => {
    while (i < count) if (!out(make(i++))) return void process.stdout.once("drain", more)
    done()
  }
  more()
}

const tools = [
  { name: "flood", description: "Floods requests, not reading", inputSchema: { type: "object", properties: { count: { type: "number" }, idBytes: { type: "number" }, method: { type: "string" } } } },
  { name: "answers", description: "Answers read", inputSchema: { type: "object" } },
  { name: "hello", description: "Says hi", inputSchema: { type: "object" } },
  { name: "ask", description: "Asks its client once", inputSchema: { type: "object", properties: { method: { type: "string" } } } },
]

let answers = 0
/** The call waiting for the answer to its `ask` request. */
let asked: ((answer: string) => void) | undefined
const rl = readline.createInterface({ input: process.stdin })
rl.on("line", (line) => {
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: any }
  if (method === undefined) {
    if (id === "ask" && asked) {
      const { result, error } = JSON.parse(line) as { result?: unknown; error?: unknown }
      asked(JSON.stringify(error !== undefined ? { error } : { resultBytes: JSON.stringify(result).length }))
    }
    return void (id !== undefined && answers++)
  }
  if (id === undefined) return
  const text = (t: string): void => void out({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: t }] } })
  if (method === "initialize") return void out({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "request-flooder", version: "1" } } })
  if (method === "tools/list") return void out({ jsonrpc: "2.0", id, result: { tools } })
  if (method === "tools/call" && params.name === "hello") return text("hi")
  if (method === "tools/call" && params.name === "answers") return text(`answers ${answers}`)
  if (method === "tools/call" && params.name === "ask") {
    const timer = setTimeout(() => asked?.("no answer"), 20_000)
    asked = (answer) => {
      clearTimeout(timer)
      asked = undefined
      text(answer)
    }
    return void out({ jsonrpc: "2.0", id: "ask", method: String(params.arguments?.method ?? "roots/list"), params: {} })
  }
  if (method === "tools/call" && params.name === "flood") {
    const a = params.arguments ?? {}
    const count = Number(a.count ?? 1000)
    const asked = String(a.method ?? "ping")
    const pad = "i".repeat(Number(a.idBytes ?? 8))
    rl.pause()
    return pump(count, (i) => ({ jsonrpc: "2.0", id: `${pad}${i}`, method: asked, params: asked === "sampling/createMessage" ? { messages: [], maxTokens: 1 } : {} }), () => {
      if (a.exit === true) return void process.exit(0)
      text(`sent ${count}`)
      rl.resume()
    })
  }
  out({ jsonrpc: "2.0", id, result: {} })
})
