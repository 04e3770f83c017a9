/**
 * @module pool/stdio-transport
 * A lean stdio client transport: spawns the downstream in its own process group with an explicit env,
 * frames stdout with `LineFramer` (no zod), keeps stderr in a ring, closes stdin → SIGTERM → SIGKILL.
 * Each child is registered with core/children, so the process never exits leaving its group alive,
 * and carries this process's mark (`MCPO_OWNER`), so neither do helpers that left the group.
 */
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/client"
import { childToken, cutText, DownstreamError, errorMessage, exitGrace, mib, isExiting, LineFramer, noteKin, resultBudget, signalHolders, trackChild, withOwnerMark, type JsonBytes, type OversizeFrame, type Logger } from "../core/index.ts"
import { commandLineHint, startProblem } from "../config/index.ts"
import { isAnswer } from "./answer-sends.ts"
import { LineWriter } from "./line-writer.ts"
import { StdioAnswerDrops } from "./stdio-answer-drops.ts"
import { TextRing } from "./ring-buffer.ts"

export interface StdioChildOptions {
  /** The server's name (its config key), for messages. */
  server?: string
  command: string
  args: readonly string[]
  env: Record<string, string>
  cwd?: string
  maxFrameBytes: number
  log: Logger
  /** Wait after closing stdin, and again after SIGTERM (default 2000 ms). */
  closeGraceMs?: number
  /** Non-JSON stdout lines tolerated before the first JSON-RPC message (default 200). */
  garbageLines?: number
}

export interface ExitInfo {
  code: number | null
  signal: string | null
  /** Last lines of the child's stderr. */
  stderr: string
}

type Proc = ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>

/**
 * The largest request written to a stdio server, bytes of JSON: `pool.maxRequestBytes` of the
 * running config (the pool sets it at start and on reload, as the results budget). A larger one fails its call unsent
 * (REQUEST_TOO_LARGE) instead of killing the server: MCP SDK servers read at most 10 MiB per
 * message over stdio and exit (or close their stdin) on a longer line.
 */
export const stdioRequestLimit = { bytes: 8 * 1024 * 1024 }

/** A request at least this long (characters) is remembered until its answer: a server that ends meanwhile likely refused its size. */
const LARGE_REQUEST_CHARS = 1024 * 1024

/** A large request written, not answered yet. */
interface LargeRequest {
  id: string
  bytes: number
  /** "tools/call echo", "resources/read": what it was, for messages. */
  what: string
}

const EXIT_DRAIN_MS = 100
/** After its stdout ended, how long a process gets to exit before it counts as alive with its output closed. */
const OUTPUT_CLOSED_GRACE_MS = 250

