/**
 * @module http/legacy-sse
 * One legacy session served over the 2024-11-05 HTTP+SSE transport (`GET /sse` opens the session's
 * one event stream, `POST /messages?sessionId=…` brings the client's messages): every answer goes on
 * that stream. This link keeps the requests not answered yet, so that each counts as in flight (the
 * session is busy, the shutdown waits for it and then answers it with its error), a request the client
 * cancelled is no longer waited for (its late answer is dropped), and a stream that ends (the client
 * closed it, the session was closed) cancels every one of them downstream (`notifications/cancelled`).
 */
import { answerOf, HTTP_CLIENTS, oversize, oversizeAnswer, toolErrorResult } from "../mcp/index.ts"
import { errorAnswer, resultAnswer } from "./call.ts"
import type { ClientLimit, Id, InFlight, RpcMessage, StopError } from "./reply.ts"
import type { SseStream } from "./sse.ts"
import type { HttpTransport } from "./transport.ts"

export class LegacySseLink {
  /** Requests of the client not answered yet, with what forgets them in the session's in-flight set. */
  private readonly asked = new Map<Id, { request: RpcMessage; untrack: () => void }>()
  private ended = false
  /** The client sent initialize: its other requests are served (before it, they are refused: postSse). */
  initialized = false

  constructor(
    readonly stream: SseStream,
    private readonly transport: HttpTransport,
    private readonly o: {
      inflight: InFlight
      /** A request began (+1) or ended (-1): the session is busy while any is open. */
      busy(delta: number): void
      limit?: ClientLimit
    },
  ) {
    transport.standalone = stream
    transport.unreplied = (answer) => this.answered(answer)
  }

  /** Is request `id` of the client still waiting for its answer? */
  awaits(id: Id): boolean {
    return this.asked.has(id)
  }

  /** The stream is open: the session can still answer on it. */
  get open(): boolean {
    return !this.ended && !this.stream.closed
  }

  /** One message the client POSTed, handed to the face. */
  receive(m: RpcMessage): void {
    if (m.method === "initialize") this.initialized = true
    if (m.method !== undefined && m.id !== undefined && m.id !== null) this.track(m.id, m)
    else if (m.method === "notifications/cancelled" && m.id === undefined) {
      // no longer outstanding: nothing is answered for it (the face drops it too), its id may be used again
      const target = m.params?.requestId as Id | undefined
      if (target !== undefined) this.settle(target)
    }
    this.transport.receive([m])
  }

  /**
   * The stream is over (closed by the client, or the session closed): every request still waiting is
   * cancelled at the face, which cancels it downstream. Returns their methods (for the owner's one log line).
   */
  end(reason: string): string[] {
    if (this.ended) return []
    this.ended = true
    const cancelled: string[] = []
    for (const [id, { request }] of [...this.asked]) {
      this.settle(id)
      cancelled.push(String(request.method))
      this.transport.deliver({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason } })
    }
    this.stream.end()
    return cancelled
  }

  private track(id: Id, request: RpcMessage): void {
    const untrack = this.o.inflight.add((stop) => this.stopped(id, stop))
    this.asked.set(id, { request, untrack })
    this.o.busy(1)
  }

  /** Forgets request `id` (answered, cancelled): true when it was waiting. */
  private settle(id: Id): boolean {
    const a = this.asked.get(id)
    if (!a) return false
    this.asked.delete(id)
    a.untrack()
    this.o.busy(-1)
    return true
  }

  /** The face's answer to a request of this session: on the stream, within `proxy.maxMessageBytes`. */
  private answered(answer: RpcMessage): void {
    const id = answer.id as Id
    const request = this.asked.get(id)?.request
    // a request the client cancelled (or one the shutdown answered already): its answer is dropped
    if (!request || !this.settle(id)) return
    const json = JSON.stringify(answer)
    const limit = this.o.limit
    const over = limit === undefined ? undefined : oversize(json, limit.maxBytes)
    if (over === undefined) return this.stream.send(json)
    const about = answerOf({ method: String(request.method), params: request.params }, limit!.serverOf)
    this.stream.send(JSON.stringify(oversizeAnswer(id, over, limit!.maxBytes, request.method === "tools/call", about, HTTP_CLIENTS)))
  }

  /** Shutdown: request `id` is cancelled at the face and answered now with the shutdown's error. */
  private stopped(id: Id, stop: StopError): void {
    const request = this.asked.get(id)?.request
    if (!request || !this.settle(id)) return
    this.transport.deliver({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "the orchestrator is shutting down" } })
    const tool = request.method === "tools/call"
    const err = stop(false, tool)
    this.stream.send(tool ? resultAnswer(JSON.stringify(id), toolErrorResult(err)) : JSON.stringify(errorAnswer(id, err)))
  }
}
