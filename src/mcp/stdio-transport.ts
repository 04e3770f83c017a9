/**
 * @module mcp/stdio-transport
 * A lean stdio server transport: newline-delimited JSON-RPC on stdin/stdout. Unlike the SDK's, it does
 * not zod-validate every line (the Protocol layer already classifies messages); it frames bytes
 * (no string buffering) and only checks the envelope (core/jsonrpc-envelope, the HTTP face's rules).
 * Nothing that needs an answer goes unanswered, and nothing stops the server: a line that is not
 * JSON gets -32700; a message that is not valid JSON-RPC (a request whose id is not a string or an
 * integer, a non-string method…) gets -32600 with its id when it has a usable one, else id null.
 * A message without an `id` member is never answered, not even when it is invalid (some clients
 * crash on an answer with id null that they did not ask for): it is reported (`onunanswered`).
 * `"params": null` is taken as no params (core/jsonrpc-envelope `dropNullParams`).
 * A batch (a JSON array on one line) is served as its messages, each answered on its own line as
 * soon as it is ready; a batch with any invalid item is rejected whole, each request in it answered
 * -32600 (as the HTTP face rejects the whole POST). A batch of 2026-07-28 requests is refused so
 * too: that revision has no batches (as on the HTTP face). A last line without a line break before
 * EOF is a message like any other.
 * Nothing but JSON-RPC is ever written to stdout, one message per line (never an array).
 */
import type { JSONRPCMessage, Transport, TransportSendOptions } from "@modelcontextprotocol/client"
import { answerableId, batchProblem, Bursts, dropNullParams, holdKey, idFromFrameEdges, JsonBytes, LineFramer, messageProblem, OutboundGate, RawJson, resultBudget } from "../core/index.ts"
import { isModernBatch, MODERN_BATCH } from "./modern-lane.ts"
import { answerOf, DEFAULT_MAX_MESSAGE_BYTES, formatMiB, isToolResult, oversize, oversizeAnswer, requestTooLarge, type ServerOf } from "./client-limit.ts"

export interface LineIO {
  /** Chunks of input; ends on EOF. */
  input: AsyncIterable<Uint8Array>
  /** Writes one already-serialised line. */
  write(line: string): void | Promise<void>
  /**
   * Writes one line given in pieces (a large answer: its result as the bytes it arrived in), in
   * order with `write`, without joining them; resolves once they were handed to the OS.
   */
  writeParts?(parts: readonly (string | Uint8Array)[]): Promise<void>
  /** Resolves once everything written so far has been handed to the OS. */
  flush?(): Promise<void>
  /** Bytes written and not taken by the reader yet (the client's backlog): over a bound, notifications are held back (core/outbound). */
  backlog?(): number
  /** Characters and bytes of output the reader has taken so far (grows while the client reads). */
  taken?(): number
  /** Set by the transport: called when the reader has taken what was pending. */
  ondrain?: () => void
  /** Set by the transport: called once when output can no longer be written (the reader closed it: EPIPE). */
  onbroken?: () => void
}

/** Stdin as handed over by the early face (src/early-face.ts): bytes read so far, then the rest. */
export interface StdinHandover {
  input: AsyncIterable<Uint8Array>
  /**
   * Ids of the requests the early face already answered (`initialize`, maybe the first `tools/list`
   * from the snapshot): the real face's answers to their replays are dropped.
   */
  answered?: string | number | readonly (string | number)[]
  /** Did the early face read stdin's end (the client closed it before the start went on)? */
  ended?(): boolean
}

/** Characters per piece when a large serialised answer is written in pieces (`sendLarge`). */
const TEXT_PIECE = 256 * 1024

/** `text` cut into pieces of about TEXT_PIECE characters, never inside a surrogate pair. */
function pieces(text: string, out: string[] | (string | Uint8Array)[]): void {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + TEXT_PIECE)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++
    out.push(text.slice(i, end))
    i = end
  }
}

/** Max bytes of one incoming line (a client message); larger lines are rejected. */
const MAX_LINE = 64 * 1024 * 1024

