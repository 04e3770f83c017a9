/**
 * @module pool/era-probe
 * The spec's era probe toward a downstream whose era is neither pinned nor remembered
 * (`protocol: auto`). stdio: `server/discover` on the real process (never a sibling one: a server may
 * have side effects or be slow to start), classified by the stdio probe rules. HTTP: one modern POST
 * whose answer (a DiscoverResult, or the 400 body) is classified by the Streamable HTTP backward
 * compatibility rules. Never one error code for "legacy": anything that is not modern evidence is.
 */
import { DownstreamError, errorMessage } from "../core/index.ts"
import { isDiscoverResult, isModernVersion, MODERN_CODES, MODERN_PROTOCOL_VERSION, PROBE_TIMEOUT_MS, withEnvelope, type DiscoverResult } from "./era.ts"
import { discover } from "./modern-connection.ts"
import { RpcError, type RpcConnection } from "./rpc.ts"

export type ProbeVerdict =
  /** It answered `server/discover` with a DiscoverResult naming 2026-07-28. */
  | { era: "modern"; discover: DiscoverResult }
  /** It refused with a modern error (we share no version, or it needs what we cannot declare): no fallback. */
  | { era: "modern-refused"; why: string }
  /** Another error, or not a DiscoverResult we can use: a legacy server (`initialize` next, same process). */
  | { era: "legacy"; why: string }
  /**
   * No answer within the probe timeout: `initialize` next on the same process. No verdict yet: the
   * server may only be slow to start (it then answers the probe first, before `initialize`), see `late`.
   */
  | { era: "silent"; late: LateProbe }
  /** The process ended on the pre-`initialize` request (as rmcp servers do): start it again with `initialize`. */
  | { era: "exited"; why: string }

/** A JSON-RPC error only a modern server sends: a spec code of that revision, or a modern version named in `data.supported`. */
export function isModernError(code: unknown, data: unknown): boolean {
  if (typeof code === "number" && MODERN_CODES.has(code)) return true
  const s = (data as { supported?: unknown } | undefined)?.supported
  return Array.isArray(s) && s.some(isModernVersion)
}

/**
 * An answer to the probe that is no DiscoverResult naming our version: a result of another shape,
 * or one that is no MCP answer at all (`null`, a string, an array: what a hand-written legacy server
 * answers to any method it does not know). Whatever it is, it is not a modern server we can speak to.
 */
function isNotDiscoverAnswer(e: unknown): boolean {
  return e instanceof DownstreamError && (e.code === "PROTOCOL_VERSION" || e.code === "BAD_RESPONSE")
}

/** How long the stdio probe waits: the spec's "short timeout", and never most of the connect timeout. */
export function probeTimeout(connectTimeoutMs: number): number {
  return Math.max(1, Math.min(PROBE_TIMEOUT_MS, Math.floor(connectTimeoutMs / 2)))
}

/**
 * The probe's `server/discover` once the probe timeout passed: still asked (until the connect
 * deadline), so what the server does about it later is evidence. A server reads its stdin in order:
 * one that answered `initialize` (sent after the probe) and the probe before it is a slow starter of
 * the era its answer shows (a dual-era server answers both); one that answered `initialize` and not
 * the probe ignores requests before `initialize` (legacy).
 */
export interface LateProbe {
  /** The probe's request is still waiting for its answer. */
  pending(): boolean
  /** What the probe's answer showed (once it came; `none`: it never came, or it was given up). */
  answer: Promise<{ era: "modern" | "legacy" | "none"; why: string }>
  /** Its DiscoverResult naming our version, once it came (undefined: any other answer, none, or given up). */
  result: Promise<DiscoverResult | undefined>
  /** Stop waiting for it (the session goes on without it). */
  abandon(): void
}

/**
 * stdio: `server/discover` first on the session's own process. `expired()` tells a connect-timeout
 * close (a failure) from the process ending on its own (the rmcp case). No answer within the probe
 * timeout is `silent`, with the request left running (`LateProbe`): never a verdict by itself.
 */
export async function probeStdio(conn: RpcConnection, connectTimeoutMs: number, expired: () => boolean): Promise<ProbeVerdict> {
  const asked = discover(conn, connectTimeoutMs)
  const id = conn.lastRequestId
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), probeTimeout(connectTimeoutMs))))
  try {
    const first = await Promise.race([asked, timedOut])
    if (first === "timeout") return { era: "silent", late: lateProbe(conn, id, asked) }
    return { era: "modern", discover: first }
  } catch (e) {
    if (expired()) throw e
    if (conn.isClosed) return { era: "exited", why: errorMessage(e) }
    if (e instanceof RpcError) return isModernError(e.rpcCode, e.data) ? { era: "modern-refused", why: errorMessage(e) } : { era: "legacy", why: `${e.rpcCode} ${errorMessage(e)}` }
    if (isNotDiscoverAnswer(e)) return { era: "legacy", why: errorMessage(e) }
    throw e
  } finally {
    clearTimeout(timer)
  }
}

function lateProbe(conn: RpcConnection, id: number, asked: Promise<DiscoverResult>): LateProbe {
  const answer = asked.then(
    () => ({ era: "modern" as const, why: "it answered server/discover" }),
    (e: unknown) => {
      // a modern refusal after initialize was answered: nothing to remember (the next start probes again)
      if (e instanceof RpcError) return isModernError(e.rpcCode, e.data) ? { era: "none" as const, why: errorMessage(e) } : { era: "legacy" as const, why: `${e.rpcCode} ${errorMessage(e)}` }
      if (isNotDiscoverAnswer(e)) return { era: "legacy" as const, why: errorMessage(e) }
      return { era: "none" as const, why: errorMessage(e) }
    },
  )
  return {
    pending: () => conn.isPending(id),
    answer,
    result: asked.catch(() => undefined),
    abandon: () => void conn.fail(id, new DownstreamError("CANCELLED", "server/discover probe given up")),
  }
}

