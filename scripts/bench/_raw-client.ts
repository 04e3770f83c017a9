/**
 * A bare JSON-RPC client over a child's stdio for the benches: writes one request line and times
 * until its answer line has fully arrived, without parsing or validating it (the SDK `Client` spends
 * tens of ms validating a 5 000-tool list, which would hide the server's own answer time). The
 * answer line is returned as text; parse it only where the content matters.
 */
import type { Subprocess } from "bun"

/** At most this many stderr lines are kept (oldest dropped): a long bench cannot grow it without bound. */
const MAX_LOG_LINES = 1000

const INIT = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } }

export class RawClient {
  private buf = ""
  private readonly dec = new TextDecoder()
  private readonly reader: { read(): Promise<{ value?: Uint8Array; done: boolean }> }
  private nextId = 1
  /** Notification lines received (e.g. list_changed), oldest first. */
  readonly notes: string[] = []
  /** The child's stderr lines matching `logs` given to start (its log lines), oldest first; bounded. */
  readonly logs: string[] = []

  private constructor(readonly proc: Subprocess<"pipe", "pipe", "pipe" | "ignore">) {
    this.reader = (proc.stdout as ReadableStream<Uint8Array>).getReader() as ReadableStreamDefaultReader<Uint8Array>
  }

  /** `logs`: keep the child's stderr lines that match it (stderr is ignored without it). */
  static async start(cmd: string[], env: Record<string, string>, cwd?: string, logs?: RegExp): Promise<RawClient> {
    const proc = Bun.spawn(cmd, { stdin: "pipe", stdout: "pipe", stderr: logs ? "pipe" : "ignore", env, ...(cwd ? { cwd } : {}) })
    const c = new RawClient(proc)
    if (logs) void c.readLogs(proc.stderr as ReadableStream<Uint8Array>, logs)
    await c.request("initialize", INIT)
    c.notify("notifications/initialized")
    return c
  }

  get pid(): number {
    return this.proc.pid
  }

  notify(method: string, params?: unknown): void {
    this.proc.stdin.write(JSON.stringify(params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params }) + "\n")
    this.proc.stdin.flush()
  }

  /** Sends a request; resolves with its answer line and the ms from write to the answer's last byte. */
  async request(method: string, params?: unknown): Promise<{ line: string; ms: number }> {
    const id = this.nextId++
    const t0 = performance.now()
    this.proc.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }) + "\n")
    this.proc.stdin.flush()
    for (;;) {
      const line = await this.line()
      if (line.startsWith('{"method"') || line.startsWith('{"jsonrpc":"2.0","method"')) {
        this.notes.push(line)
        continue
      }
      // answers are written `{"result":…,"jsonrpc":"2.0","id":N}` or `{"jsonrpc":"2.0","id":N,…}`
      if (line.endsWith(`"id":${id}}`) || line.startsWith(`{"jsonrpc":"2.0","id":${id},`)) return { line, ms: performance.now() - t0 }
    }
  }

  /** Waits for the next notification line with `method` (already received ones count). */
  async notification(method: string): Promise<number> {
    for (;;) {
      const i = this.notes.findIndex((n) => n.includes(`"method":"${method}"`))
      if (i >= 0) {
        this.notes.splice(i, 1)
        return performance.now()
      }
      const line = await this.line()
      if (line.includes('"method"') && !line.includes('"result"')) this.notes.push(line)
    }
  }

  /** The next line; only each new chunk is searched for the line break (a 5 MB answer arrives in many). */
  private async line(): Promise<string> {
    let nl = this.buf.indexOf("\n")
    if (nl < 0) {
      const parts = [this.buf]
      for (;;) {
        const { value, done } = await this.reader.read()
        if (done) throw new Error("the server closed its stdout")
        const text = this.dec.decode(value, { stream: true })
        parts.push(text)
        const at = text.indexOf("\n")
        if (at >= 0) {
          this.buf = parts.join("")
          nl = this.buf.length - text.length + at
          break
        }
      }
    }
    const line = this.buf.slice(0, nl)
    this.buf = this.buf.slice(nl + 1)
    return line
  }

  /** Drains stderr (a full pipe would block the child), keeping the matching lines. */
  private async readLogs(stderr: ReadableStream<Uint8Array>, keep: RegExp): Promise<void> {
    const dec = new TextDecoder()
    let rest = ""
    for await (const chunk of stderr) {
      const lines = (rest + dec.decode(chunk, { stream: true })).split("\n")
      rest = lines.pop() ?? ""
      if (rest.length > 1 << 20) rest = "" // not a log line: do not hold it
      for (const l of lines) {
        if (!keep.test(l)) continue
        this.logs.push(l)
        if (this.logs.length > MAX_LOG_LINES) this.logs.shift()
      }
    }
  }

  async close(): Promise<void> {
    this.proc.stdin.end()
    const t = setTimeout(() => this.proc.kill(), 5000)
    await this.proc.exited
    clearTimeout(t)
  }
}

/** The number of tools in a tools/list answer line whose names match `re` (parses the line). */
export function countTools(line: string, re = /./): number {
  const m = JSON.parse(line) as { result?: { tools?: { name: string }[] } }
  return (m.result?.tools ?? []).filter((t) => re.test(t.name)).length
}
