/**
 * Every request gets an answer, also from a stopping process (through the compiled binary). A
 * request still in flight when the shutdown's grace (1 s) ends is cancelled downstream
 * (`notifications/cancelled`, seen by the fixture) and answered with SHUTTING_DOWN: a tools/call as
 * a tool error result, anything else as a JSON-RPC error; a request that arrives once shutdown
 * began is answered at once the same way. On stdio (stdin EOF, SIGTERM) and over HTTP (a legacy
 * session on keep-alive connections with its GET stream open, and a 2026-07-28 request, at once).
 * Asserted: exit code 0 on its own (the log never says the shutdown budget was exceeded, nor
 * "exiting now": the product's verdict on "in time", not a wall clock), no child left, each request
 * answered once.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { closeSync, constants, existsSync, openSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, childrenOf, ensureBuilt, isAlive, sandboxEnv, startHttpBinary, tempDir } from "../helpers/binary.ts"
import { BUDGET_OVERRUN, collect, exitCode, waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SLOW = join(import.meta.dir, "servers", "slow-answers-server.ts")
const TOKEN = "shutdown-answers-" + crypto.randomUUID()
const MODERN = "2026-07-28"
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} }

interface Setup {
  dir: string
  config: string
  /** What the downstream received: `<method> <name>` per request, `cancelled <id> <reason>` per cancellation. */
  log: string
  env: Record<string, string>
}

/** One warm server whose tool call, prompt and resource take 10 s (test/faults/servers/slow-answers-server). */
function setup(): Setup {
  const dir = tempDir("mcpo-stop-answers-")
  const log = join(dir, "downstream.log")
  const config = join(dir, "config.yaml")
  writeFileSync(
    config,
    [
      "servers:",
      `  slow: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(SLOW)}, "--log", ${JSON.stringify(log)}] }`,
      "warm: [slow]",
      'toolkit: { enabled: "off" }',
      "plugins: { enabled: false }",
      "",
    ].join("\n"),
  )
  return { dir, config, log, env: sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }) }
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [])

/** The calls, prompt and resource requests that reached the downstream (not the pool's own, e.g. its era probe). */
const arrived = (s: Setup): string[] => lines(s.log).filter((l) => /^(tools\/call|prompts\/get|resources\/read) /.test(l))

/** The cancellations the downstream received. */
const cancellations = (s: Setup): string[] => lines(s.log).filter((l) => l.startsWith("cancelled "))

/** Waits until `n` requests reached the downstream (they are in flight there). */
async function inFlightDownstream(s: Setup, n: number): Promise<number> {
  for (let i = 0; i < 400 && arrived(s).length < n; i++) await Bun.sleep(25)
  return arrived(s).length
}

/** Child processes still alive once they had time to be reaped (up to 15 s). */
async function leftovers(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 600 && pids.some(isAlive); i++) await Bun.sleep(25)
  return pids.filter(isAlive)
}

const rpc = (m: Record<string, unknown>): string => JSON.stringify({ jsonrpc: "2.0", ...m }) + "\n"
const INIT = rpc({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "stop", version: "1" } } })
const INITIALIZED = rpc({ method: "notifications/initialized" })
const SLEEP = (id: number | string, meta?: Record<string, unknown>): string => rpc({ id, method: "tools/call", params: { name: "slow__sleep", arguments: { ms: 10_000 }, ...(meta ? { _meta: meta } : {}) } })
const PROMPT = (id: number | string, meta?: Record<string, unknown>): string => rpc({ id, method: "prompts/get", params: { name: "slow__wait", ...(meta ? { _meta: meta } : {}) } })

interface Answer {
  id?: unknown
  result?: { isError?: boolean; content?: { text?: string }[]; resultType?: string }
  error?: { code: number; message: string }
}

/** Every JSON line a stdio process wrote until its stdout closed. */
async function stdoutLines(p: Bun.Subprocess<"pipe", "pipe", "pipe">): Promise<Answer[]> {
  const text = await new Response(p.stdout).text()
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Answer)
}

/** The only answer to `id` among `answers`. */
function onlyAnswer(answers: Answer[], id: unknown): Answer | undefined {
  const all = answers.filter((a) => a.id === id && (a.result !== undefined || a.error !== undefined))
  expect(all.length).toBe(1)
  return all[0]
}

/** A tool error result of a stopping orchestrator. */
function expectToolStopped(a: Answer | undefined, fate: RegExp): void {
  expect(a?.result?.isError).toBe(true)
  const text = a?.result?.content?.[0]?.text ?? ""
  expect(text).toStartWith("[SHUTTING_DOWN] the orchestrator is stopping (")
  expect(text).toMatch(fate)
  expect(text).toContain("retry when it is back")
}