/** HTTP: what the modern POST told (undefined: no evidence either way, e.g. 401/403, an error page, a network error). */
export type HttpProbeVerdict = Exclude<ProbeVerdict, { era: "silent" } | { era: "exited" }> | { era: "none"; why: string }

/**
 * HTTP: one `server/discover` POST with the envelope and the `Mcp-Method` header. 200 with a
 * DiscoverResult ⇒ modern (adopted by the session: no second discover); a modern JSON-RPC error in
 * the body (any status) ⇒ modern; 401/403 ⇒ an auth failure, not era evidence (the legacy path runs
 * the auth flow); any other answer ⇒ legacy. A timeout rejects (the connect failed). `signal`
 * (the connect's deadline) ends the request and the reading of its body. `fetchFn` bounds the body
 * (`remote-limits.ts`: an answer over pool.maxFrameBytes is no era evidence).
 */
export async function probeHttp(url: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal, fetchFn: (url: string, init: RequestInit) => Promise<Response> = fetch): Promise<HttpProbeVerdict> {
  // our own timer (cleared when the probe ends, unlike AbortSignal.timeout's), or the caller's deadline
  const ac = new AbortController()
  const timer = setTimeout(() => ac.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError")), timeoutMs)
  const onAbort = (): void => ac.abort(signal?.reason)
  signal?.addEventListener("abort", onAbort, { once: true })
  try {
    return await probeWithin(url, headers, timeoutMs, ac.signal, fetchFn)
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener("abort", onAbort)
  }
}

async function probeWithin(url: string, headers: Record<string, string>, timeoutMs: number, bound: AbortSignal, fetchFn: (url: string, init: RequestInit) => Promise<Response>): Promise<HttpProbeVerdict> {
  let res: Response
  try {
    res = await fetchFn(url, {
      method: "POST",
      headers: {
        ...headers,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": MODERN_PROTOCOL_VERSION,
        "mcp-method": "server/discover",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "server/discover", params: withEnvelope(undefined) }),
      signal: bound,
      // a redirect is followed by the session's own transport (legacy path), never with our headers here
      redirect: "manual",
    })
  } catch (e) {
    if (e instanceof Error && e.name === "TimeoutError") {
      throw new DownstreamError("TIMEOUT", `the server/discover probe got no answer within ${timeoutMs} ms`, { remedy: "Check that the server is up, or pin servers.<name>.protocol." })
    }
    // unreachable: the legacy path reports it in its usual words
    return { era: "none", why: errorMessage(e) }
  }
  if (res.status === 401 || res.status === 403) {
    void res.body?.cancel().catch(() => {})
    return { era: "none", why: `HTTP ${res.status} (authorization needed)` }
  }
  const msg = await firstMessage(res, timeoutMs, bound).catch(() => undefined)
  const err = msg?.error as { code?: unknown; message?: unknown; data?: unknown } | undefined
  if (err && isModernError(err.code, err.data)) return { era: "modern-refused", why: `HTTP ${res.status}: ${err.code} ${String(err.message ?? "")}` }
  if (res.ok && isDiscoverResult(msg?.result) && msg.result.supportedVersions.includes(MODERN_PROTOCOL_VERSION)) return { era: "modern", discover: msg.result }
  return { era: "legacy", why: `HTTP ${res.status}${err ? `: ${String(err.code)} ${String(err.message ?? "")}` : ""}` }
}

interface RpcMessage {
  result?: unknown
  error?: unknown
}

/** A JSON-RPC response (an object with a result or an error), else undefined. */
function responseIn(parsed: unknown): RpcMessage | undefined {
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && ("result" in parsed || "error" in parsed) ? (parsed as RpcMessage) : undefined
}

/**
 * The JSON-RPC response in a JSON body or the first event of an SSE body that carries one (until
 * `signal` aborts). Events are read as SSE defines them: `data:` lines joined by a line break until
 * a blank line (a JSON text may span lines), `\r\n` line ends, other fields ignored; an event that is
 * no response (a priming event with empty data, a notification, a comment, a text that is no JSON)
 * is skipped, not taken for the answer.
 */
async function firstMessage(res: Response, timeoutMs: number, signal: AbortSignal): Promise<RpcMessage | undefined> {
  const type = res.headers.get("content-type") ?? ""
  if (!type.includes("text/event-stream")) {
    const text = await res.text()
    if (!text.trim()) return undefined
    return responseIn(JSON.parse(text))
  }
  const reader = res.body?.getReader()
  if (!reader) return undefined
  const until = Date.now() + timeoutMs
  const decoder = new TextDecoder()
  let buf = ""
  let data: string[] = []
  const dispatch = (): RpcMessage | undefined => {
    const text = data.join("\n")
    data = []
    if (!text.trim()) return undefined
    try {
      return responseIn(JSON.parse(text))
    } catch {
      return undefined
    }
  }
  // a stream that sends nothing never ends a read: cancelling the reader does
  const stop = (): void => void reader.cancel().catch(() => {})
  signal.addEventListener("abort", stop, { once: true })
  try {
    while (Date.now() < until) {
      const { value, done } = await reader.read()
      if (done) return dispatch()
      buf += decoder.decode(value, { stream: true })
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const line = buf.slice(0, i).replace(/\r$/, "")
        buf = buf.slice(i + 1)
        if (line === "") {
          const m = dispatch()
          if (m) return m
        } else if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5))
      }
    }
    return undefined
  } finally {
    signal.removeEventListener("abort", stop)
    void reader.cancel().catch(() => {})
  }
}
