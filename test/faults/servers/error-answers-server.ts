/**
 * @module test/faults/servers/error-answers-server
 * A raw JSON-RPC stdio server (run with `bun`) whose `tools/call` answers are hostile JSON-RPC
 * errors, one tool each: `huge_data` (data a 4 MB string), `wide_data` (data an object of 200 000
 * keys), `deep_data` (data nested 200 000 levels), `secret_data` (message and data holding
 * `GITHUB_TOKEN=…` and the value of env `R3_SECRET`), `float_code` (code 1.5), `big_code` (code
 * 1e300), `string_code` (code "oops"), `object_message` (message an object); `ok` answers well.
 * `huge_progress` sends, under the call's progress token, a progress notification with a 1 MB
 * message and a 1 MB field of its own, then one whose progress is "x", then answers. `huge_logger`
 * sends a log message whose level is 1 MB, then one whose logger name is 1 MB, then answers.
 * `--name NAME` names it in its texts (default `r3`). `--mode` spoils its start: `init-error` answers
 * initialize with an error whose message is 2 MB, `list-error` answers tools/list so,
 * `big-version` answers initialize with a protocolVersion of 1 MB, `big-info` with a serverInfo
 * name and version of 100 000 characters each (and serves its tools).
 */
import { createInterface } from "node:readline"

const argv = process.argv.slice(2)
const i = argv.indexOf("--name")
const name = i >= 0 ? argv[i + 1]! : "r3"
const m = argv.indexOf("--mode")
const mode = m >= 0 ? argv[m + 1]! : "plain"
const BIG = "M".repeat(2 * 1024 * 1024)
const secret = process.env.R3_SECRET ?? "no-secret"

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}
function sendRaw(line: string): void {
  process.stdout.write(line + "\n")
}

const TOOLS = ["huge_logger", "huge_progress", "huge_data", "wide_data", "deep_data", "secret_data", "float_code", "big_code", "string_code", "object_message", "ok"]
const TOKEN = "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789"

function call(id: string | number, tool: string, params: Record<string, unknown>): void {
  const err = (error: unknown) => send({ jsonrpc: "2.0", id, error })
  switch (tool) {
    case "huge_logger":
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "X".repeat(1024 * 1024), data: "no level" } })
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "WARN", data: "warned" } })
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "error", logger: "L".repeat(1024 * 1024), data: "logged" } })
      return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "logged" }] } })
    case "huge_progress": {
      const progressToken = (params._meta as { progressToken?: unknown } | undefined)?.progressToken
      send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken, progress: 1, total: 2, message: "P".repeat(1024 * 1024), junk: "J".repeat(1024 * 1024) } })
      send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken, progress: "x" } })
      // answered a moment later, as a call that reports progress is: what is checked is the progress
      // relayed, not the race of a result right behind it (an SDK client reading both in one chunk
      // drops the progress; the proxy's AFTER_PROGRESS_MS spacing was too little on a loaded machine)
      return void setTimeout(() => send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "progressed" }] } }), 200)
    }
    case "huge_data":
      return err({ code: -32000, message: "huge data", data: "D".repeat(4 * 1024 * 1024) })
    case "wide_data":
      return err({ code: -32000, message: "wide data", data: Object.fromEntries(Array.from({ length: 200_000 }, (_, n) => [`k${n}`, n])) })
    case "deep_data":
      return sendRaw(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":{"code":-32000,"message":"deep data","data":${"[".repeat(200_000)}${"]".repeat(200_000)}}}`)
    case "secret_data":
      return err({ code: -32000, message: `failed with ${TOKEN} and ${secret}`, data: { env: TOKEN, key: secret } })
    case "float_code":
      return err({ code: 1.5, message: "a float code" })
    case "big_code":
      return sendRaw(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":{"code":1e300,"message":"a big code"}}`)
    case "string_code":
      return err({ code: "oops", message: "a string code" })
    case "object_message":
      return err({ code: -32000, message: { text: "an object message" } })
    default:
      return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `ok from ${name}` }] } })
  }
}

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: string | number; method?: string; params?: Record<string, unknown> }
  if (id === undefined || method === undefined) return
  const ok = (result: unknown) => send({ jsonrpc: "2.0", id, result })
  if (method === "logging/setLevel") return ok({})
  if (method === "initialize") {
    if (mode === "init-error") return send({ jsonrpc: "2.0", id, error: { code: -32000, message: `init refused ${BIG}` } })
    const protocolVersion = mode === "big-version" ? "V".repeat(1024 * 1024) : params!.protocolVersion
    const serverInfo = mode === "big-info" ? { name: "N".repeat(100_000), version: "W".repeat(100_000) } : { name: "error-answers-server", version: "1.0.0" }
    return ok({ protocolVersion, capabilities: { tools: {}, logging: {} }, serverInfo })
  }
  if (method === "tools/list" && mode === "list-error") return send({ jsonrpc: "2.0", id, error: { code: -32000, message: `list refused ${BIG}` } })
  if (method === "ping") return ok({})
  if (method === "tools/list") return ok({ tools: TOOLS.map((t) => ({ name: t, inputSchema: { type: "object" } })) })
  if (method === "tools/call") return call(id, String(params!.name), params!)
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } })
})