export class LineStdioServerTransport implements Transport {
  /**
   * Input reached EOF. Output stays open so requests already received can still be answered;
   * the owner calls `close()` when done. Without a listener, EOF closes the transport at once.
   */
  oninputend?: () => void
  /**
   * Output can no longer be written (the client closed its end: EPIPE): no answer can reach it, so
   * the owner ends the session as for input EOF. Without a listener, nothing happens.
   */
  onoutputend?: () => void
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void
  /**
   * An invalid message that gets no answer (it has no `id`: a notification, or no JSON-RPC at all):
   * `problem` says why it is invalid, `count` how many were left unanswered so far. Called for the
   * 1st, 10th, 100th… only, so a client that sends nothing else cannot flood the log.
   */
  onunanswered?: (problem: string, count: number) => void
  /** Invalid messages left unanswered so far. */
  private unanswered = 0
  private started = false
  private closed = false
  /** Requests received and not answered yet (graceful shutdown drains them, then ends them; an oversize answer names what it answers). */
  private readonly open = new Map<string | number, OpenRequest>()
  /** Requests the shutdown answered in the face's place: the face's own answers to them are dropped. */
  private readonly settled = new Set<string | number>()
  private readonly io: LineIO
  /**
   * The early face answered these requests already; each id is taken off when its replay comes in
   * (the first request with that id: the early face read nothing else before it).
   */
  private readonly answered: Set<string | number>
  /**
   * The replays being served, by the private id each was handed to the face with: whatever answers
   * them is dropped. Their own ids are the client's again as soon as it got the early answer (it may
   * reuse one while the replay is still served): that request is another, with its own answer.
   */
  private readonly replays = new Set<string>()
  /** Notifications held back while the client does not read (core/outbound); answers are written after what it holds. */
  private readonly gate: OutboundGate

  /** Largest answer written, bytes of JSON (`proxy.maxMessageBytes`); a larger one is replaced by an error naming its size. */
  maxMessageBytes: number
  /**
   * The server a request is served by, if one downstream serves it (the tool's, prompt's or
   * resource's), for the error of an answer over `maxMessageBytes`. Set by the owner.
   */
  serverOf?: ServerOf

  constructor(io: LineIO = processIO(), answered?: string | number | readonly (string | number)[], opts: { maxMessageBytes?: number; backlogLimit?: number } = {}) {
    this.io = io
    this.answered = new Set(answered === undefined ? [] : typeof answered === "object" ? answered : [answered])
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
    this.gate = new OutboundGate({ backlog: () => io.backlog?.() ?? 0, write: (text) => void io.write(text), ...(opts.backlogLimit !== undefined ? { limit: opts.backlogLimit } : {}) })
    io.ondrain = () => {
      if (!this.closed) this.gate.drained()
    }
    io.onbroken = () => {
      if (!this.closed) this.onoutputend?.()
    }
  }

  async start(): Promise<void> {
    if (this.started) throw new Error("LineStdioServerTransport already started")
    this.started = true
    void this.pump()
  }