export class StdioChildTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void
  /** Called for a frame over the size cap (the session fails the call it belongs to). */
  onoversize?: (frame: OversizeFrame) => void
  /** Called when a frame passes the size cap, before it ends (it may never end): `bytes` so far, its first bytes. */
  onoversizestart?: (bytes: number, head: string, ownLimit?: number) => void
  /** The limit of one large frame, from its first bytes (core/line-framer `frameLimit`): the request it answers may take less than maxFrameBytes. */
  onframelimit?: (head: string) => number | undefined
  /** Called for a line that begins like a JSON object but is no JSON-RPC message (the session fails the request it answers, when it can tell which). */
  onunreadable?: (line: string) => void
  /**
   * Called for a JSON-RPC answer (id, no method) the child wrote on stderr, one line or pretty-printed,
   * while no message came on its stdout yet: a server that writes its protocol messages on stderr
   * (pool/rpc fails the request it answers at once, instead of at the connect timeout).
   */
  onstderranswer?: (message: Record<string, unknown>) => void
  /** Used instead of `onmessage` when set: also gets the exact text of a compact response's result. */
  onframe?: (message: Record<string, unknown>, resultJson?: string | JsonBytes) => void

  readonly stderr = new TextRing(64 * 1024)
  /** Its last stdout lines that were no JSON-RPC (a server that prints why it cannot start with console.log or print says it here). */
  readonly stdoutNoise = new TextRing(16 * 1024)
  exit: ExitInfo | undefined
  private proc: Proc | undefined
  private closing = false
  private closedFired = false
  private stdoutDone = false
  /** Its stdout ended while the process ran on (the session was ended for it). */
  outputClosed = false
  private seenMessage = false
  private skipped = 0
  private writer: LineWriter | undefined
  /** Bounds our answers to a server that floods requests and leaves them unread. */
  private readonly answerDrops: StdioAnswerDrops
  /** The last large request written and not answered yet (see `largeRequestNote`). */
  private large: LargeRequest | undefined
  /** The reads of the child's stdout and stderr under way. */
  private readonly readers: { cancel(): Promise<void> }[] = []
  private readonly opts: StdioChildOptions

  constructor(opts: StdioChildOptions) {
    this.opts = opts
    this.answerDrops = new StdioAnswerDrops(opts.server, opts.log)
  }

  get pid(): number | undefined {
    return this.proc?.pid
  }

  async start(): Promise<void> {
    if (this.proc) throw new Error("StdioChildTransport already started")
    const { command, args, env, cwd } = this.opts
    // its own mark: what it starts is found by it when it exits (core/children signalHolders)
    const mark = childToken()
    try {
      this.proc = Bun.spawn([command, ...args], {
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
        env: withOwnerMark(env, mark),
        ...(cwd ? { cwd } : {}),
        detached: true,
      })
    } catch (e) {
      // a cwd that is missing or a file, a command not found or not executable: said with the key to change
      const p = startProblem(this.opts.server, { command, args, cwd }, env.PATH)
      if (p) throw new DownstreamError("SPAWN_FAILED", `cannot start ${command}: ${p.problem}`, { cause: e, remedy: p.remedy, details: { command, ...(cwd ? { cwd } : {}), key: p.key } })
      // a whole command line in `command` ("npx -y pkg"): the split to write instead (config/command-line)
      const split = commandLineHint(command, args, { PATH: env.PATH, cwd })
      throw new DownstreamError("SPAWN_FAILED", `cannot start ${command}: ${errorMessage(e)}${split ? `; ${split.text}` : ""}`, {
        cause: e,
        remedy: split ? `In the config, ${split.fix}.` : "Check the server's command (on PATH or an absolute path) and cwd.",
        details: { command },
      })
    }
    const proc = this.proc
    const untrack = trackChild(proc.pid, true, mark)
    this.writer = new LineWriter(proc.stdin, (e) => {
      if (this.closing || this.exit) return
      // its stdin is gone: the connection is over (the pool restarts the server)
      const note = this.largeRequestNote()
      this.onerror?.(new DownstreamError("WRITE_FAILED", `cannot write to downstream: ${errorMessage(e)}${note ? ` (it ${note})` : ""}`, { cause: e }))
      void this.close()
    }, (broken) => (broken ? this.answerDrops.ended() : this.answerDrops.drained()))
    const framer = new LineFramer(this.opts.maxFrameBytes, {
      onMessage: (m, resultJson) => this.message(m, resultJson),
      onSkip: (line) => this.batch(line) || this.unreadable(line),
      onNoise: (noise) => this.skip(noise),
      onOversize: (f) => this.onoversize?.(f),
      onOversizeStart: (n, head, own) => this.onoversizestart?.(n, head, own),
      frameLimit: (head) => this.onframelimit?.(head),
    }, resultBudget)
    void this.pumpStdout(proc, framer)
    void this.pumpStderr(proc)
    void proc.exited.then(() => {
      this.exit = { code: proc.exitCode, signal: proc.signalCode === null || proc.signalCode === undefined ? null : String(proc.signalCode), stderr: this.stderr.tail() }
      // a flood it never read the answers of ends with it (pool/stdio-answer-drops)
      this.answerDrops.ended()
      // Whatever else is in our child's process group goes too, and what it left holding its pipes
      // outside the group (nobody reads them now): SIGTERM now, SIGKILL after a grace (until then
      // the group stays registered, so an exit meanwhile kills it as well).
      killGroup(proc.pid, "SIGTERM")
      const held = signalHolders(proc.pid, "SIGTERM")
      // once per exit, with the count: a server that keeps leaving helpers shows it at each restart
      if (held > 0) this.opts.log.info("ended processes the exited server left running", { ...(this.opts.server !== undefined ? { server: this.opts.server } : {}), pid: proc.pid, processes: held, code: proc.exitCode })
      setTimeout(() => {
        killGroup(proc.pid, "SIGKILL")
        if (held > 0) signalHolders(proc.pid, "SIGKILL")
        untrack()
      }, this.opts.closeGraceMs ?? 2000).unref?.()
      if (this.stdoutDone) this.fireClose()
      setTimeout(() => {
        this.fireClose()
        // what the process wrote before its exit is read; a helper it left holding its stdout or
        // stderr (a `setsid` grandchild) would keep these reads, the pipes and this session alive
        this.stopReading()
      }, EXIT_DRAIN_MS).unref?.()
    })
  }

  send(message: JSONRPCMessage): Promise<void> {
    // an answer to the server's request, while it leaves what we wrote unread: dropped (pool/stdio-answer-drops)
    if (this.writer !== undefined && isAnswer(message) && this.answerDrops.drops(this.writer.backlog)) return RESOLVED
    const error = this.sendText(JSON.stringify(message))
    return error === undefined ? RESOLVED : Promise.reject(error)
  }

  /**
   * Write one serialised message; the error instead of a rejected promise (the RPC hot path
   * allocates no promise and no reaction per request for a write that almost never fails).
   */
  sendText(json: string): DownstreamError | undefined {
    // `unsent`: nothing of it left, so the session may send it once more on a restarted server
    if (!this.proc || this.closing || this.exit) return new DownstreamError("NOT_CONNECTED", "downstream process is not running", { details: { unsent: true } })
    // a UTF-8 byte is at most 3 per UTF-16 unit: a shorter request cannot be over the limit
    if (json.length >= LARGE_REQUEST_CHARS || json.length * 3 > stdioRequestLimit.bytes) {
      const refused = this.checkLarge(json)
      if (refused !== undefined) return refused
    }
    try {
      // The first message of a burst goes at once, the rest of the burst in one write (line-writer.ts).
      this.writer!.write(json)
    } catch (e) {
      return new DownstreamError("WRITE_FAILED", `cannot write to downstream: ${errorMessage(e)}`, { cause: e, details: { unsent: true } })
    }
    return undefined
  }

  /**
   * A request of LARGE_REQUEST_CHARS or more: over `stdioRequestLimit` it is refused (the error to
   * fail its call with); else it is remembered until its answer.
   */
  private checkLarge(json: string): DownstreamError | undefined {
    const bytes = Buffer.byteLength(json)
    const head = /^\{"jsonrpc":"2\.0","id":("(?:[^"\\]|\\.)*"|[-\d]+),"method":"([^"]*)"(?:,"params":\{"name":"((?:[^"\\]|\\.){1,200})")?/.exec(json.slice(0, 400))
    const what = head ? `${head[2]}${head[3] !== undefined && head[2] === "tools/call" ? ` ${head[3]}` : ""}` : "request"
    const limit = stdioRequestLimit.bytes
    if (bytes > limit) {
      const server = this.opts.server ?? "the server"
      return new DownstreamError("REQUEST_TOO_LARGE", `the ${what} request is ${mib(bytes)} of JSON, over pool.maxRequestBytes (${mib(limit)}): it was not sent to server ${server}`, {
        remedy: "Pass smaller arguments (a file path, a URL or a reference instead of the content itself, or the data in parts); raise pool.maxRequestBytes only for a server known to read longer messages (MCP SDK servers read at most 10 MiB per message over stdio).",
        details: { ...(this.opts.server !== undefined ? { server: this.opts.server } : {}), bytes, maxRequestBytes: limit },
      })
    }
    if (head && json.length >= LARGE_REQUEST_CHARS) this.large = { id: head[1]!, bytes, what }
    return undefined
  }

  /**
   * When a large request was written and not answered: "was sent a 12.0 MiB tools/call echo request
   * it did not answer: …" (how the server's end is worded, for the call's error); else undefined.
   */
  largeRequestNote(): string | undefined {
    const l = this.large
    if (l === undefined) return undefined
    return `was sent a ${mib(l.bytes)} ${l.what} request and ended before answering it: likely over the server's own message size limit (MCP SDK servers read at most 10 MiB per message over stdio); pass smaller arguments, or lower pool.maxRequestBytes (${mib(stdioRequestLimit.bytes)}) below that limit so such requests are refused before they are sent`
  }

  /** stdin EOF → grace → SIGTERM (group) → grace → SIGKILL (group). Resolves when the child is gone. */
  async close(): Promise<void> {
    const proc = this.proc
    if (!proc) return
    if (!this.closing) {
      this.closing = true
      this.writer?.close()
      // A whole-process shutdown does not wait 2 s for a server that ignores stdin EOF (one that
      // waits on a pending roots/list would hold the exit that long).
      const own = this.opts.closeGraceMs ?? 2000
      const grace = isExiting() ? Math.min(own, exitGrace()) : own
      // what it started (a helper with a scrubbed environment, in a session of its own) is known by
      // its parent link only while the server runs: noted now, and again before each signal
      noteKin()
      try {
        proc.stdin.end()
      } catch {
        // already closed
      }
      if (!(await exitedWithin(proc, grace))) {
        noteKin()
        killGroup(proc.pid, "SIGTERM")
        if (!(await exitedWithin(proc, grace))) {
          noteKin()
          killGroup(proc.pid, "SIGKILL")
          await proc.exited
        }
      }
      killGroup(proc.pid, "SIGKILL")
    }
    await proc.exited
    this.fireClose()
  }

  /** Ends the reads of the child's stdout and stderr (it exited: nothing more of its is to come). */
  private stopReading(): void {
    for (const r of this.readers) void r.cancel().catch(() => {})
    this.readers.length = 0
  }

  /** One JSON-RPC message read from the child's stdout. */
  private message(m: Record<string, unknown>, resultJson?: string | JsonBytes): void {
    this.seenMessage = true
    // the large request was answered: it was not what ended the server
    if (this.large !== undefined && JSON.stringify(m.id) === this.large.id) this.large = undefined
    if (this.onframe !== undefined) this.onframe(m, resultJson)
    else this.onmessage?.(m as JSONRPCMessage)
  }

  /**
   * A line that is a JSON-RPC batch (MCP 2025-03-26: a client "MUST support receiving" them, and a
   * server of that revision may answer in one): each message in it is read as if on its own line.
   * Before, the whole line was skipped as noise, and the requests it answered waited out their
   * timeouts (an `initialize` answered so: the server never started). Items that are no JSON-RPC
   * message are reported with the line. False when the line is no batch holding one.
   */
  private batch(line: string): boolean {
    if (line.charCodeAt(0) !== 91 /* [ */) return false
    let items: unknown
    try {
      items = JSON.parse(line)
    } catch {
      return false
    }
    if (!Array.isArray(items)) return false
    const messages = items.filter((m): m is Record<string, unknown> => typeof m === "object" && m !== null && !Array.isArray(m) && (m as { jsonrpc?: unknown }).jsonrpc === "2.0")
    if (messages.length === 0) return false
    if (messages.length < items.length) this.skip(line)
    for (const m of messages) this.message(m)
    return true
  }

  /** A line that is no JSON-RPC message: skipped; one that begins as an object is also told (it may be an answer). */
  private unreadable(line: string): void {
    this.skip(line)
    if (line.charCodeAt(0) === 123 /* { */) this.onunreadable?.(line)
  }

  private skip(line: string): void {
    this.skipped++
    this.stdoutNoise.push(`${line}\n`)
    if (this.skipped === 1) this.opts.log.warn("non-JSON line on downstream stdout skipped", { sample: cutText(line, 200) })
    if (!this.seenMessage && this.skipped > (this.opts.garbageLines ?? 200)) {
      this.onerror?.(
        new DownstreamError("STDOUT_GARBAGE", `downstream wrote ${this.skipped} non-JSON lines to stdout and no JSON-RPC message`, {
          remedy: "The server must speak newline-delimited JSON-RPC on stdout and log to stderr.",
          details: { sample: cutText(line, 200) },
        }),
      )
      this.seenMessage = true // report once
      void this.close()
    }
  }

  private async pumpStdout(proc: Proc, framer: LineFramer): Promise<void> {
    try {
      // the reader's own reads: `for await` over the stream wraps each in an async generator step
      const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader()
      this.readers.push(reader)
      for (let r = await reader.read(); !r.done; r = await reader.read()) framer.push(r.value)
      // an unfinished last line is the server's own output when it ended by itself; when we closed
      // it, our close cut that line (a message it was writing): no noise to report
      if (!this.closing) framer.end()
    } catch (e) {
      if (!this.closing && !this.exit) this.onerror?.(new DownstreamError("READ_FAILED", `reading downstream stdout failed: ${errorMessage(e)}`, { cause: e }))
    }
    this.stdoutDone = true
    if (this.exit) return this.fireClose()
    // A process that closed its stdout and lives on can never answer again: unless it exits now (a
    // crash closes stdout just before its exit is seen), the session ends (in-flight calls fail at
    // once instead of at their timeout) and the process is stopped; the pool restarts it.
    if (this.closing || (await exitedWithin(proc, OUTPUT_CLOSED_GRACE_MS))) return
    if (this.closing || this.exit) return
    this.outputClosed = true
    this.opts.log.warn("downstream closed its stdout but kept running; stopping it", { pid: proc.pid })
    this.fireClose()
    void this.close()
  }

  private async pumpStderr(proc: Proc): Promise<void> {
    const decoder = new TextDecoder()
    const debug = this.opts.log.isEnabled("debug")
    // read as JSON-RPC too until stdout carried a message (then a server's stderr is only its logs)
    const answers = new LineFramer(STDERR_ANSWER_BYTES, {
      onMessage: (m) => {
        if (!this.seenMessage && m.method === undefined && m.id !== undefined && m.id !== null) this.onstderranswer?.(m)
      },
      onSkip: () => {},
      // given: a pretty-printed answer's lines are held and read as one (core/line-framer)
      onNoise: () => {},
      onOversize: () => {},
    })
    try {
      const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader()
      this.readers.push(reader)
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        const chunk = r.value
        if (!this.seenMessage) answers.push(chunk)
        const text = decoder.decode(chunk, { stream: true })
        if (!debug) {
          this.stderr.push(text)
          continue
        }
        // whole lines, redacted before they are cut (a secret split across reads stays whole)
        const lines = this.stderr.pushLines(text)
        if (lines) this.opts.log.debug("downstream stderr", { text: lines })
      }
      const rest = debug ? this.stderr.flushLines() : ""
      if (rest) this.opts.log.debug("downstream stderr", { text: rest })
    } catch {
      // stderr is best effort
    }
  }

  private fireClose(): void {
    if (this.closedFired) return
    this.closedFired = true
    this.onclose?.()
  }
}

const RESOLVED: Promise<void> = Promise.resolve()
/** The longest stderr line (or pretty-printed message) read as a possible JSON-RPC answer. */
const STDERR_ANSWER_BYTES = 1024 * 1024


function killGroup(pid: number, signal: "SIGTERM" | "SIGKILL"): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // group already gone
  }
}

async function exitedWithin(proc: Proc, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const done = await Promise.race([
    proc.exited.then(() => true),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), ms)
    }),
  ])
  clearTimeout(timer)
  return done
}
