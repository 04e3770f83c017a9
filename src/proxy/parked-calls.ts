/**
 * @module proxy/parked-calls
 * A legacy (2025-era) downstream asks its client something mid-call (`elicitation/create`,
 * `sampling/createMessage`, `roots/list`), but the client speaks 2026-07-28, which has no
 * server→client requests: it gets such questions as `input_required` (MRTR) and asks again. So the
 * downstream's call is parked: the client's request is answered `input_required` with the question
 * (rewritten as any relayed one: the asking server named) and a sealed `requestState` naming the
 * parked call; its retry hands the answers to the waiting server and waits on the same call again,
 * for its result or the next question. Before, every such question was declined ("method not
 * found"), so a legacy server's elicitation never reached a 2026-07-28 user.
 *
 * One `ParkedCall` per modern client request in flight to a server. A stdio downstream's question
 * carries no link to the request it serves, so which call takes it is chosen: the latest call whose
 * request is open and holds no question yet (it can carry this one now), else the latest one open,
 * else the latest parked (it goes with that call's retry). Before, the latest call took every
 * question: with two calls in flight, the second question queued behind the first's retry while
 * the other request, waiting, had nothing to show its client. A parked call the client does not
 * come back for is cancelled at the downstream after `parkMs`; a retry after that is told to start over.
 */
import { randomUUID } from "node:crypto"
import { CallCancel, listenAbort, ProtocolError, unlistenAbort, type AbortSource } from "../core/index.ts"
import type { InputRequest } from "./mrtr.ts"
import { badClientAnswer, checkedClientAnswer } from "./client-answer.ts"
import type { CallOptions } from "../pool/index.ts"
import type { ModernRequest } from "./types.ts"

/** Parked calls kept at most (the oldest is let go first): each holds a downstream call open. */
export const MAX_PARKED = 256

interface Question {
  key: string
  ask: InputRequest
  answer(v: unknown): void
  fail(e: Error): void
}

/** What a round of a parked call came to: the downstream's outcome, or questions for the client. */
export type Turn = { result: unknown } | { asks: Record<string, InputRequest> }

/** How a 2026-07-28 client is named in the refusal of its answer (it sends no initialize, so no name). */
const MODERN_CLIENT = "an MCP 2026-07-28 client"

export class ParkedCall {
  readonly id = randomUUID()
  /** Cancels the downstream call (the client's cancel is linked to it only while it waits on a round). */
  readonly cancel = new CallCancel()
  private call: Promise<unknown> | undefined
  private queued: Question[] = []
  /** Asked in the last `input_required`, awaiting the client's retry. */
  private sent = new Map<string, Question>()
  private wake: (() => void) | undefined
  private asked = 0
  /** A round is being waited on (a second retry with the same state is refused meanwhile). */
  busy = false
  /** Answered `input_required`, waiting for the client's retry (ParkedCalls `park` to `take`). */
  parked = false
  /** The downstream call settled: a question can no longer be answered. */
  settled = false
  timer: ReturnType<typeof setTimeout> | undefined
  /** Where the downstream's progress goes: the request waiting on a turn (its token), none while parked. */
  progress: CallOptions["onProgress"]

  constructor(
    readonly server: string,
    /** What the client's latest request declared (its capabilities decide what may be asked). */
    public modern: ModernRequest,
  ) {}

  /** A question waits to go out with this call's next turn. */
  get holdsQuestion(): boolean {
    return this.queued.length !== 0
  }

  /** The downstream call this parks (started with `this.cancel`). */
  start(call: Promise<unknown>): void {
    this.call = call
    call.then(
      () => this.end(),
      () => this.end(),
    )
  }

  private end(): void {
    this.settled = true
    const left = [...this.queued, ...this.sent.values()]
    this.queued = []
    this.sent.clear()
    for (const q of left) q.fail(new ProtocolError(-32603, "the call this request was made for has ended"))
  }

  /** A question of the server, answered when the client's retry brings the answer. */
  ask(ask: InputRequest, signal: AbortSignal): Promise<unknown> {
    if (this.settled) return Promise.reject(new ProtocolError(-32603, "the call this request was made for has ended"))
    return new Promise((answer, fail) => {
      const q: Question = { key: `${this.server}-${++this.asked}`, ask, answer, fail }
      // the server gave up on its request (cancelled it, or its connection closed): nothing to ask any more
      const drop = (): void => {
        this.queued = this.queued.filter((x) => x !== q)
        this.sent.delete(q.key)
        fail(new ProtocolError(-32800, "request cancelled"))
      }
      if (signal.aborted) return drop()
      signal.addEventListener("abort", drop, { once: true })
      this.queued.push(q)
      this.wake?.()
    })
  }

  /**
   * The answers of the client's retry to the questions it was sent (a question it left unanswered
   * is an error to the server); then waits on the call again. Each answer is checked against its
   * question's result schema (proxy/client-answer): a malformed one is a -32602 to the server, and
   * returned (the method and the wrong fields) for the caller to warn about.
   */
  answer(responses: Record<string, unknown> | undefined): Array<{ method: string; fields: string[] }> {
    const bad: Array<{ method: string; fields: string[] }> = []
    for (const [key, q] of this.sent) {
      if (responses !== undefined && Object.hasOwn(responses, key)) {
        try {
          q.answer(checkedClientAnswer(this.server, q.ask.method, responses[key], MODERN_CLIENT))
        } catch (e) {
          const b = badClientAnswer(e)
          if (b) bad.push({ method: q.ask.method, fields: b.fields })
          q.fail(e instanceof Error ? e : new Error(String(e)))
        }
      } else q.fail(new ProtocolError(-32602, `the client answered the retry without a response to ${q.ask.method} (inputResponses["${key}"] missing)`))
    }
    this.sent.clear()
    return bad
  }

