/**
 * @module http/resume
 * Resumable SSE streams of legacy sessions (2025-11-25 Streamable HTTP, SEP-1699). A POST answered
 * as a stream starts with a priming event (an `id` and empty data; only for clients at 2025-11-25 or
 * later, older ones may choke on the empty data) and a `retry:` field, and every message on it has
 * an id `<stream>-<seq>`, unique in its session. Its messages are kept in a bounded per-session
 * buffer while the stream is live and for a short time after it ended, so a client that lost the
 * connection reconnects with `GET` + `Last-Event-ID`, gets what came after that id, then the rest of
 * the request's messages (its answer included) live. A dropped connection is not a cancellation: the
 * request keeps running for `graceMs`; only when nobody resumes within it is it abandoned (then
 * cancelled downstream, so nothing leaks). A quick call answered as JSON never comes here.
 */
import { SseStream, type MessageKind } from "./sse.ts"

export interface ResumeLimits {
  /** The `retry:` sent to clients: how long they wait before reconnecting (ms). */
  retryMs: number
  /** A stream whose connection dropped waits this long for a resume before its requests are cancelled (ms). */
  graceMs: number
  /** A finished stream's messages stay resumable this long (ms). */
  keepMs: number
  /** Per session: messages and their total JSON characters kept for resumption. */
  maxEvents: number
  maxBytes: number
}

/** Clients reconnect after this long (the `retry:` field). */
export const RETRY_MS = 2000
/** The retry interval plus a margin for a slow reconnect: after this, a dropped stream's call is cancelled. */
export const RESUME_GRACE_MS = RETRY_MS + 3000

export const DEFAULT_RESUME: ResumeLimits = { retryMs: RETRY_MS, graceMs: RESUME_GRACE_MS, keepMs: RESUME_GRACE_MS, maxEvents: 1024, maxBytes: 4 * 1024 * 1024 }

interface StoredEvent {
  seq: number
  json: string
  /** A notification (progress, log): the first to go when the buffer is full. Answers and requests stay. */
  droppable: boolean
}

const EVENT_ID = /^(\d{1,15})-(\d{1,15})$/

/** One session's resumable streams and the buffer they share. */
export class ResumeStore {
  private nextNo = 1
  private readonly streams = new Map<number, ResumableStream>()
  private events = 0
  private bytes = 0

  constructor(
    readonly limits: ResumeLimits,
    readonly keepAliveMs: number,
  ) {}

  /** A new stream; `onexpire` runs when its connection dropped and nobody resumed within the grace. */
  open(priming: boolean, signal: AbortSignal | undefined, onexpire: () => void): ResumableStream {
    const s = new ResumableStream(this, this.nextNo++, priming, signal, onexpire)
    this.streams.set(s.no, s)
    return s
  }

  /** The stream and position a `Last-Event-ID` names, if it is still kept. */
  find(lastEventId: string): { stream: ResumableStream; seq: number } | undefined {
    const m = EVENT_ID.exec(lastEventId.trim())
    if (!m) return undefined
    const stream = this.streams.get(Number(m[1]))
    const seq = Number(m[2])
    return stream && seq <= stream.lastSeq ? { stream, seq } : undefined
  }

  /** Buffered messages and characters (all streams of the session). */
  get stats(): { streams: number; events: number; bytes: number } {
    return { streams: this.streams.size, events: this.events, bytes: this.bytes }
  }

  /** Ends every stream (the session closed): requests still running are given up (so cancelled) at once. */
  close(): void {
    for (const s of [...this.streams.values()]) s.expire()
  }

  /** @internal A message was added to `s`: account for it and evict while over the limits. */
  added(s: ResumableStream, e: StoredEvent): void {
    this.events++
    this.bytes += e.json.length
    if (!this.over()) return
    // finished streams go first (whole), then the oldest notifications of the stream that is being
    // written (a flood of progress is what fills the buffer), then those of the other live streams
    for (const o of this.streams.values()) {
      if (!this.over()) return
      if (o !== s && o.finished) o.discard()
    }
    while (this.over() && s.dropOldestNotification());
    for (const o of this.streams.values()) while (this.over() && o.dropOldestNotification());
    // what is left over the limit are answers and requests of live calls: kept, they are owed
  }

  /** @internal */
  dropped(e: StoredEvent): void {
    this.events--
    this.bytes -= e.json.length
  }