  private async pump(): Promise<void> {
    const framer = new LineFramer(MAX_LINE, {
      onMessage: (m) => this.dispatch(m),
      onSkip: (line) => this.reject(line),
      onOversize: (frame) => {
        const id = idFromFrameEdges(frame)
        this.writeRaw({ jsonrpc: "2.0", id: id ?? null, error: { code: id === undefined ? -32700 : -32600, message: `${id === undefined ? "Parse error" : "Invalid Request"}: message too large (${frame.bytes} bytes, limit ${MAX_LINE})` } })
      },
    })
    try {
      for await (const chunk of this.io.input) {
        if (this.closed) break
        framer.push(chunk)
      }
    } catch (e) {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)))
    }
    // a last line without a line break is a message too (`printf '{…}' | mcp-orchestrator`), also
    // when reading ended in an error: handled before the owner hears of EOF, so the drain waits for it
    if (!this.closed) framer.end()
    if (this.oninputend) this.oninputend()
    else await this.close()
  }

  /** A JSON-RPC 2.0 object (the framer saw `"jsonrpc": "2.0"`): the rest of the envelope is checked here. */
  private dispatch(msg: Record<string, unknown>): void {
    dropNullParams(msg)
    const problem = messageProblem(msg)
    if (problem) return this.refuse(msg, problem)
    this.deliver(msg)
  }

  /**
   * An invalid message: -32600 with its id, or id null when its id is no usable one (a client may
   * wait for it); a message without an `id` member gets nothing (no one waits for it), it is reported.
   */
  private refuse(msg: unknown, problem: string): void {
    if (msg === null || typeof msg !== "object" || !("id" in msg)) return this.ignore(problem)
    this.invalid(answerableId(msg) ?? null, problem)
  }

  /** An invalid message no one waits for: counted, reported now and then (`onunanswered`). */
  private ignore(problem: string): void {
    const n = ++this.unanswered
    if (/^10*$/.test(String(n))) this.onunanswered?.(problem, n)
  }

  /** A valid message, to the face; a request is open until its answer is sent. */
  private deliver(msg: Record<string, unknown>): void {
    let id = msg.id as string | number | undefined
    if (typeof msg.method === "string" && (typeof id === "string" || typeof id === "number")) {
      if (this.answered.size !== 0 && this.answered.delete(id)) {
        // the replay of a request the early face answered: served under an id of its own, so a client
        // reusing the id (it has its answer) gets its own answer, not the replay's, and cancels its own
        const own = `mcpo-early-replay-${crypto.randomUUID()}`
        this.replays.add(own)
        id = own
        msg = { ...msg, id: own }
      } else {
        // JSON-RPC: a requester's ids are unique among its outstanding requests. A second request with
        // the id of one still being served is refused; the first keeps running and gets its answer.
        const was = this.open.get(id)
        if (was !== undefined) return this.duplicate(id, msg.method, was.method)
      }
      this.open.set(id, msg as unknown as OpenRequest)
    }
    try {
      this.onmessage?.(msg as JSONRPCMessage)
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e))
      this.onerror?.(err)
      // a request whose handling threw before anything answered it would wait forever (and hold its id):
      // it is answered -32603 now, whatever threw (a message shape no handler expected)
      if ((typeof id === "string" || typeof id === "number") && this.open.get(id) === (msg as unknown)) {
        this.open.delete(id)
        if (this.dropReplay(id)) return
        this.writeRaw({ jsonrpc: "2.0", id, error: { code: -32603, message: `Internal error: this ${String(msg.method)} request could not be served (the orchestrator's log says why)` } })
      }
    }
  }

  /**
   * A line the framer did not take as a message: -32700 if it is not JSON at all; a batch; an object
   * after white space (valid JSON: checked and served as any message); anything else -32600.
   */
  private reject(line: string): void {
    let msg: unknown
    try {
      msg = JSON.parse(line)
    } catch {
      this.sendParseError("invalid JSON")
      return
    }
    if (Array.isArray(msg)) return this.batch(msg)
    if (msg !== null && typeof msg === "object") return this.dispatch(msg as Record<string, unknown>)
    this.refuse(msg, messageProblem(msg)!)
  }

  /**
   * A JSON-RPC batch: valid, its messages are served one by one (each answer on its own line, as the
   * HTTP face streams a batch's answers); invalid, nothing in it is served and each request with a
   * usable id gets the error, so no caller waits (one error with id null when none has one but
   * some item has an `id` member; none at all when no item has one: no one waits for it).
   * A batch of 2026-07-28 requests is refused whole: that revision has no batches.
   */
  private batch(items: readonly unknown[]): void {
    dropNullParams(items)
    const problem = batchProblem(items) ?? (isModernBatch(items) ? `${MODERN_BATCH}; send each request on its own line` : undefined)
    if (problem === undefined) {
      for (const m of items) this.deliver(m as Record<string, unknown>)
      return
    }
    let answered = false
    for (const m of items) {
      const id = answerableId(m)
      if (id === undefined) continue
      this.invalid(id, problem)
      answered = true
    }
    if (answered) return
    if (items.some((m) => m !== null && typeof m === "object" && "id" in m && !("result" in m || "error" in m))) this.invalid(null, problem)
    else this.ignore(problem)
  }

  /** A request reusing the id of request `was` (a method), still in progress: -32600, not served. */
  private duplicate(id: string | number, method: string, was: string): void {
    this.invalid(id, `id ${JSON.stringify(id)} is already in use by a ${was} request still in progress (request ids must be unique among a client's outstanding requests); this ${method} was not served`)
  }

  /** -32600 Invalid Request about a message (id null: it has no usable one). */
  private invalid(id: string | number | null, problem: string): void {
    this.writeRaw({ jsonrpc: "2.0", id, error: { code: -32600, message: `Invalid Request: ${problem}` } })
  }

  private sendParseError(detail: string): void {
    this.writeRaw({ jsonrpc: "2.0", id: null, error: { code: -32700, message: `Parse error: ${detail}` } })
  }

  private writeRaw(obj: unknown): void {
    if (this.closed) return
    try {
      this.gate.release()
      void this.io.write(JSON.stringify(obj) + "\n")
    } catch (e) {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)))
    }
  }

  /** A request that will get no answer (cancelled by the client). */
  forget(id: string | number): void {
    this.open.delete(id)
  }

  /** Is `id` a replay's (the early face answered it)? Then it is answered now: nothing is written. */
  private dropReplay(id: string | number): boolean {
    if (this.replays.size === 0 || typeof id !== "string" || !this.replays.delete(id)) return false
    this.open.delete(id)
    return true
  }

  /** Requests received and not answered yet. */
  get pendingRequests(): number {
    return this.open.size
  }

  /** The requests received and not answered yet (id, method), but those the early face answered already. */
  openRequests(): [string | number, string][] {
    const out: [string | number, string][] = []
    for (const [id, r] of this.open) if (typeof id !== "string" || !this.replays.has(id)) out.push([id, r.method])
    return out
  }

  /**
   * Answers request `id` now with `json` (an already-serialised response), in the face's place (the
   * shutdown ending what is still in flight): whatever the face sends for it later is dropped.
   */
  settle(id: string | number, json: string): void {
    if (this.dropReplay(id) || !this.open.delete(id)) return
    this.settled.add(id)
    if (this.closed) return
    this.gate.release()
    void this.io.write(json + "\n")
  }

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    const m = message as { id?: string | number; method?: unknown; error?: { message?: unknown } }
    const request = m.id !== undefined && m.method === undefined ? this.open.get(m.id) : undefined
    if (m.id !== undefined && m.method === undefined) {
      this.open.delete(m.id)
      if (this.settled.size !== 0 && this.settled.delete(m.id)) return
      if (this.dropReplay(m.id)) {
        if (m.error) this.onerror?.(new Error(`the face rejected a request the early face had answered: ${String(m.error.message)}`))
        return
      }
    }
    if (this.closed) return
    // a result that comes with its JSON text (a tools/list answer built from memoised pieces): its
    // text goes out as it is, in pieces when large, never serialised again
    const result = (message as { result?: unknown }).result
    if (result instanceof RawJson && m.id !== undefined) {
      const over = oversize(result.json, this.maxMessageBytes)
      // a tools/call answer is a tool result whatever key it begins with (`isError`, a 2026-07-28 `resultType`)
      if (over !== undefined) return this.sendOversize(m.id, over, request?.method === "tools/call" || isToolResult(result.json), request)
      return this.sendText(`{"jsonrpc":"2.0","id":${JSON.stringify(m.id)},"result":`, result.json)
    }
    const line = JSON.stringify(message)
    const over = oversize(line, this.maxMessageBytes)
    if (over !== undefined) {
      if (m.id !== undefined && m.method === undefined) return this.sendOversize(m.id, over, request?.method === "tools/call" || isToolResult(result), request)
      // a request of ours (a downstream's sampling, elicitation… relayed): not sent, and it fails at
      // once (the SDK rejects the request with this), so whoever asked is answered now, not at its timeout
      if (m.id !== undefined) throw requestTooLarge(String(m.method), over, this.maxMessageBytes)
      // a notification: dropped (the client would drop the connection)
      this.onerror?.(new Error(`an outgoing ${String(m.method)} of ${formatMiB(over)} was not sent: over proxy.maxMessageBytes (${formatMiB(this.maxMessageBytes)})`))
      return
    }
    // a notification for a client that does not read (its backlog over the bound): held or dropped
    const key = holdKey(message)
    if (this.gate.holds(key)) return this.gate.hold(line + "\n", key, String(m.method))
    this.gate.release()
    await this.io.write(line + "\n")
  }

  /**
   * The answer to `id` is `bytes` of JSON, over `maxMessageBytes`: an MCP SDK client over stdio
   * would close the whole connection on it (its read buffer stops at 10 MiB). A tool result becomes
   * a tool error the model can act on; any other answer a JSON-RPC error.
   */
  private sendOversize(id: string | number, bytes: number, toolResult: boolean, request: OpenRequest | undefined, modern = false): void {
    this.open.delete(id)
    if (this.closed) return
    this.writeRaw(oversizeAnswer(id, bytes, this.maxMessageBytes, toolResult, answerOf(request, this.serverOf), undefined, modern))
  }

  /**
   * `head` + `body` + `}`: a large body in pieces. The body is kept by its owner (a memoised list
   * answer, a stored snapshot): nothing is released.
   */
  private sendText(head: string, body: string | JsonBytes): Promise<void> {
    const large = typeof body === "string" ? body.length >= resultBudget.large : true
    this.gate.release()
    if (!large || !this.io.writeParts) return Promise.resolve(this.io.write(`${head}${typeof body === "string" ? body : body.text()}}\n`))
    const parts: (string | Uint8Array)[] = [head]
    if (typeof body === "string") pieces(body, parts)
    else parts.push(...body.chunks)
    parts.push("}\n")
    return this.io.writeParts(parts)
  }

  /** Writes an already-serialised response to request `id` (fast lane: avoids a second stringify). */
  sendSerialized(json: string, id: string | number, toolResult = false, modern = false): void {
    if (this.dropReplay(id)) return
    const over = oversize(json, this.maxMessageBytes)
    if (over !== undefined) return this.sendOversize(id, over, toolResult, this.open.get(id), modern)
    this.open.delete(id)
    if (this.closed) return
    this.gate.release()
    void this.io.write(json + "\n")
  }

  /**
   * Writes the answer to request `id` whose result is `body` (a large result: its bytes, or its
   * serialised text), between the envelope `head` and `}`, in pieces; the bytes' share of the
   * result budget is released once they are out.
   */
  sendLarge(head: string, body: JsonBytes | string, id: string | number, toolResult = true): void {
    const request = this.open.get(id)
    this.open.delete(id)
    const done = (): void => {
      // the text is garbage now: count it towards the next collection hint
      if (typeof body === "string") resultBudget.dropped(body.length)
      else body.release()
    }
    if (this.closed || this.dropReplay(id)) return done()
    const over = oversize(body, this.maxMessageBytes)
    if (over !== undefined) {
      done()
      return this.sendOversize(id, over, toolResult, request)
    }
    this.gate.release()
    if (this.io.writeParts) {
      const parts: (string | Uint8Array)[] = [head]
      if (typeof body !== "string") parts.push(...body.chunks)
      else pieces(body, parts)
      parts.push("}\n")
      const sent = (): void => {
        parts.length = 0 // nothing for a stale reference to keep alive
        done()
      }
      return void this.io.writeParts(parts).then(sent, sent)
    }
    try {
      void this.io.write(`${head}${typeof body === "string" ? body : body.text()}}\n`)
    } finally {
      done()
    }
  }

  /** Resolves once every message sent so far has left the process (e.g. the initialize answer). */
  flushed(): Promise<void> {
    return this.io.flush?.() ?? Promise.resolve()
  }

  /** Output the client has taken so far (characters and bytes): it grows while the client reads. */
  taken(): number {
    return this.io.taken?.() ?? 0
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.gate.clear()
    this.onclose?.()
  }
}