  /**
   * The next turn: the call's outcome, or the questions asked meanwhile (those asked together, in
   * the same turn of the event loop, go out together). `client` (the cancel of the client's
   * request) cancels the call while it is waited on.
   */
  next(client: AbortSource): Promise<Turn> {
    const call = this.call!
    this.busy = true
    return new Promise<Turn>((resolve, reject) => {
      let done = false
      // the client's own reason (a cancel, a disconnect, our shutdown) is the downstream call's
      const onCancel = (): void => this.cancel.abort(client.reason instanceof Error ? client.reason : new Error("cancelled by the client"))
      if (client.aborted) onCancel()
      else listenAbort(client, onCancel)
      const finish = (): void => {
        done = true
        this.wake = undefined
        this.busy = false
        unlistenAbort(client, onCancel)
      }
      const take = (): void => {
        if (done || this.queued.length === 0) return
        finish()
        const asks: Record<string, InputRequest> = {}
        for (const q of this.queued.splice(0)) {
          this.sent.set(q.key, q)
          Object.defineProperty(asks, q.key, { value: q.ask, enumerable: true, writable: true, configurable: true })
        }
        resolve({ asks })
      }
      this.wake = () => setImmediate(take)
      call.then(
        (result) => {
          if (done) return
          finish()
          resolve({ result })
        },
        (e: unknown) => {
          if (done) return
          finish()
          reject(e)
        },
      )
      if (this.queued.length !== 0) this.wake()
    })
  }
}

/** The parked calls of this proxy, and the call of each server that takes its questions. */
export class ParkedCalls {
  private readonly live = new Map<string, ParkedCall>()
  /** Per server, the calls in flight in order of arrival (the last one takes the questions). */
  private readonly running = new Map<string, ParkedCall[]>()

  constructor(private readonly parkMs: () => number) {}

  /** A modern client's request to `server` begins: its call can be parked. */
  open(server: string, modern: ModernRequest): ParkedCall {
    const p = new ParkedCall(server, modern)
    const list = this.running.get(server)
    if (list) list.push(p)
    else this.running.set(server, [p])
    return p
  }

  /**
   * The call of `server` that takes a question of it (none names its call: see the module's
   * comment): the latest open one holding no question, else the latest open one, else the latest
   * parked one (the question goes with its next retry). Never a settled one.
   */
  current(server: string): ParkedCall | undefined {
    const list = this.running.get(server)
    if (list === undefined) return undefined
    let open: ParkedCall | undefined
    let parked: ParkedCall | undefined
    for (let i = list.length - 1; i >= 0; i--) {
      const p = list[i]!
      if (p.settled) continue
      if (p.parked) parked ??= p
      else if (!p.holdsQuestion) return p
      else open ??= p
    }
    return open ?? parked
  }

  /** `p` answered the client with questions: kept until the client's retry, at most `parkMs`. */
  park(p: ParkedCall): void {
    p.parked = true
    this.live.set(p.id, p)
    p.timer = setTimeout(() => this.drop(p, "the client did not come back with its answers in time"), this.parkMs())
    p.timer.unref?.()
    if (this.live.size > MAX_PARKED) {
      const oldest = this.live.values().next().value!
      this.drop(oldest, `more than ${MAX_PARKED} calls were waiting for their clients' answers`)
    }
  }

  /** The parked call `id`, taken for a retry; a -32602 error saying why there is none. */
  take(id: string, server: string): ParkedCall {
    const p = this.live.get(id)
    if (p === undefined || p.server !== server) {
      throw new ProtocolError(-32602, `Invalid params: requestState names a call of server ${server} that is over (its answers did not come in time, or it was retried already)`, {
        remedy: "Send the request again without inputResponses and requestState to start over.",
        details: { reason: "invalid_request_state" },
      })
    }
    if (p.busy) throw new ProtocolError(-32602, "Invalid params: requestState is being retried already (one retry per input_required)", { details: { reason: "invalid_request_state" } })
    clearTimeout(p.timer)
    this.live.delete(id)
    p.parked = false
    return p
  }

  /** `p` is done with (its outcome went to the client, or it failed). */
  close(p: ParkedCall): void {
    const list = this.running.get(p.server)
    if (list) {
      const i = list.indexOf(p)
      if (i >= 0) list.splice(i, 1)
      if (list.length === 0) this.running.delete(p.server)
    }
  }

  private drop(p: ParkedCall, why: string): void {
    if (this.live.get(p.id) !== p) return
    this.live.delete(p.id)
    clearTimeout(p.timer)
    p.cancel.abort(new Error(`parked call let go: ${why}`))
    this.close(p)
  }

  /** Every parked call let go (the proxy closes). */
  clear(): void {
    for (const p of [...this.live.values()]) this.drop(p, "mcp-orchestrator is stopping")
  }
}
