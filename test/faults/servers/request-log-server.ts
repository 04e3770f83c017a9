/**
 * @module test/faults/servers/request-log-server
 * A raw JSON-RPC stdio server (run with `bun`) that appends every line it receives to a log file,
 * so a test can prove a request was never written to it. Tools: `echo` (answers its `tag`),
 * `sleep` (answers after `ms`), `crash` (exits 30 ms after the call arrives).
 * Flags: `--log FILE` (required), `--restart-boot MS` with `--marker FILE`: every start after the
 * first (the marker file exists) sleeps MS before it reads stdin — a server that restarts slowly;
 * `--boot MS`: every start sleeps MS first.
 * `--die`: exit 1 at once (a server that never starts).
 * `--hold FILE`: `initialize` is answered only once FILE exists (a start held mid-handshake, for as
 * long as a test needs); `--hold-list FILE`: likewise `tools/list`. `--ignore-eof`: stdin's end
 * does not make it exit (a server that must be signalled).
 */
import { appendFileSync, existsSync, writeFileSync } from "node:fs"
import { createInterface } from "node:readline"

const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

if (argv.includes("--die")) {
  process.stderr.write("request-log-server: told to die\n")
  process.exit(1)
}

const log = flag("--log")!
const marker = flag("--marker")
const restartBoot = Number(flag("--restart-boot") ?? 0)
const boot = Number(flag("--boot") ?? 0)
if (boot > 0) await Bun.sleep(boot)
if (marker) {
  if (existsSync(marker) && restartBoot > 0) await Bun.sleep(restartBoot)
  writeFileSync(marker, "started\n")
}

const tools = [
  { name: "echo", description: "Answer with `tag`", inputSchema: { type: "object", properties: { tag: { type: "string" } } } },
  { name: "sleep", description: "Answer after `ms`", inputSchema: { type: "object", properties: { ms: { type: "number" } } } },
  { name: "crash", description: "Exit mid-call", inputSchema: { type: "object" } },
]

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}

/** Runs `f` once `file` exists (at once when there is no such flag). */
function whenExists(file: string | undefined, f: () => void): void {
  if (file === undefined || existsSync(file)) return f()
  const t = setInterval(() => {
    if (!existsSync(file)) return
    clearInterval(t)
    f()
  }, 20)
}
const hold = flag("--hold")
const holdList = flag("--hold-list")

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  appendFileSync(log, `${process.pid} ${line}\n`)
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: any }
  if (id === undefined || method === undefined) return
  const result = (r: unknown): void => send({ jsonrpc: "2.0", id, result: r })
  if (method === "initialize") return whenExists(hold, () => result({ protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "request-log", version: "1.0.0" } }))
  if (method === "ping") return result({})
  if (method === "tools/list") return whenExists(holdList, () => result({ tools }))
  if (method !== "tools/call") return send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
  const a = params?.arguments ?? {}
  if (params?.name === "echo") return result({ content: [{ type: "text", text: String(a.tag ?? "") }] })
  if (params?.name === "sleep") return void setTimeout(() => result({ content: [{ type: "text", text: "slept" }] }), Number(a.ms ?? 100))
  if (params?.name === "crash") return void setTimeout(() => process.exit(9), 30)
})
if (!argv.includes("--ignore-eof")) rl.on("close", () => process.exit(0))
else setInterval(() => {}, 1 << 30)
