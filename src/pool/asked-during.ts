/**
 * @module pool/asked-during
 * Which of our requests a remote server's own request (elicitation/create, sampling/createMessage…)
 * was made for. On Streamable HTTP the server sends it on the response stream of the POST it is
 * serving, so the request it belongs to is known exactly (pool/own-answers `SseAnswerCheck` tells
 * it). Before, the question went to the client of the server's latest call (the stdio guess): with
 * two clients calling the same remote server, one client's question could go to the other.
 */

type Id = string | number

/** A transport that knows which of our requests a request of the server's was made for (Streamable HTTP: the POST whose stream carried it). */
export interface RelatedRequests {
  relatedRequest?(asked: Id): Id | undefined
}

/** The `_meta` key by which a server ties its request to one of ours (MCP's related-request id). */
const RELATED_KEY = "io.modelcontextprotocol/related-request-id"

/**
 * The id of ours a server's request names in its `_meta`: the related-request id, else a progress
 * token (ours are our request ids: pool/rpc). Our ids are numbers; a server may echo one as a string.
 */
export function namedRequest(params: Record<string, unknown> | undefined): Id | undefined {
  const meta = params?._meta
  if (typeof meta !== "object" || meta === null) return undefined
  const m = meta as Record<string, unknown>
  for (const v of [m[RELATED_KEY], m.progressToken]) {
    if (typeof v === "number") return v
    if (typeof v === "string") return /^\d{1,15}$/.test(v) ? Number(v) : v
  }
  return undefined
}

/** The most relations kept: a server that asks and never has its question read (closed early) cannot grow this. */
const MAX_KEPT = 1024

export class AskedDuring {
  private readonly of = new Map<Id, Id>()

  /** The server's request `asked` came on the response stream of our request `ours`. */
  note(asked: Id, ours: Id): void {
    this.of.delete(asked)
    this.of.set(asked, ours)
    if (this.of.size > MAX_KEPT) this.of.delete(this.of.keys().next().value!)
  }

  /** Our request the server's request `asked` was made for (read once: the relation is then forgotten). */
  take(asked: Id): Id | undefined {
    const ours = this.of.get(asked)
    if (ours !== undefined) this.of.delete(asked)
    return ours
  }

  clear(): void {
    this.of.clear()
  }
}
