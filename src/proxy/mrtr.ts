/**
 * @module proxy/mrtr
 * Multi-round-trip requests (MRTR, MCP 2026-07-28): a modern downstream answers `tools/call`,
 * `prompts/get` or `resources/read` with `input_required` (embedded elicitation, sampling or roots
 * requests, and an opaque `requestState`), and expects the same request again, under a new id, with
 * `inputResponses` and the byte-exact `requestState`.
 * - Toward a legacy client we run the rounds here: each embedded request becomes a real
 *   server→client request (gated like any relayed one, relay.ts), and the downstream is asked again.
 * - A modern client gets `input_required` back. Its `requestState` is ours: the downstream's, sealed
 *   (encrypted and authenticated) with the target (server, method, tool/prompt/URI) and a digest of the request's arguments under a
 *   per-process AES-256-GCM key and a TTL, so a retry cannot be redirected to another server or tool, nor
 *   replayed with other arguments (the state a server minted for one request: the spec binds it to
 *   the request), nor forged.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from "node:crypto"
import { canonicalJson } from "../cache/index.ts"
import { DownstreamError, errorMessage, ProtocolError, type Logger } from "../core/index.ts"
import { relayToClient, type ClientSender } from "./relay.ts"
import { badClientAnswer } from "./client-answer.ts"
import type { CallContext, ClientLink, ModernRequest } from "./types.ts"

/** Rounds of input a legacy client is asked for before the call fails (the SDK's shim uses 8 too). */
export const MAX_ROUNDS = 8
/** How long a `requestState` we minted is honoured (a person may take a while to answer). */
export const STATE_TTL_MS = 10 * 60_000
/** A round with only `requestState` (nothing to ask) is retried after this pause, not in a tight loop. */
const STATE_ONLY_PAUSE_MS = 50
const TOKEN_PREFIX = "mcpo1."
const IV_BYTES = 12
const TAG_BYTES = 16
/** Bound into every token's authentication (a GCM token of another use of the same key is not one of ours). */
const AAD = Buffer.from("mcp-orchestrator requestState v1")
/** The client capabilities that matter to a downstream's input requests. */
const RELAYABLE = ["elicitation", "sampling", "roots"] as const

export interface InputRequest {
  method: string
  params?: Record<string, unknown>
}

export interface InputRequiredResult {
  resultType: "input_required"
  inputRequests?: Record<string, InputRequest>
  requestState?: string
  _meta?: Record<string, unknown>
}

export function isInputRequired(r: unknown): r is InputRequiredResult {
  return typeof r === "object" && r !== null && (r as { resultType?: unknown }).resultType === "input_required"
}

/** What a sealed state is bound to: the server, the method, the server's own name of the target and the request's arguments. */
export interface MrtrTarget {
  server: string
  method: string
  /** Tool or prompt name (the server's own), or resource URI. */
  target: string
  /** The request's `arguments` (tools/call, prompts/get), compared by their canonical JSON. */
  args?: unknown
}

/** The digest of a request's arguments a sealed state carries (key order does not matter). */
function argsDigest(args: unknown): string {
  return createHash("sha256").update(canonicalJson(args ?? {})).digest("base64url").slice(0, 22)
}

interface Sealed {
  s: string
  m: string
  t: string
  /** Expiry, epoch ms. */
  e: number
  /** Digest of the request's arguments (argsDigest). */
  a: string
  /** The downstream's requestState, as it sent it. */
  d?: string
  /** Answers we gave ourselves (roots/list for a client without roots), merged into the retry's. */
  p?: Record<string, unknown>
  /** The parked call of a legacy downstream whose questions these are (proxy/parked-calls). */
  k?: string
}

/**
 * `requestState` sealing: AES-256-GCM over the payload (authenticated and encrypted: the client sees
 * neither the downstream's state, which may carry what the server would not show the model, nor what
 * it is bound to), key random per process (a restart invalidates them all).
 */