/** The process ended on its own: exit code 0, and its log never says it ran out of its shutdown budget. */
async function expectEndedOnItsOwn(p: { exited: Promise<number>; kill(signal?: NodeJS.Signals): void }, log: () => string | Promise<string>): Promise<void> {
  const code = await exitCode(p, "the orchestrator to exit")
  const text = await log()
  expect(code, text).toBe(0)
  expect(text).not.toMatch(BUDGET_OVERRUN)
  expect(text).not.toContain("exiting now")
}

/** A JSON-RPC error of a stopping orchestrator. */
function expectRpcStopped(a: Answer | undefined, fate: RegExp): void {
  expect(a?.error?.code).toBe(-32603)
  expect(a?.error?.message).toStartWith("[SHUTTING_DOWN] the orchestrator is stopping (")
  expect(a?.error?.message).toMatch(fate)
}

describe("stdio: every request is answered, also by a stopping process", () => {
  test("stdin EOF with a 10 s call and a prompts/get in flight: both answered with SHUTTING_DOWN and cancelled downstream, exit ≤ 2 s, no child left", async () => {
    const s = setup()
    const p = Bun.spawn([BIN, "serve", "--config", s.config], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: s.env, cwd: s.dir })
    const err = new Response(p.stderr).text()
    const out = stdoutLines(p)
    // the call goes through the fast lane, prompts/get through the SDK face
    p.stdin.write(INIT + INITIALIZED + SLEEP(2) + PROMPT(3))
    p.stdin.flush()
    expect(await inFlightDownstream(s, 2)).toBe(2)
    const kids = childrenOf(p.pid)
    expect(kids.length).toBe(1)
    void p.stdin.end()
    await expectEndedOnItsOwn(p, () => err)
    const answers = await out
    expectToolStopped(onlyAnswer(answers, 2), /\(stdin closed\); the call was cancelled downstream/)
    expectRpcStopped(onlyAnswer(answers, 3), /\(stdin closed\); the request was cancelled/)
    expect(cancellations(s).length).toBe(2)
    expect(await leftovers(kids)).toEqual([])
  }, 30_000)

  test("SIGTERM with a call in flight, then requests arriving while it stops: each answered (late ones at once, never served), exit 0 within the budget", async () => {
    const s = setup()
    const p = Bun.spawn([BIN, "serve", "--config", s.config], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: s.env, cwd: s.dir })
    const err = collect(p.stderr)
    const out = stdoutLines(p)
    p.stdin.write(INIT + INITIALIZED + SLEEP(2))
    p.stdin.flush()
    expect(await inFlightDownstream(s, 1)).toBe(1)
    const kids = childrenOf(p.pid)
    p.kill("SIGTERM")
    await waitFor("the signal handled", () => err.now().includes('"msg":"shutting down"'), 15_000)
    // the call in flight holds the grace open: these arrive during it
    p.stdin.write(SLEEP(4) + PROMPT(5) + rpc({ id: 6, method: "tools/list" }) + rpc({ id: 7, method: "ping" }))
    p.stdin.flush()
    await expectEndedOnItsOwn(p, () => err.all)
    const answers = await out
    expectToolStopped(onlyAnswer(answers, 2), /\(SIGTERM\); the call was cancelled downstream/)
    expectToolStopped(onlyAnswer(answers, 4), /\(SIGTERM\); the call arrived after shutdown began and was not served/)
    for (const id of [5, 6, 7]) expectRpcStopped(onlyAnswer(answers, id), /\(SIGTERM\); the request arrived after shutdown began and was not served/)
    // the late requests never reached the downstream; the call in flight was cancelled there
    expect(arrived(s)).toEqual(["tools/call sleep"])
    expect(cancellations(s).length).toBe(1)
    expect(await leftovers(kids)).toEqual([])
  }, 30_000)

  test("2026-07-28 requests in flight at stdin EOF: a completed tool error result for the call, a JSON-RPC error for prompts/get", async () => {
    const s = setup()
    const p = Bun.spawn([BIN, "serve", "--config", s.config], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: s.env, cwd: s.dir })
    const err = new Response(p.stderr).text()
    const out = stdoutLines(p)
    p.stdin.write(SLEEP("m1", ENVELOPE) + PROMPT("m2", ENVELOPE))
    p.stdin.flush()
    expect(await inFlightDownstream(s, 2)).toBe(2)
    void p.stdin.end()
    await expectEndedOnItsOwn(p, () => err)
    const answers = await out
    const call = onlyAnswer(answers, "m1")
    expectToolStopped(call, /the call was cancelled downstream/)
    expect(call!.result!.resultType).toBe("complete")
    expectRpcStopped(onlyAnswer(answers, "m2"), /the request was cancelled/)
    expect(cancellations(s).length).toBe(2)
  }, 30_000)

  test("stdout a pipe nobody reads: the answers owed do not hold the shutdown (no budget kill, the call cancelled downstream)", async () => {
    const s = setup()
    // a FIFO held open for reading and never read: once its buffer is full, writes would block
    const fifo = join(s.dir, "stdout.fifo")
    expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0)
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
    const p = Bun.spawn(["sh", "-c", 'exec "$0" serve --config "$1" > "$2"', BIN, s.config, fifo], { stdin: "pipe", stdout: "ignore", stderr: "pipe", env: s.env, cwd: s.dir })
    const err = new Response(p.stderr).text()
    // answers to 400 tools/list fill the pipe
    p.stdin.write(INIT + INITIALIZED + SLEEP(2))
    for (let i = 0; i < 400; i++) p.stdin.write(rpc({ id: 100 + i, method: "tools/list" }))
    p.stdin.flush()
    expect(await inFlightDownstream(s, 1)).toBe(1)
    await Bun.sleep(300)
    const kids = childrenOf(p.pid)
    void p.stdin.end()
    await expectEndedOnItsOwn(p, () => err)
    closeSync(reader)
    expect(cancellations(s).length).toBe(1)
    expect(await leftovers(kids)).toEqual([])
  }, 30_000)
})