  /** @internal */
  removed(s: ResumableStream, events: readonly StoredEvent[]): void {
    if (this.streams.get(s.no) === s) this.streams.delete(s.no)
    for (const e of events) this.dropped(e)
  }

  private over(): boolean {
    return this.events > this.limits.maxEvents || this.bytes > this.limits.maxBytes
  }
}

/**
 * One POST's stream: the messages written to it (kept for resumption) and the connection currently
 * reading it (the POST's own first, a resuming GET after a drop, none in between).
 */
export class ResumableStream {
  /** The POST response's body. */
  readonly body: ReadableStream<Uint8Array>
  private conn?: SseStream
  private events: StoredEvent[] = []
  private seq = 0
  private timer?: ReturnType<typeof setTimeout>
  finished = false
  private discarded = false

  constructor(
    private readonly store: ResumeStore,
    readonly no: number,
    priming: boolean,
    signal: AbortSignal | undefined,
    private readonly onexpire: () => void,
  ) {
    const c = (this.conn = this.connect(signal))
    // the priming event (the SDK's layout) sends the headers now and gives the client an id to resume from
    c.raw(priming ? `id: ${no}-0\nretry: ${store.limits.retryMs}\ndata: \n\n` : `retry: ${store.limits.retryMs}\n\n`)
    this.body = c.body
  }

  get lastSeq(): number {
    return this.seq
  }

  /** True while a connection reads the stream. */
  get attached(): boolean {
    return this.conn !== undefined
  }

  /** One JSON-RPC message, serialised; `kind` (the message) for a notification, which is droppable. */
  send(json: string, kind?: MessageKind): void {
    if (this.finished) return
    const e: StoredEvent = { seq: ++this.seq, json, droppable: kind !== undefined && (kind.id === undefined || kind.id === null) }
    this.events.push(e)
    // a live reader that does not take what it is sent gets fewer notifications (core/outbound)
    this.conn?.event(this.format(e), kind)
    this.store.added(this, e)
  }

  /** Every message was written: the connection ends; the messages stay resumable for `keepMs`. */
  end(): void {
    if (this.finished) return
    this.finished = true
    this.clearTimer()
    this.conn?.end()
    this.conn = undefined
    this.timer = setTimeout(() => this.discard(), this.store.limits.keepMs)
    this.timer.unref?.()
  }

  /** Its requests are given up now (the session closed); nothing to resume. */
  expire(): void {
    if (!this.finished) this.onexpire() // the reply abandons, which discards this stream
    this.discard()
  }

  /** Gone for good (abandoned, evicted, session closed): nothing to resume. */
  discard(): void {
    if (this.discarded) return
    this.discarded = true
    this.finished = true
    this.clearTimer()
    this.conn?.end()
    this.conn = undefined
    const events = this.events
    this.events = []
    this.store.removed(this, events)
  }

  /**
   * A client's `GET` with `Last-Event-ID` `<no>-<afterSeq>`: a body with the messages after it, then,
   * while the request is still running, its further messages live (a connection not yet seen to drop
   * is replaced). A finished stream's body ends after the replay.
   */
  resume(afterSeq: number, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
    const c = this.connect(signal)
    c.raw(`retry: ${this.store.limits.retryMs}\n\n`)
    for (const e of this.events) if (e.seq > afterSeq) c.raw(this.format(e))
    if (this.finished) {
      c.end()
      return c.body
    }
    this.clearTimer()
    const old = this.conn
    this.conn = c
    old?.end()
    return c.body
  }

  /** @internal Drops the oldest notification kept (false: none left). */
  dropOldestNotification(): boolean {
    const i = this.events.findIndex((e) => e.droppable)
    if (i < 0) return false
    const [e] = this.events.splice(i, 1)
    this.store.dropped(e!)
    return true
  }

  private connect(signal: AbortSignal | undefined): SseStream {
    const c: SseStream = new SseStream(this.store.keepAliveMs, () => this.lost(c), signal)
    return c
  }

  /** The reading connection went away: wait `graceMs` for a resume, then give the request up. */
  private lost(c: SseStream): void {
    if (this.conn !== c) return
    this.conn = undefined
    if (this.finished) return
    this.clearTimer()
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (!this.conn && !this.finished) this.onexpire()
    }, this.store.limits.graceMs)
    this.timer.unref?.()
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private format(e: StoredEvent): string {
    return `event: message\nid: ${this.no}-${e.seq}\ndata: ${e.json}\n\n`
  }
}