export class StateSeal {
  private readonly key = randomBytes(32)

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = STATE_TTL_MS,
  ) {}

  seal(t: MrtrTarget, state: string | undefined, pre?: Record<string, unknown>, park?: string): string {
    const payload: Sealed = { s: t.server, m: t.method, t: t.target, e: this.now() + this.ttlMs, a: argsDigest(t.args) }
    if (park !== undefined) payload.k = park
    if (state !== undefined) payload.d = state
    if (pre !== undefined && Object.keys(pre).length > 0) payload.p = pre
    const iv = randomBytes(IV_BYTES)
    const c = createCipheriv("aes-256-gcm", this.key, iv)
    c.setAAD(AAD)
    const body = Buffer.concat([c.update(JSON.stringify(payload), "utf8"), c.final()])
    return `${TOKEN_PREFIX}${Buffer.concat([iv, c.getAuthTag(), body]).toString("base64url")}`
  }

  /** The downstream's state (and our own answers) from a token minted for `t`; a -32602 error otherwise. */
  open(token: string, t: MrtrTarget): { state?: string; pre?: Record<string, unknown>; park?: string } {
    const bad = (why: string): ProtocolError =>
      new ProtocolError(-32602, `Invalid params: requestState ${why}`, { remedy: "Send the request again without inputResponses and requestState to start over.", details: { reason: "invalid_request_state" } })
    if (!token.startsWith(TOKEN_PREFIX)) throw bad("was not issued by mcp-orchestrator")
    const raw = token.slice(TOKEN_PREFIX.length)
    const bytes = Buffer.from(raw, "base64url")
    let text: string
    try {
      // a token that is not canonical base64url was altered (Buffer would read past the odd characters)
      if (bytes.toString("base64url") !== raw || bytes.length <= IV_BYTES + TAG_BYTES) throw new Error("short")
      const d = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, IV_BYTES))
      d.setAAD(AAD)
      d.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
      text = Buffer.concat([d.update(bytes.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString("utf8")
    } catch {
      throw bad("failed verification (altered, or issued by another process)")
    }
    let p: Sealed
    try {
      p = JSON.parse(text) as Sealed
    } catch {
      throw bad("is malformed")
    }
    if (!(p.e > this.now())) throw bad("has expired")
    if (p.s !== t.server || p.m !== t.method || p.t !== t.target) throw bad(`was issued for another request (${p.m} of ${p.t} on server ${p.s})`)
    if (p.a !== argsDigest(t.args)) throw bad(`was issued for ${p.m} of ${p.t} with other arguments (a retry sends the arguments of the request that got it)`)
    return { ...(p.d !== undefined ? { state: p.d } : {}), ...(p.p !== undefined ? { pre: p.p } : {}), ...(typeof p.k === "string" ? { park: p.k } : {}) }
  }
}

/** The relayable part of a client's capabilities, as declared toward a modern downstream. */
export function relayableCapabilities(caps: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (caps) for (const k of RELAYABLE) if (caps[k] !== undefined && caps[k] !== null) out[k] = caps[k]
  return out
}

/** A modern client as `relayToClient` sees it: what its request declared, nothing reachable. */
function modernAsLink(m: ModernRequest, version: string): ClientLink {
  return {
    capabilities: () => m.clientCapabilities as ReturnType<ClientLink["capabilities"]>,
    protocolVersion: () => version,
    request: () => Promise.reject(new Error("a 2026-07-28 client takes no server→client requests")),
    notify: () => Promise.resolve(),
    modern: true,
  }
}

export interface Round {
  target: MrtrTarget
  ctx: CallContext
  /** Per client request (the server's call timeout, as for any relayed request). */
  timeoutMs: number
  /** Asks the downstream again with these extra params (a new request each time). */
  retry(extra: { inputResponses?: Record<string, unknown>; requestState?: string }): Promise<unknown>
}

export class InputRelay {
  /**
   * @param maxStateChars The longest sealed `requestState` a modern client is given (read at each
   *   call: the config may be reloaded): one it could not send back (over the HTTP face's body limit,
   *   with its request around it) fails the call at once, naming the server, not at the client's retry.
   */
  constructor(
    private readonly log: Logger,
    private readonly maxStateChars: () => number = () => Infinity,
    private readonly seal = new StateSeal(),
    private readonly maxRounds = MAX_ROUNDS,
  ) {}

