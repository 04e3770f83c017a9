/**
 * A downstream that floods notifications (test/faults/servers/notification-flooder.ts, a real
 * process), driven through the binary over stdio by a raw line client (every line is seen, in the
 * order written: the SDK Client may drop a progress that arrives in the same read as its result).
 * - Progress of one call is coalesced: 30 000 reports sent as fast as the pipe takes them reach the
 *   client as a few dozen, in order, the last one (the downstream's last) before the result.
 *   Before, every one of them was relayed (≈ 65 000 a second, ~150 MB for QA's flooder).
 * - The same over Streamable HTTP, legacy session and 2026-07-28 request alike (the call's SSE stream).
 * - A client that stops reading: log messages of 60 KB each stop being written once its backlog is
 *   over 1 MiB (before: 100 a second, queued in memory without bound); the answer still comes, and
 *   a warning counts what was dropped.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv, startHttpBinary } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"
import { BUN } from "../proxy/helpers.ts"

const FLOODER = join(import.meta.dir, "servers", "notification-flooder.ts")

interface Line {
  id?: number | string
  method?: string
  params?: Record<string, any>
  result?: { content: { text: string }[] }
}

/** The binary over stdio with the flooder as server `f`; stdout is read only once `reading()` is called. */
async function start(): Promise<{ p: ChildProcessWithoutNullStreams; send: (m: unknown) => void; reading: () => Line[]; stderr: () => string }> {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "c.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { f: { command: BUN, args: [FLOODER] } } }))
  const p = spawn(BIN, ["serve", "--config", cfg], { env, cwd: env.HOME, stdio: ["pipe", "pipe", "pipe"] })
  let err = ""
  p.stderr.on("data", (d: Buffer) => (err += d.toString()))
  const lines: Line[] = []
  let rest = ""
  return {
    p,
    send: (m) => void p.stdin.write(JSON.stringify(m) + "\n"),
    reading: () => {
      p.stdout.on("data", (d: Buffer) => {
        const parts = (rest + d.toString()).split("\n")
        rest = parts.pop()!
        for (const l of parts) if (l) lines.push(JSON.parse(l) as Line)
      })
      return lines
    },
    stderr: () => err,
  }
}

const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" }

let running: { kill(signal: NodeJS.Signals): unknown } | undefined
afterEach(() => {
  running?.kill("SIGKILL")
  running = undefined
})

/** The progress of `lines` before the answer `id` (which must be there), checked: coalesced, in order, the downstream's last one last. */
function expectCoalesced(lines: Line[], id: number | string, token: string | number): void {
  const at = lines.findIndex((l) => l.id === id)
  expect(at).toBeGreaterThan(0)
  expect(lines[at]!.result!.content[0]!.text).toBe("sent 30000")
  const progress = lines.slice(0, at).filter((l) => l.method === "notifications/progress")
  // a burst, then about 20 a second: far fewer than sent, whatever the machine's speed
  expect(progress.length).toBeGreaterThan(1)
  expect(progress.length).toBeLessThan(1000)
  const values = progress.map((l) => l.params!.progress as number)
  expect(values).toEqual([...values].sort((a, b) => a - b))
  expect(new Set(values).size).toBe(values.length)
  expect(values.at(-1)).toBe(29_999)
  expect(progress.every((l) => l.params!.progressToken === token && l.params!.message === "m".repeat(200))).toBe(true)
  // nothing of that call after its answer
  expect(lines.slice(at + 1).filter((l) => l.method === "notifications/progress")).toEqual([])
}

/** The JSON-RPC messages of an SSE body (the whole of it: a call's stream ends with its answer). */
async function sse(res: Response): Promise<Line[]> {
  expect(res.headers.get("content-type")).toContain("text/event-stream")
  return (await res.text())
    .split("\n")
    .filter((l) => l.startsWith("data: ") && l.length > 6)
    .map((l) => JSON.parse(l.slice(6)) as Line)
}

describe("a downstream that floods notifications", () => {
  test("30 000 progress reports of one call reach the client coalesced, in order, the last one before the result", async () => {
    const s = await start()
    running = s.p
    const lines = s.reading()
    s.send(INIT)
    await waitFor("initialize answer", () => lines.some((l) => l.id === 1))
    s.send(INITIALIZED)
    s.send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "f__progress", arguments: { count: 30_000, bytes: 200 }, _meta: { progressToken: "tok" } } })
    await waitFor("the call's answer", () => lines.some((l) => l.id === 2), 60_000)
    expectCoalesced(lines, 2, "tok")
  }, 90_000)

  test("over Streamable HTTP, a legacy session's call stream and a 2026-07-28 call's stream carry the progress coalesced too", async () => {
    const token = "http-" + crypto.randomUUID()
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: token })
    const cfg = join(env.HOME!, "c.json")
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { f: { command: BUN, args: [FLOODER] } } }))
    const run = await startHttpBinary(cfg, env)
    running = run.proc
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }
    const post = (body: unknown, extra: Record<string, string> = {}) => fetch(run.url, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) })
    const init = await post(INIT)
    const sid = init.headers.get("mcp-session-id")!
    await init.text()
    const session = { "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }
    await (await post(INITIALIZED, session)).text()
    const call = { name: "f__progress", arguments: { count: 30_000, bytes: 200 } }
    expectCoalesced(await sse(await post({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { ...call, _meta: { progressToken: "legacy" } } }, session)), 2, "legacy")
    const V = "2026-07-28"
    const envelope = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} }
    const modern = await post({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { ...call, _meta: { ...envelope, progressToken: 9 } } }, { "mcp-protocol-version": V, "mcp-method": "tools/call", "mcp-name": "f__progress" })
    expectCoalesced(await sse(modern), 3, 9)
  }, 90_000)

  test("a client that stops reading: log messages are dropped past a 1 MiB backlog, the answer is kept, a warning counts them", async () => {
    const s = await start()
    running = s.p
    // initialize answered before the client stops reading
    let lines = s.reading()
    s.send(INIT)
    await waitFor("initialize answer", () => lines.some((l) => l.id === 1))
    s.p.stdout.removeAllListeners("data")
    s.p.stdout.pause()
    s.send(INITIALIZED)
    // 300 log messages of 60 000 characters (18 MB), within the downstream log limit's first second or not
    s.send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "f__logs", arguments: { count: 300, bytes: 60_000 } } })
    await waitFor("the call to end", () => /"msg":"tool call","server":"f","tool":"f__logs"/.test(s.stderr()), 60_000)
    expect(s.stderr()).toMatch(/"msg":"notifications to a client dropped: it does not read what is sent to it","dropped":\{"notifications\/message":\d+\}/)
    lines = s.reading()
    s.p.stdout.resume()
    const at = await waitFor("the call's answer", () => {
      const i = lines.findIndex((l) => l.id === 2)
      return i >= 0 ? i + 1 : undefined
    }, 30_000)
    expect(lines[at - 1]!.result!.content[0]!.text).toBe("sent 300")
    const logs = lines.filter((l) => l.method === "notifications/message" && l.params?.logger === "f")
    // 1 MiB of backlog and the pipe's buffer hold about 20 of them; before, 100 (the rate limit) were written
    expect(logs.length).toBeGreaterThan(0)
    expect(logs.length).toBeLessThanOrEqual(40)
  }, 90_000)
})
