/**
 * @module pool/session-renewal
 * A Streamable HTTP server that dropped our session (it restarted, or expired the session) answers a
 * request carrying the `Mcp-Session-Id` with 404 (the spec: the client MUST start a new session), or,
 * as SDK servers such as server-everything do, with 400 "No valid session ID provided" / "Server not
 * initialized". The request was not processed: a new session is opened — our `initialize` again,
 * `notifications/initialized`, then what the old session held (the log level, resource
 * subscriptions) — and the request is sent once more. Once: a second refusal is that request's error,
 * and other statuses are never retried. Requests sent while a new session is being opened wait for
 * it. Afterwards the lists the server declares are announced changed (a restarted server may list
 * other tools), as a reconnect would list them again.
 */
import type { JSONRPCMessage, TransportSendOptions } from "@modelcontextprotocol/client"
import { cutText, DownstreamError, errorMessage, type Logger } from "../core/index.ts"
import { remoteRequestError, type SeenAnswer } from "./remote-errors.ts"

type Send = (message: JSONRPCMessage | JSONRPCMessage[], options?: TransportSendOptions) => Promise<void>

/** What the renewal needs of the SDK transport under it. */
export interface SessionTransport {
  readonly sessionId?: string | undefined
  readonly protocolVersion?: string | undefined
}

export interface RenewalOptions {
  server: string
  /** The endpoint label (no userinfo, no query) and the last answer seen, for the words of a request that failed. */
  endpoint: string
  seen?: SeenAnswer
  log: Logger
  /** How long the new session's `initialize` (and each replayed request) may take. */
  timeoutMs: number
  /** Hands a message to whoever reads the transport (the list changes announced after a renewal). */
  deliver(message: JSONRPCMessage): void
}

/** The ids of our own requests (never a number: the connection's own ids are). */
const OWN_ID = "mcpo-session-"

const LIST_CHANGED: Record<string, string> = { tools: "notifications/tools/list_changed", prompts: "notifications/prompts/list_changed", resources: "notifications/resources/list_changed" }

interface Waiter {
  resolve(m: { result?: unknown; error?: unknown }): void
  reject(e: unknown): void
}

export class SessionRenewal {
  /** Our last `initialize` request (sent again, with an id of ours, to open a new session). */
  private init: { method: string; params?: unknown } | undefined
  private level: unknown
  private readonly subscribed = new Set<string>()
  private renewing: Promise<void> | undefined
  private seq = 0
  private readonly waiting = new Map<string, Waiter>()

  constructor(
    private readonly t: SessionTransport,
    private readonly o: RenewalOptions,
  ) {}

  /**
   * Sends `message` with `send`; a request the server refused because our session is gone is sent
   * once more on a new session.
   */
  async send(message: JSONRPCMessage | JSONRPCMessage[], options: TransportSendOptions | undefined, send: Send): Promise<void> {
    if (this.renewing !== undefined) await this.renewing.catch(() => {})
    const m = message as { id?: unknown; method?: unknown; params?: Record<string, unknown> }
    const request = typeof m.method === "string" && m.id !== undefined
    if (request) this.note(m.method as string, m.params, message as JSONRPCMessage)
    const sid = this.t.sessionId
    try {
      await send(message, options)
    } catch (e) {
      if (!request || m.method === "initialize" || sid === undefined || !sessionGone(e)) throw e
      // a new session being opened (by this refusal or another's) is this request's too
      if (this.renewing !== undefined) await this.renewing
      else if (this.t.sessionId === sid) await this.renew(e, send)
      await send(message, options)
    }
  }

  /** A message from the server: true when it answers one of our own requests (taken here). */
  take(message: JSONRPCMessage): boolean {
    const id = (message as { id?: unknown }).id
    if (typeof id !== "string" || !id.startsWith(OWN_ID)) return false
    const w = this.waiting.get(id)
    if (w === undefined) return true
    this.waiting.delete(id)
    w.resolve(message as { result?: unknown; error?: unknown })
    return true
  }

  /** One of our own requests ended without an answer (its stream closed): false when `id` is not ours. */
  fail(id: string | number, error: unknown): boolean {
    if (typeof id !== "string" || !id.startsWith(OWN_ID)) return false
    const w = this.waiting.get(id)
    this.waiting.delete(id)
    w?.reject(error)
    return true
  }

  /** What a new session must be told again. */
  private note(method: string, params: Record<string, unknown> | undefined, message: JSONRPCMessage): void {
    if (method === "initialize") {
      const { id: _id, ...rest } = message as { id: unknown; method: string; params?: unknown }
      this.init = rest
    } else if (method === "logging/setLevel") this.level = params
    else if (method === "resources/subscribe" && typeof params?.uri === "string") this.subscribed.add(params.uri)
    else if (method === "resources/unsubscribe" && typeof params?.uri === "string") this.subscribed.delete(params.uri)
  }