/**
 * stdin/stdout of this process, through Bun's file sink, as pool/line-writer: when lines go out is
 * core/bursts' rule (a lone line flushed at once, so the client starts on it; the lines of a burst,
 * e.g. every answer one downstream read resolved, joined into one write and one flush at its end).
 * Each `write` to a Bun pipe sink is a syscall of its own, so joining them matters.
 * The backlog is what was handed to the sink and not taken by the reader yet: a flush that returns
 * a promise (the pipe is full) confirms what was handed before it once it resolves (then `ondrain`).
 */
export function processIO(input?: AsyncIterable<Uint8Array>): LineIO {
  const sink = Bun.stdout.writer()
  let broken = false
  /** The reader went away (EPIPE): nothing more can be written; said once (`onbroken`). */
  const markBroken = (): void => {
    if (broken) return
    broken = true
    io.onbroken?.()
  }
  /** Characters (UTF-16 units) and bytes handed to the sink since start, and how many of them the reader took. */
  let handed = 0
  let taken = 0
  const hand = (chunk: string | Uint8Array): void => {
    handed += typeof chunk === "string" ? chunk.length : chunk.byteLength
    sink.write(chunk)
  }
  const flush = (): void | Promise<unknown> => {
    if (broken) return
    const upTo = handed
    try {
      const r = sink.flush()
      if (r instanceof Promise) {
        return r.then(
          () => {
            if (upTo > taken) taken = upTo
            io.ondrain?.()
          },
          () => markBroken(),
        )
      }
      taken = upTo
    } catch {
      // the client went away (EPIPE): that ends the session (the owner stops), never by a throw
      markBroken()
    }
  }
  /** Hand the held lines to the sink (one write), without flushing. */
  const emit = (): void => {
    const out = bursts.take()
    if (out === "" || broken) return
    try {
      hand(out)
    } catch {
      markBroken()
    }
  }
  const bursts = new Bursts(() => {
    if (bursts.size === 0) return
    emit()
    void flush()
  })
  // While a large answer streams out, later lines wait behind it, in order.
  let queue: (string | { parts: readonly (string | Uint8Array)[]; done: () => void })[] | undefined
  /**
   * Characters of the lines waiting in `queue` (a large answer's pieces are not counted: they are
   * held by their owner anyway, and go out one at a time as the reader takes them).
   */
  let queued = 0
  let draining: Promise<void> | undefined
  const drain = async (): Promise<void> => {
    for (let item = queue!.shift(); item !== undefined; item = queue!.shift()) {
      if (typeof item === "string") queued -= item.length
      if (broken) {
        if (typeof item !== "string") item.done()
        continue
      }
      try {
        if (typeof item === "string") hand(item)
        else {
          // one piece at a time, waiting for the pipe to drain: the sink would otherwise copy it all
          for (const p of item.parts) {
            hand(p)
            const r = flush()
            if (r instanceof Promise) await r
            if (broken) break
          }
          item.done()
        }
      } catch {
        markBroken()
        if (typeof item !== "string") item.done()
      }
    }
    queue = undefined
    await flush()
  }
  const io: LineIO = {
    input: input ?? (Bun.stdin.stream() as unknown as AsyncIterable<Uint8Array>),
    writeParts(parts) {
      return new Promise<void>((done) => {
        if (broken) return done()
        const item = { parts, done }
        if (queue) return void queue.push(item)
        emit() // lines written before it go first
        queue = [item]
        const run = drain()
        draining = run
        void run.finally(() => {
          if (draining === run) draining = undefined
        })
      })
    },
    write(line) {
      if (broken) return
      if (queue) {
        queued += line.length
        return void queue.push(line)
      }
      if (!bursts.add(line)) return
      try {
        hand(line)
      } catch {
        markBroken()
        return
      }
      void flush()
    },
    flush: async () => {
      emit()
      // a large answer still streaming (and what queued behind it) is part of "written so far"
      while (draining) await draining
      await flush()
    },
    backlog: () => (broken ? 0 : handed - taken + bursts.size + queued),
    taken: () => taken,
  }
  return io
}

/** A request received (a valid message: its method a string), kept until answered. */
interface OpenRequest {
  method: string
  params?: unknown
}
