/**
 * @module core/outbound
 * What may be held back toward a client that does not read its output (a hung editor extension
 * host, a stalled HTTP stream), so the messages for it cannot pile up in our memory without bound.
 * Answers and requests are owed: always written. A notification that only reports a state is kept
 * while the client's backlog is over the bound, the latest one per key replacing the earlier
 * (progress per token, list_changed per kind, resources/updated per URI), and written before the next
 * owed message (an answer never overtakes a progress it follows) or once the client has drained. A
 * log message is dropped. Each notification not written is counted (`clientDrops`: /metrics, and a
 * warning at most every few seconds).
 */
import type { Logger } from "./logger.ts"

/** Bytes written for a client and not taken by it yet over which notifications are held back. */
export const CLIENT_BACKLOG_BYTES = 1024 * 1024
/** Notifications kept per client while it does not read (distinct keys); one more is dropped. */
export const MAX_HELD = 1024

/**
 * What a message toward a client is when the client does not read: `undefined` owed (an answer, a
 * request, a notification that must arrive), `null` droppable (a log message), a string the key under
 * which the latest one replaces the earlier.
 */
export type HoldKey = string | null | undefined

/** The hold key of a message: see `HoldKey`. */
export function holdKey(m: { id?: unknown; method?: unknown; params?: unknown }): HoldKey {
  if (typeof m.method !== "string" || (m.id !== undefined && m.id !== null)) return undefined
  const params = m.params as Record<string, unknown> | undefined
  switch (m.method) {
    case "notifications/progress":
      return `progress ${JSON.stringify(params?.progressToken ?? null)}`
    case "notifications/resources/updated":
      return typeof params?.uri === "string" ? `updated ${params.uri}` : null
    case "notifications/tools/list_changed":
    case "notifications/prompts/list_changed":
    case "notifications/resources/list_changed":
      return m.method
    case "notifications/message":
      return null
    default:
      return undefined
  }
}

/** The process's count of notifications not written to a client that did not read them, by method. */
export class ClientDrops {
  private readonly counts = new Map<string, number>()
  private sinceReport = new Map<string, number>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly logs: Logger[] = []

  constructor(private readonly reportMs = 5000) {}

  /** One notification of `method` was not written: the first is logged at once, the next ones in one line per `reportMs`. */
  note(method: string): void {
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1)
    this.sinceReport.set(method, (this.sinceReport.get(method) ?? 0) + 1)
    if (this.timer === undefined) this.report()
  }

  /** Counts since start, by method. */
  get byMethod(): ReadonlyMap<string, number> {
    return this.counts
  }

  get total(): number {
    let n = 0
    for (const v of this.counts.values()) n += v
    return n
  }

  /** `log` gets one warning per `reportMs` while notifications are dropped (the first one registered that is still there). */
  watch(log: Logger): () => void {
    this.logs.push(log)
    return () => {
      const i = this.logs.indexOf(log)
      if (i >= 0) this.logs.splice(i, 1)
    }
  }

  /** Logs what was dropped since the last line (if anything), then waits `reportMs` before the next. */
  private report(): void {
    this.timer = undefined
    if (this.sinceReport.size === 0 || this.logs.length === 0) return
    this.timer = setTimeout(() => this.report(), this.reportMs)
    this.timer.unref?.()
    const dropped = Object.fromEntries(this.sinceReport)
    this.sinceReport = new Map()
    this.logs[0]!.warn("notifications to a client dropped: it does not read what is sent to it", {
      dropped,
      backlogLimitBytes: CLIENT_BACKLOG_BYTES,
      totalSinceStart: this.total,
    })
  }
}

/** The process-wide count (the transports of both faces add to it). */
export const clientDrops = new ClientDrops()

export interface OutboundGateOptions {
  /** Bytes written for the client and not taken by it yet. */
  backlog(): number
  /** Writes one message's text now. */
  write(text: string): void
  /** Over this backlog, notifications are held back (default CLIENT_BACKLOG_BYTES). */
  limit?: number
  /** Counts a notification not written (default: `clientDrops`). */
  drops?: Pick<ClientDrops, "note">
}

/** One client's output: notifications held back while its backlog is over the bound (see the module). */
export class OutboundGate {
  /** The latest held notification per key, oldest first: [method, text]. */
  private readonly held = new Map<string, [string, string]>()
  private readonly limit: number
  private readonly drops: Pick<ClientDrops, "note">

  constructor(private readonly o: OutboundGateOptions) {
    this.limit = o.limit ?? CLIENT_BACKLOG_BYTES
    this.drops = o.drops ?? clientDrops
  }

  /** Notifications held right now. */
  get holding(): number {
    return this.held.size
  }

  /** Is the client behind (its backlog over the bound)? */
  get behind(): boolean {
    return this.o.backlog() > this.limit
  }

  /** Is a message with `key` to be held back now (the client is behind and it is no owed one)? Then `hold` it. */
  holds(key: HoldKey): key is string | null {
    return key !== undefined && this.behind
  }

  /** A notification the client is too far behind for: kept as the latest of its key, or dropped (a log message, or too many held). */
  hold(text: string, key: string | null, method: string): void {
    if (key === null) return this.drops.note(method)
    if (this.held.has(key)) {
      this.held.delete(key) // re-added last: held notifications go out in the order of their latest
      this.drops.note(method)
    } else if (this.held.size >= MAX_HELD) return this.drops.note(method)
    this.held.set(key, [method, text])
  }

  /**
   * Writes a message: an owed one (`key` undefined) after what is held; a notification at once
   * while the client keeps up, else it is held (latest per key) or dropped.
   */
  send(text: string, key: HoldKey, method: string): void {
    if (this.holds(key)) return this.hold(text, key, method)
    this.release()
    this.o.write(text)
  }

  /** Writes what is held (before an owed message, or once the client drained). */
  release(): void {
    if (this.held.size === 0) return
    const all = [...this.held.values()]
    this.held.clear()
    for (const [, text] of all) this.o.write(text)
  }

  /** The client has taken what was written (or part of it): what is held goes out if it keeps up now. */
  drained(): void {
    if (this.held.size !== 0 && !this.behind) this.release()
  }

  /** The client is gone: what is held is dropped. */
  clear(): void {
    this.held.clear()
  }
}