describe("HTTP: every request is answered, also by a stopping process", () => {
  test("SIGTERM with a legacy session (keep-alive connections, GET stream open) and 2026-07-28 requests in flight: each answered with SHUTTING_DOWN and cancelled downstream, a late one answered at once, exit 0 within the budget", async () => {
    const s = setup()
    const h = await startHttpBinary(s.config, s.env)
    const base: Record<string, string> = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }
    // fetch keeps every connection alive
    const post = (body: string, headers: Record<string, string> = {}): Promise<Response> => fetch(h.url, { method: "POST", headers: { ...base, ...headers }, body })
    const init = await post(INIT)
    const sid = init.headers.get("mcp-session-id")!
    expect(sid).toBeTruthy()
    await init.text()
    const session = { "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }
    expect((await post(INITIALIZED, session)).status).toBe(202)
    // the session's GET stream stays open
    const stream = await fetch(h.url, { headers: { ...base, ...session, accept: "text/event-stream" } })
    expect(stream.status).toBe(200)
    const streamText = stream.text().catch((e: unknown) => `error: ${String(e)}`)
    const text = (r: Promise<Response>): Promise<string> => r.then((res) => res.text())
    const modern = (method: string, name: string) => ({ "mcp-protocol-version": MODERN, "mcp-method": method, "mcp-name": name })
    const answers = [
      text(post(SLEEP(2), session)),
      text(post(PROMPT(3), session)),
      text(post(SLEEP(7, ENVELOPE), modern("tools/call", "slow__sleep"))),
      text(post(PROMPT(8, ENVELOPE), modern("prompts/get", "slow__wait"))),
    ]
    expect(await inFlightDownstream(s, 4)).toBe(4)
    const kids = childrenOf(h.proc.pid)
    expect(kids.length).toBe(1)
    h.proc.kill("SIGTERM")
    await waitFor("the signal handled", () => h.stderr().includes('"msg":"shutting down"'), 15_000)
    // arrives during the grace (the requests in flight hold it open): answered at once, not served
    const lateRes = await post(SLEEP(9), session)
    expect(lateRes.status).toBe(200)
    const late = (await lateRes.json()) as Answer
    await expectEndedOnItsOwn(h.proc, () => h.stderr())
    expectToolStopped(late, /\(SIGTERM\); the call arrived after shutdown began and was not served/)
    // a reply is JSON, or an SSE stream (the call took longer than 250 ms) whose events carry it
    const parse = (t: string): Answer[] => (t.startsWith("{") ? [JSON.parse(t) as Answer] : [...t.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!) as Answer))
    const [legacyCall, legacyPrompt, modernCall, modernPrompt] = (await Promise.all(answers)).map(parse)
    expectToolStopped(onlyAnswer(legacyCall!, 2), /\(SIGTERM\); the call was cancelled downstream/)
    expectRpcStopped(onlyAnswer(legacyPrompt!, 3), /\(SIGTERM\); the request was cancelled/)
    const call = onlyAnswer(modernCall!, 7)
    expectToolStopped(call, /\(SIGTERM\); the call was cancelled downstream/)
    expect(call!.result!.resultType).toBe("complete")
    expectRpcStopped(onlyAnswer(modernPrompt!, 8), /\(SIGTERM\); the request was cancelled/)
    // the GET stream was ended, not cut off
    expect(await streamText).not.toStartWith("error:")
    expect(arrived(s).length).toBe(4)
    expect(cancellations(s).length).toBe(4)
    expect(await leftovers(kids)).toEqual([])
  }, 30_000)
})