  /**
   * The params of a modern client's retry as the downstream expects them: our `requestState`
   * checked against the target and replaced by the downstream's, our own answers merged in.
   */
  resume(t: MrtrTarget, params: Record<string, unknown>, m: ModernRequest): Record<string, unknown> {
    if (m.requestState === undefined) return m.inputResponses ? { ...params, inputResponses: m.inputResponses } : params
    const { state, pre } = this.seal.open(m.requestState, t)
    const responses = pre || m.inputResponses ? { ...pre, ...m.inputResponses } : undefined
    return { ...params, ...(responses ? { inputResponses: responses } : {}), ...(state !== undefined ? { requestState: state } : {}) }
  }

  /** The parked call a modern client's retry names (its `requestState` checked against `t`), if it names one. */
  parkOf(t: MrtrTarget, m: ModernRequest): string | undefined {
    return m.requestState === undefined ? undefined : this.seal.open(m.requestState, t).park
  }

  /**
   * A legacy downstream's request, made while serving a modern client's call, as that client's
   * `input_required` would carry it: checked against what the client's request declared and
   * rewritten like a relayed one (the asking server named); `answer` when we answer it ourselves
   * (roots/list of a client that declared no roots). Throws the ProtocolError the server is sent
   * when the client cannot take it (the capability not declared).
   */
  question(server: string, ask: InputRequest, m: ModernRequest, version: string): { ask: InputRequest } | { answer: unknown } {
    let rewritten: InputRequest | undefined
    const capture: ClientSender = (method, params) => {
      rewritten = { method, ...(params !== undefined ? { params } : {}) }
      return Promise.resolve(undefined)
    }
    const own = relayToClient(server, ask.method, ask.params, modernAsLink(m, version), capture, { timeoutMs: 0 })
    return rewritten !== undefined ? { ask: rewritten } : { answer: own }
  }

  /** `input_required` carrying a parked legacy call's questions (`park`: its id, sealed in the state). */
  parked(t: MrtrTarget, asks: Record<string, InputRequest>, park: string): InputRequiredResult {
    return { resultType: "input_required", inputRequests: asks, requestState: this.seal.seal(t, undefined, undefined, park) }
  }

  /**
   * `input_required` for a modern client: each embedded request checked against what its request
   * declared and rewritten like a relayed one (the asking server named), the state sealed.
   */
  toModernClient(t: MrtrTarget, r: InputRequiredResult, m: ModernRequest, version: string): InputRequiredResult {
    const link = modernAsLink(m, version)
    const asks: Record<string, InputRequest> = {}
    const pre: Record<string, unknown> = {}
    for (const [key, req] of Object.entries(r.inputRequests ?? {})) {
      let sent = false
      let rewritten: Record<string, unknown> | undefined
      const capture: ClientSender = (_method, params) => {
        sent = true
        rewritten = params
        return Promise.resolve(undefined)
      }
      try {
        void relayToClient(t.server, req.method, req.params, link, capture, { timeoutMs: 0 })
      } catch (e) {
        throw unavailable(t, req, e)
      }
      if (sent) setOwn(asks, key, { method: req.method, ...(rewritten !== undefined ? { params: rewritten } : {}) })
      else setOwn(pre, key, { roots: [] }) // roots/list of a client that declared no roots: answered here, as for a relayed one
    }
    const requestState = this.seal.seal(t, r.requestState, pre)
    if (requestState.length > this.maxStateChars()) throw stateTooLong(t, requestState.length, this.maxStateChars())
    const out: InputRequiredResult = { resultType: "input_required", requestState }
    if (Object.keys(asks).length > 0) out.inputRequests = asks
    if (r._meta !== undefined) out._meta = r._meta
    return out
  }

  /**
   * Rounds of input for a legacy client: every embedded request sent to it as a real request (in
   * order: a person may be asked), then the downstream asked again, at most `maxRounds` times.
   */
  async fulfil(first: InputRequiredResult, round: Round): Promise<unknown> {
    const { target: t, ctx } = round
    let r: unknown = first
    for (let n = 1; isInputRequired(r); n++) {
      if (n > this.maxRounds) {
        throw new DownstreamError("INPUT_REQUIRED_ROUNDS", `server ${t.server} still asked for more input after ${this.maxRounds} rounds to answer ${t.method} of ${t.target}; mcp-orchestrator stopped there`, {
          remedy: "Answer the questions differently, or report the loop to the server's maintainers.",
          details: { server: t.server, rounds: this.maxRounds },
        })
      }
      const asks = Object.entries(r.inputRequests ?? {})
      const responses: Record<string, unknown> = {}
      for (const [key, req] of asks) {
        this.throwIfCancelled(ctx)
        setOwn(responses, key, await this.ask(t, req, ctx, round.timeoutMs))
      }
      if (asks.length === 0) await new Promise((done) => setTimeout(done, STATE_ONLY_PAUSE_MS))
      this.throwIfCancelled(ctx)
      this.log.debug("input relayed; asking the server again", { server: t.server, method: t.method, round: n, answered: asks.map(([k]) => k) })
      r = await round.retry({ ...(asks.length > 0 ? { inputResponses: responses } : {}), ...(r.requestState !== undefined ? { requestState: r.requestState } : {}) })
    }
    return r
  }