  private renew(refused: unknown, send: Send): Promise<void> {
    this.renewing ??= this.open(refused, send).finally(() => (this.renewing = undefined))
    return this.renewing
  }

  private async open(refused: unknown, send: Send): Promise<void> {
    const why = refusal(refused)
    this.o.log.info("remote server dropped our session (restarted, or expired it); opening a new one and sending the request again", { why })
    try {
      if (this.init === undefined) throw new DownstreamError("NOT_CONNECTED", "no initialize to send again")
      const version = this.t.protocolVersion
      const result = (await this.request(this.init.method, this.init.params, send)) as { protocolVersion?: unknown; capabilities?: Record<string, unknown> } | undefined
      if (version !== undefined && result?.protocolVersion !== version) {
        throw new DownstreamError("PROTOCOL_VERSION", `the new session speaks protocol ${JSON.stringify(result?.protocolVersion)}, not ${version}`)
      }
      await send({ jsonrpc: "2.0", method: "notifications/initialized" } as JSONRPCMessage)
      await this.restore(send)
      // as a reconnect would: the lists are read again (a restarted server may serve other ones)
      for (const [kind, method] of Object.entries(LIST_CHANGED)) if (result?.capabilities?.[kind]) this.o.deliver({ jsonrpc: "2.0", method } as JSONRPCMessage)
    } catch (e) {
      throw new DownstreamError("WRITE_FAILED", `server ${this.o.server} dropped our session (${why}), and opening a new one failed: ${errorMessage(remoteRequestError(e, this.o.endpoint, this.o.seen))}`, {
        cause: e,
        remedy: "The pool reconnects with backoff; check that the server is healthy.",
        details: { server: this.o.server },
      })
    }
  }

  /** The log level and the resource subscriptions of the old session (a failure is logged, not the request's). */
  private async restore(send: Send): Promise<void> {
    const replays: [string, unknown][] = []
    if (this.level !== undefined) replays.push(["logging/setLevel", this.level])
    for (const uri of this.subscribed) replays.push(["resources/subscribe", { uri }])
    await Promise.all(
      replays.map(([method, params]) =>
        this.request(method, params, send).catch((e: unknown) => this.o.log.warn("could not restore on the new remote session", { method, error: errorMessage(remoteRequestError(e, this.o.endpoint, this.o.seen)) })),
      ),
    )
  }

  /** A request of ours on the current session, its answer taken by `take`; within `timeoutMs`. */
  private request(method: string, params: unknown, send: Send): Promise<unknown> {
    const id = `${OWN_ID}${++this.seq}`
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, new DownstreamError("TIMEOUT", `no answer to ${method} within ${this.o.timeoutMs} ms`)), this.o.timeoutMs)
      const done = (): void => clearTimeout(timer)
      this.waiting.set(id, {
        resolve: (m) => {
          done()
          if (m.error !== undefined) reject(new DownstreamError("CONNECT_FAILED", `${method} was refused: ${errorMessage((m.error as { message?: unknown }).message ?? m.error)}`))
          else resolve(m.result)
        },
        reject: (e) => {
          done()
          reject(e)
        },
      })
      send({ jsonrpc: "2.0", id, method, ...(params !== undefined ? { params } : {}) } as JSONRPCMessage).catch((e: unknown) => this.fail(id, e))
    })
  }
}

/**
 * The answer of a server that no longer knows the session we named: 404 (the spec), or 400 whose
 * body says the session is not valid or the server not initialized (SDK servers: server-everything
 * "No valid session ID provided", a restarted single-session server "Server not initialized").
 */
export function sessionGone(e: unknown): boolean {
  const data = (e as { data?: { status?: unknown; text?: unknown } } | null)?.data
  if (data?.status === 404) return true
  return data?.status === 400 && typeof data.text === "string" && /session|not initialized/i.test(data.text)
}

/** "HTTP 400: Bad Request: No valid session ID provided" from the refused answer. */
function refusal(e: unknown): string {
  const data = (e as { data?: { status?: unknown; text?: unknown } } | null)?.data
  let text = typeof data?.text === "string" ? data.text : ""
  try {
    const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message
    if (typeof m === "string") text = m
  } catch {
    // not JSON: the text as it is
  }
  text = cutText(text.replace(/\s+/g, " ").trim(), 200)
  return `HTTP ${String(data?.status)}${text ? `: ${text}` : ""}`
}