  /** One embedded request sent to a legacy client; what it cannot take or refuses fails the call with a clear message. */
  private async ask(t: MrtrTarget, req: InputRequest, ctx: CallContext, timeoutMs: number): Promise<unknown> {
    const client = ctx.client
    const send: ClientSender | undefined = ctx.request ? (m, p, o) => ctx.request!(m, p, o) : client ? (m, p, o) => client.request(m, p, o) : undefined
    let params = req.params
    // the 2026 URL elicitation has no elicitationId; a 2025-11-25 client needs one
    if (req.method === "elicitation/create" && params?.mode === "url" && params.elicitationId === undefined) params = { ...params, elicitationId: randomUUID() }
    this.log.info("server input request relayed to the client", { server: t.server, method: req.method, for: t.method })
    try {
      return await this.gate(t, req, () => relayToClient(t.server, req.method, params, client, send, { signal: ctx.signal, timeoutMs }))
    } catch (e) {
      if (ctx.cancel?.aborted ?? ctx.signal.aborted) throw e
      if (e instanceof DownstreamError) throw e
      const bad = badClientAnswer(e)
      if (bad) this.log.warn("the client's answer to a server request is invalid: not passed on, the call fails", { server: t.server, method: req.method, client: bad.client, fields: bad.fields })
      throw new DownstreamError("INPUT_UNAVAILABLE", `server ${t.server} needs input (${req.method}) to answer ${t.method}, and the client did not give it: ${errorMessage(e)}`, {
        cause: e,
        remedy: "Use a client that supports elicitation (or sampling/roots, as asked), or call it with arguments that need no further input.",
        details: { server: t.server, method: req.method },
      })
    }
  }

  /** `relayToClient` throws synchronously when the client cannot take the request: as a rejection. */
  private gate(t: MrtrTarget, req: InputRequest, run: () => Promise<unknown>): Promise<unknown> {
    try {
      return run()
    } catch (e) {
      return Promise.reject(e instanceof ProtocolError ? unavailable(t, req, e) : e)
    }
  }

  private throwIfCancelled(ctx: CallContext): void {
    if (ctx.cancel?.aborted ?? ctx.signal.aborted) throw new DownstreamError("CANCELLED", "the call was cancelled by the client while input was being collected")
  }
}

/** The client cannot take what the server asks (capability not declared, bad request): the call fails saying so. */
function unavailable(t: MrtrTarget, req: InputRequest, e: unknown): Error {
  if (!(e instanceof ProtocolError)) return e instanceof Error ? e : new Error(String(e))
  return new DownstreamError("INPUT_UNAVAILABLE", `server ${t.server} needs input (${req.method}) to answer ${t.method}, which the client cannot give: ${e.message}`, {
    cause: e,
    remedy: e.remedy ?? "Use a client that supports elicitation (or sampling/roots, as asked), or call it with arguments that need no further input.",
    details: { server: t.server, method: req.method },
  })
}

/** `o[key] = value` as an own property even for a key named `__proto__` (the keys are the downstream's). */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
}

/** A downstream's `requestState` too long to make the round trip through a modern client. */
function stateTooLong(t: MrtrTarget, chars: number, max: number): DownstreamError {
  return new DownstreamError("BAD_RESPONSE", `server ${t.server} answered ${t.method} of ${t.target} with input_required whose requestState is too long for a client to send back (${chars} characters sealed, at most ${max}: half of http.bodyLimit)`, {
    remedy: "Report it to the server's maintainers (a requestState should be small); or raise http.bodyLimit.",
    details: { server: t.server, requestStateChars: chars, max },
  })
}
