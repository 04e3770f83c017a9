/**
 * @module pool/connect
 * Opens one connection to a downstream: builds the transport for its spec (stdio child, Streamable
 * HTTP, SSE with fallback), decides its protocol era (pinned, remembered, or probed with
 * `server/discover` as the spec says: `era-probe.ts`) and runs `initialize` or adopts the
 * DiscoverResult, all within one connect timeout (`ConnectDeadline`): at the deadline whatever is
 * pending (a transport start, the probe, the handshake, the SSE fallback) ends in a failed start and
 * the attempt's connection is closed.
 */
import type { Transport } from "@modelcontextprotocol/client"
import { envAtStart, startProblem, type RemoteServerSpec, type ServerSpec, type StdioServerSpec } from "../config/index.ts"
import { answerCapOf, overCapError } from "./answer-cap.ts"
import { cutText, DownstreamError, errorMessage, idFromFrameEdges, mib, responseOwner, waitAtMost, type Logger } from "../core/index.ts"
import { unreadableAnswer } from "./stray-answers.ts"
import { childEnv } from "./child-env.ts"
import { seconds } from "./deadline.ts"
import { ModernRequestRefusal } from "./modern-server-requests.ts"
import { childSaid, type ChildSaid } from "./child-said.ts"
import type { EnvHint } from "./stderr-reason.ts"
import { toolErrorEnvHint } from "./tool-error-env.ts"
import { isModernRejection, MODERN_PROTOCOL_VERSION, type DiscoverResult, type EraInfo } from "./era.ts"
import { probeHttp, probeStdio, probeTimeout, type HttpProbeVerdict, type LateProbe } from "./era-probe.ts"
import type { EraStore } from "./era-store.ts"
import type { ServeAuth } from "../auth/index.ts"
import { initialize, RELAY_CAPABILITIES, type InitializeInfo } from "./handshake.ts"
import { discover, infoFromDiscover, LISTEN_ACK, ModernConnection, type DownstreamConn } from "./modern-connection.ts"
import type { openModernHttp } from "./modern-http.ts"
import { endpointLabel, isRemoteRequestError } from "./remote-errors.ts"
import { bodyRefused, limitBodies } from "./remote-limits.ts"
import { remoteKind, type RemoteKind } from "./remote-kind.ts"
import { BEFORE_INITIALIZE, RpcConnection, RpcError } from "./rpc.ts"
import { StdioChildTransport } from "./stdio-transport.ts"
import { healthCheck } from "./health-check.ts"

export interface ConnectOptions {
  server: string
  spec: ServerSpec
  log: Logger
  connectTimeoutMs: number
  /** The setting `connectTimeoutMs` came from, named in a TIMEOUT (default `pool.connectTimeout`). */
  connectTimeoutKey?: string
  maxFrameBytes: number
  closeGraceMs?: number
  onNotification(method: string, params: Record<string, unknown> | undefined): void
  /** Server→client requests (sampling, elicitation, roots); when set, `RELAY_CAPABILITIES` are declared. */
  onRequest?(method: string, params: Record<string, unknown> | undefined, signal: AbortSignal, owner?: unknown): Promise<unknown>
  /** What to declare instead of `RELAY_CAPABILITIES` (asked at each `initialize`). */
  relayCapabilities?(): Readonly<Record<string, object>>
  /** The connection ended (not called for failures during connect). */
  onClosed(conn: Connected): void
  /** Remembered protocol-era verdicts (absent: detected on every start). */
  eras?: EraStore
  /** The era this server's session decided on (a modern session it had to leave: pool/push-refusal), over any remembered verdict. */
  era?: EraInfo
  /**
   * Why this server's session left the 2026-07-28 era (it refused that era's requests after
   * server/discover: pool/era-refusal). Then `initialize` refused as a 2026-07-28 server is no reason
   * to go back to that era (which would flip the session between eras call after call): the start
   * fails naming both refusals.
   */
  leftModern?: string
  /** Ends the connect at once (the session is being removed or the process shuts down): like the deadline, it closes the attempt's connection. */
  signal?: AbortSignal
  /**
   * Its last start ended before answering anything, the server/discover probe (twice) and then
   * initialize alike (`endsWhateverAsked`): no era to learn from probing it again, so a stdio start
   * without a verdict goes straight to initialize (one process per attempt, not three), and a start
   * that works so is no legacy verdict (the next start probes as a first contact does).
   */
  probeless?: boolean
}

export interface Connected {
  conn: DownstreamConn
  info: InitializeInfo
  /** The protocol era spoken on this connection and how it was decided. */
  era: EraInfo
  /** Health check: `ping` (legacy) or `server/discover` (modern). */
  check(timeoutMs: number): Promise<unknown>
  transport: "stdio" | RemoteKind
  pid?: number
  /** Exit code/signal and stderr tail of a stdio child, once it ended. */
  exitSummary(): string | undefined
  stderrTail(max?: number): string
  /** What a stdio child said about why it ended (its stderr's reason, the variables it asks for): pool/child-said. */
  said(): ChildSaid
  /** The variables `text` (a tool error's) names that this stdio child did not get, with the env entry to write (pool/tool-error-env); undefined for a remote server. */
  missingEnv?(text: string): EnvHint | undefined
}

export function isStdio(spec: ServerSpec): spec is StdioServerSpec {
  return "command" in spec
}

export function transportName(spec: ServerSpec): "stdio" | RemoteKind {
  return isStdio(spec) ? "stdio" : remoteKind(spec)
}

export async function connect(o: ConnectOptions): Promise<Connected> {
  const spec = o.spec
  const dl = new ConnectDeadline(o.connectTimeoutMs, o.connectTimeoutKey)
  // an abort from the owner ends the attempt as its deadline would: its child and sockets are
  // closed; it fails with the owner's reason (the start was abandoned), never as a timeout
  const onAbort = (): void => dl.abort(o.signal?.reason)
  if (o.signal?.aborted) onAbort()
  else o.signal?.addEventListener("abort", onAbort, { once: true })
  try {
    return await connectWithin(o, spec, dl)
  } catch (e) {
    throw dl.abandoned ?? e
  } finally {
    o.signal?.removeEventListener("abort", onAbort)
    dl.dispose()
  }
}

/** The transports tried in turn within `dl`: stdio; a remote's own, then SSE when it named none. */
async function connectWithin(o: ConnectOptions, spec: ServerSpec, dl: ConnectDeadline): Promise<Connected> {
  if (isStdio(spec)) return await open(o, "stdio", dl)
  const kind = remoteKind(spec)
  try {
    return await open(o, kind, dl)
  } catch (e) {
    // No explicit transport: an old server may only speak HTTP+SSE (never one pinned to 2026-07-28:
    // that era has no SSE transport, and the modern connect's own failure is the one to report)
    // (nor after an answer over pool.maxFrameBytes: the server speaks Streamable HTTP, it sent too much)
    if (spec.transport || kind !== "streamable-http" || spec.protocol === "modern" || isFinal(e) || tooLarge(e) !== undefined) throw e
    // nor once this attempt found it speaks 2026-07-28 (it refused initialize as a modern server, or
    // its verdict was remembered): the SSE try would only say that era has no SSE, hiding what the
    // server did wrong (a DiscoverResult that is no MCP, only versions we do not speak)
    if (startEra(o)?.era === "modern" || discoverRefused(e)) throw e
    // nor after an answer no SSE connection could change (remote-errors: a JSON-RPC body, an auth
    // challenge, a 429): "the SSE fallback failed too" then only repeated the same refusal, or hid it
    const conclusive = noSseFallback(e)
    if (conclusive !== undefined) {
      o.log.info("streamable HTTP failed conclusively; SSE not tried", { error: errorMessage(e), why: conclusive })
      // a start's remedy, not the one of a single request the session outlives
      throw startFailed(o, kind, reasonOf(e), e, undefined, conclusiveRemedy(o.server, e))
    }
    if (dl.nearlyOver) throw startFailed(o, kind, `${reasonOf(e)}; no time was left to try the SSE fallback`, e)
    o.log.info("streamable HTTP failed, trying SSE", { error: errorMessage(e) })
    try {
      return await open(o, "sse", dl)
    } catch (f) {
      if (isFinal(f)) throw f
      // the Streamable HTTP failure is the one that tells what is wrong (its status, content type)
      throw startFailed(o, kind, `Streamable HTTP: ${reasonOf(e)}; the SSE fallback failed too: ${reasonOf(f)}`, e)
    }
  }
}

/** Below this many milliseconds left, the SSE fallback is not begun (its GET could not get an answer). */
const FALLBACK_MIN_MS = 10

/**
 * One connect's deadline: `pool.connectTimeout` from the start of `connect`, across the era probe,
 * each transport start, the handshake, a reopen and the SSE fallback. `race` bounds one await (the
 * SDK's SSE start, for one, never settles when the `endpoint` event does not come).
 */
class ConnectDeadline {
  private readonly ac = new AbortController()
  private readonly timer: ReturnType<typeof setTimeout>
  private readonly endsAt: number
  /** The owner's reason when it ended the attempt (not the deadline): what the connect fails with. */
  abandoned: Error | undefined

  constructor(
    readonly ms: number,
    /** The setting that gave `ms` (named in the TIMEOUT message). */
    private readonly key = "pool.connectTimeout",
  ) {
    this.endsAt = performance.now() + ms
    this.timer = setTimeout(() => this.ac.abort(), ms)
  }

  get signal(): AbortSignal {
    return this.ac.signal
  }

  /**
   * Over: aborted, or its time is up though the timer has not run yet (a wait given `left()` as its
   * own timeout can end a fraction of a millisecond before this timer: it ended at the deadline).
   */
  get expired(): boolean {
    return this.ac.signal.aborted || performance.now() >= this.endsAt - 1
  }

  /** Too little time left to begin another transport (the SSE fallback): under `FALLBACK_MIN_MS`. */
  get nearlyOver(): boolean {
    return this.expired || this.endsAt - performance.now() < FALLBACK_MIN_MS
  }

  /** End it now (the owner gave up on the connect): every wait fails with `why`, not as a timeout. */
  abort(why?: unknown): void {
    if (this.ac.signal.aborted) return
    this.abandoned = why instanceof Error ? why : new DownstreamError("CANCELLED", "the start was abandoned")
    clearTimeout(this.timer)
    this.ac.abort()
  }

  /** Milliseconds left (at least 1: a timer of 0 would be no bound at all). */
  left(): number {
    return Math.max(1, Math.ceil(this.endsAt - performance.now()))
  }

  /** "it did not answer initialize within pool.connectTimeout (3 s)" (or, abandoned, the owner's reason). */
  error(doing: string): Error {
    if (this.abandoned) return this.abandoned
    return new DownstreamError("TIMEOUT", `it ${doing} within ${this.key} (${seconds(this.ms)})`, { details: { timeoutMs: this.ms, connectDeadline: true } })
  }

  /** `p`, or at the deadline a TIMEOUT naming what it did not do; a result that comes later is handed to `late` (to close it). */
  race<T>(p: Promise<T>, doing: string, late?: (v: T) => void): Promise<T> {
    if (this.expired) {
      if (late) void p.then(late, () => {})
      return Promise.reject(this.error(doing))
    }
    return new Promise<T>((resolve, reject) => {
      let over = false
      const onAbort = (): void => {
        over = true
        reject(this.error(doing))
      }
      this.signal.addEventListener("abort", onAbort, { once: true })
      p.then(
        (v) => {
          this.signal.removeEventListener("abort", onAbort)
          if (over) late?.(v)
          else resolve(v)
        },
        (e: unknown) => {
          this.signal.removeEventListener("abort", onAbort)
          reject(e)
        },
      )
    })
  }

  dispose(): void {
    clearTimeout(this.timer)
  }
}

/**
 * The era to open with: pinned by config, else the remembered verdict, else undefined: probe (the
 * spec's rules, `era-probe.ts`). A remembered verdict skips the probe.
 */
function startEra(o: ConnectOptions): EraInfo | undefined {
  const setting = o.spec.protocol ?? "auto"
  if (setting !== "auto") return { era: setting, via: "pinned" }
  if (o.era !== undefined) return o.era
  const cached = o.eras?.get(o.spec)
  return cached ? { era: cached, via: "cached" } : undefined
}

async function open(o: ConnectOptions, kind: "stdio" | RemoteKind, dl: ConnectDeadline, forced?: EraInfo, probeExits = 0, prior?: DiscoverResult, exitedBefore?: EarlierExit): Promise<Connected> {
  const start = forced ?? startEra(o)
  // nothing known: stdio probes on the session's own process below; HTTP with one modern POST here (SSE has no modern era).
  // A remembered modern verdict on stdio is probed the same way (server/discover first, within the probe timeout): a
  // server changed under the same command to one that ignores or mis-answers requests before initialize fell back
  // only from an error answer, and otherwise failed every start after the full connect timeout, the verdict kept
  const recheck = kind === "stdio" && start?.era === "modern" && start.via === "cached"
  const probeless = start === undefined && kind === "stdio" && o.probeless === true
  const probe = (start === undefined || recheck) && kind === "stdio" && !probeless
  let era: EraInfo = start ?? { era: "legacy", via: "probed" }
  /** The probe found no era evidence (HTTP: an auth failure, a network error; stdio: not probed, `probeless`): a legacy start that works is no verdict. */
  let unproven = probeless
  /** HTTP: the probe's request still unanswered when initialize was sent (ended when this attempt ends). */
  let httpLate: HttpLateProbe | undefined
  if (start === undefined && kind === "streamable-http") {
    const probed = await dl.race(probeRemote(o, dl), "did not answer the server/discover probe").catch((e: unknown) => {
      throw isFinal(e) ? e : startFailed(o, kind, errorMessage(e), e)
    })
    const v = probed.verdict
    httpLate = probed.late
    if (v.era === "modern") {
      o.log.info("downstream answered server/discover; using the 2026-07-28 protocol")
      const c = await openModernRemote(o, dl, { era: "modern", via: "probed" }, v.discover)
      o.eras?.set(o.spec, "modern") // once the session works
      return c
    }
    if (v.era === "modern-refused") throw modernRefused(o.server, v.why)
    unproven = v.era === "none"
    o.log.debug("server/discover probe: not a 2026-07-28 server; using initialize", { why: v.why })
  }
  if (era.era === "modern" && kind === "streamable-http") return openModernRemote(o, dl, era, prior)
  if (era.era === "modern" && kind === "sse") throw modernSseUnsupported(o.server)
  let stdio: StdioChildTransport | undefined
  /** The PATH the child got (what doctor checks its command and `#!` interpreter against). */
  let childPath: string | undefined
  /** The environment the child got (the variables a failed start's stderr asks for are looked up in it). */
  let childVars: Record<string, string> | undefined
  let transport: Transport
  if (kind === "stdio") {
    const spec = o.spec as StdioServerSpec
    // an envFile that could not be read when the config loaded fails this server only (read again now)
    const env = envAtStart(spec)
    if ("problem" in env) throw new DownstreamError("CONNECT_FAILED", `server ${o.server} failed to start: ${env.problem}`, { remedy: env.remedy, details: { server: o.server, transport: "stdio" } })
    const vars = childEnv(env.env)
    childPath = vars.PATH
    childVars = vars
    stdio = new StdioChildTransport({
      server: o.server,
      command: spec.command,
      args: spec.args,
      env: vars,
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      maxFrameBytes: o.maxFrameBytes,
      log: o.log,
      ...(o.closeGraceMs !== undefined ? { closeGraceMs: o.closeGraceMs } : {}),
    })
    transport = stdio
  } else {
    // imported at the first remote connect: a stdio-only session never loads the SDK's HTTP client nor OAuth
    const [{ createRemoteTransport }, oauth] = await Promise.all([import("./remote-transport.ts"), attemptOAuth(o, dl)])
    transport = createRemoteTransport(o.spec as RemoteServerSpec, kind, oauth, {
      server: o.server,
      log: o.log,
      connectTimeoutMs: o.connectTimeoutMs,
      maxFrameBytes: o.maxFrameBytes,
      // a run_code script's call: an answer over what it can take in is refused unread (pool/answer-cap)
      answerCap: (id) => conn.answerCap(id)?.bytes,
      // a request whose response stream ended without its answer (or whose answer was over maxFrameBytes) fails now, not at its timeout
      onStreamEnded: (end) => {
        if (!conn.fail(end.id, end.error)) return
        if (end.error.details?.answerCap === true) o.log.warn("answer dropped unread: over what its request takes", { method: end.method, bytes: end.error.details.bytes, limit: end.error.details.limit })
        else if (end.error.code === "FRAME_TOO_LARGE") o.log.error("oversize message from downstream dropped", { method: end.method, bytes: end.error.details?.bytes, limit: o.maxFrameBytes })
        else if (end.error.code === "RESULTS_OVER_BUDGET") o.log.warn("large result dropped: result budget exceeded", { method: end.method, bytes: end.error.details?.bytes, inFlight: end.error.details?.inFlight, limit: end.error.details?.limit })
        else if (end.error.code === "BAD_RESPONSE") o.log.warn("downstream answered a request with something that is not its answer", { method: end.method, error: end.error.message })
        else o.log.warn("downstream closed a response stream before answering", { method: end.method })
      },
    })
  }

  let connected: Connected | undefined
  const exitSummary = (): string | undefined => {
    const x = stdio?.exit
    if (!x) return stdio?.outputClosed ? "closed its output (stdout) but kept running; it was stopped" : undefined
    // a request it could not take (over its own size limit) is the likely cause: said with the exit
    const note = stdio?.largeRequestNote()
    return `${x.signal ? `killed by ${x.signal}` : `exited with code ${x.code}`}${note ? ` (it ${note})` : ""}`
  }
  /** The 2026-07-28 connection over `conn`, once its era is known. */
  let modern: ModernConnection | undefined
  /** Whether a server→client request of a 2026-07-28 server was warned about (once per connection). */
  // a 2026-07-28 server's own requests are refused (pool/modern-server-requests)
  const refusal = new ModernRequestRefusal(o.log)
  const conn = new RpcConnection(transport, {
    log: o.log,
    // a listen's acknowledgement is the modern connection's (it says the list listen is open)
    onNotification: (method, params) => (method === LISTEN_ACK ? modern?.acknowledged(params) : o.onNotification(method, params)),
    ...(o.onRequest ? { onRequest: (method, params, signal, owner) => (era.era === "modern" ? refused(method, refusal) : o.onRequest!(method, params, signal, owner)) } : {}),
    describeClose: () => `server ${o.server} ${exitSummary() ?? "closed the connection"}`,
    lastWords: () => (stdio?.exit ? childSaid(o.server, stdio, childVars, false).quoted : undefined),
    onClosed: () => {
      if (connected) o.onClosed(connected)
    },
  })
  if (stdio) {
    // a response that passes the limit fails its call at once, not when it ends (it may never: a
    // server streaming one endless line held the call until its timeout); its end then fails nothing more
    let failedEarly = false
    // a request that takes less than maxFrameBytes (a run_code script's call) has a larger answer
    // dropped unread as it comes: never parsed, nor held whole (pool/answer-cap)
    stdio.onframelimit = (head) => answerCapOf(conn, head)?.bytes
    stdio.onoversizestart = (bytes, head, own) => {
      const owner = responseOwner(head, conn.pendingIds())
      if (owner === undefined) return
      const cap = own === undefined ? undefined : conn.answerCap(owner)
      if (cap !== undefined) {
        failedEarly = conn.fail(owner, overCapError(o.server, cap, bytes, false))
        return
      }
      const err = new DownstreamError("FRAME_TOO_LARGE", `server ${o.server} is sending a message over the ${mib(o.maxFrameBytes)} limit (${mib(bytes)} so far); it is dropped as it comes`, {
        remedy: "Ask the tool for less data, or raise pool.maxFrameBytes.",
        details: { bytesSoFar: bytes, limit: o.maxFrameBytes },
      })
      failedEarly = conn.fail(owner, err)
    }
    // an answer line that cannot be read (cut short, NaN, single quotes, no "jsonrpc") fails the
    // request it answers at once, when its first bytes tell which; before, it waited out its timeout
    stdio.onunreadable = (line) => {
      const owner = responseOwner(line.slice(0, 512), conn.pendingIds())
      const problem = owner === undefined ? undefined : unreadableAnswer(line, owner)
      if (problem !== undefined) conn.failBadResponse(owner!, problem)
    }
    stdio.onoversize = (frame) => {
      const budget = frame.overBudget
      const err = budget
        ? new DownstreamError("RESULTS_OVER_BUDGET", `server ${o.server} sent a ${mib(frame.bytes)} result while ${mib(budget.inFlight)} of large results were in flight (pool.maxResultBytesInFlight ${mib(budget.limit)}); it was dropped`, {
            remedy: "Retry once the other large results were delivered, ask the tool for less data, or raise pool.maxResultBytesInFlight.",
            details: { bytes: frame.bytes, inFlight: budget.inFlight, limit: budget.limit },
          })
        : new DownstreamError("FRAME_TOO_LARGE", `server ${o.server} sent a ${mib(frame.bytes)} message, over the ${mib(o.maxFrameBytes)} limit; it was dropped`, {
        remedy: "Ask the tool for less data, or raise pool.maxFrameBytes.",
        details: { bytes: frame.bytes, limit: o.maxFrameBytes },
      })
      if (frame.ownLimit !== undefined) o.log.warn("answer dropped unread: over what its request takes", { bytes: frame.bytes, limit: frame.ownLimit })
      else if (budget) o.log.warn("large result dropped: result budget exceeded", { bytes: frame.bytes, inFlight: budget.inFlight, limit: budget.limit })
      else o.log.error("oversize message from downstream dropped", { bytes: frame.bytes, limit: o.maxFrameBytes })
      if (failedEarly) {
        failedEarly = false
        return
      }
      const id = idFromFrameEdges(frame)
      const ids = conn.pendingIds()
      if (frame.ownLimit !== undefined) {
        const owner = id !== undefined && conn.isPending(id as number) ? id : ids.length === 1 ? ids[0] : undefined
        const cap = owner === undefined ? undefined : conn.answerCap(owner)
        if (cap !== undefined) {
          conn.fail(owner!, overCapError(o.server, cap, frame.bytes, true))
          return
        }
      }
      if (id !== undefined && conn.fail(id, err)) return
      if (ids.length === 1) conn.fail(ids[0]!, err)
    }
  }

  // at the deadline the attempt's connection is closed: its child, sockets and streams end with it
  const expire = (): void => void conn.close()
  dl.signal.addEventListener("abort", expire, { once: true })
  const expired = (): boolean => dl.expired
  /** The probe got an answer on this process (so a refused initialize needs no second look). */
  let probeAnswered = false
  /** The probe got no answer in time: its request still runs, and its fate decides what is remembered. */
  let late: LateProbe | undefined
  /** `initialize` is written and not answered yet. */
  let initializing = false
  try {
    await dl.race(conn.start(), kind === "sse" ? "did not send the SSE `endpoint` event" : kind === "stdio" ? "did not start" : "did not accept the connection")
    let info: InitializeInfo | undefined
    if (probe) {
      const v = await dl.race(probeStdio(conn, o.connectTimeoutMs, expired), "did not answer the server/discover probe")
      probeAnswered = v.era !== "silent"
      if (v.era === "silent") late = v.late
      // unanswered in time is no verdict yet: a slow dual-era server answers it late (then the verdict stays), one silent before initialize never does
      if (recheck && v.era === "silent") era = { era: "legacy", via: "probed" }
      else if (recheck && (v.era === "legacy" || v.era === "exited")) era = staleModern(o, v.why)
      if (v.era === "modern") {
        // confirmed: a remembered verdict stays as it is (no write of the file at each start)
        if (!recheck) {
          era = { era: "modern", via: "probed" }
          o.eras?.set(o.spec, "modern")
        }
        info = infoFromDiscover(v.discover)
      } else if (v.era === "modern-refused") {
        throw modernRefused(o.server, v.why)
      } else if (v.era === "exited") {
        // a remembered modern server ending on server/discover was downgraded: initialize on a fresh process (a modern one refuses it and is found again)
        throw recheck ? new Reopen(era) : afterProbeExit(o, probeExits, v.why, earlierExit(o, v.why, stdio, childVars))
      } else {
        o.log.debug("server/discover probe: not a 2026-07-28 server; using initialize", v.era === "silent" ? { why: "no answer" } : { why: v.why })
      }
    }
    if (info !== undefined) {
      // modern, from the probe
    } else if (era.era === "modern") {
      // pinned, or found modern earlier in this connect (a remembered verdict is probed above)
      info = infoFromDiscover(await dl.race(discover(conn, o.connectTimeoutMs), "did not answer server/discover"))
    } else {
      try {
        initializing = true
        const handshake = initialize(conn, o.connectTimeoutMs, (v) => (transport as { setProtocolVersion?: (v: string) => void }).setProtocolVersion?.(v), o.onRequest ? (o.relayCapabilities?.() ?? RELAY_CAPABILITIES) : {})
        info = await dl.race(handshake, "did not answer initialize")
        initializing = false
        const kept = era.via === "probed" && !unproven ? await rememberLegacyStart(o, late, recheck) : undefined
        if (recheck && late !== undefined && kept !== "modern") staleModern(o, `no answer to server/discover within ${probeTimeout(o.connectTimeoutMs)} ms, and initialize was answered`, kept !== "legacy")
      } catch (e) {
        if (dl.expired) throw e
        if (era.via === "pinned" && isModernRejection(e)) {
          throw new DownstreamError("PROTOCOL_ERA", `server ${o.server} is pinned to protocol: legacy but refused initialize as a 2026-07-28 server (${errorMessage(e)})`, {
            remedy: `Set servers.${o.server}.protocol to auto or modern.`,
            details: { server: o.server },
          })
        }
        // the process ended on initialize after a probe (a slow starter read the probe late): legacy, once more
        if (probe && conn.isClosed && !dl.expired && !(e instanceof RpcError)) {
          throw afterProbeExit(o, probeExits, errorMessage(e), earlierExit(o, errorMessage(e), stdio, childVars))
        }
        if (o.leftModern !== undefined && (isModernRejection(e) || /-3202[0-2]/.test(errorMessage(e)))) {
          // conclusive: no era works, so none is remembered (a verdict kept sent the next start down one path unasked)
          o.eras?.forget(o.spec)
          throw new DownstreamError("PROTOCOL_ERA", `server ${o.server} serves neither era: ${o.leftModern}, and it then refused initialize as a 2026-07-28 server (${cutText(errorMessage(e), 300)})`, {
            remedy: `Its 2026-07-28 endpoint refuses the requests it advertised in server/discover: check the server (or the gateway in front of it) and its logs; pinning servers.${o.server}.protocol does not help until it serves one era.`,
            details: { server: o.server },
          })
        }
        // a refusal after a probe answered as legacy is that error (the probe was the look at its era)
        if (probeAnswered && !isModernRejection(e)) throw e
        if (era.via === "pinned" || !(e instanceof RpcError || (kind !== "stdio" && /-3202[0-2]/.test(errorMessage(e))))) throw e
        if (kind !== "stdio") {
          // HTTP: the 400 body of a modern-only server names its versions (read from the error text)
          if (!(isModernRejection(e) || modernHttpRejection(errorMessage(e)))) throw e
          o.eras?.set(o.spec, "modern")
          o.log.info("downstream speaks MCP 2026-07-28 only; using the modern protocol", { rejected: errorMessage(e) })
          // the probe's own answer, when it still comes in time, is the session's DiscoverResult (not asked twice)
          const late = httpLate ? await dl.race(httpLate.result, "did not answer the server/discover probe") : undefined
          throw new Reopen({ era: "modern", via: "probed" }, 0, late)
        }
        // initialize was refused: ask on the same process whether it is a modern server; a probe still
        // unanswered is that question already (a slow modern server: asking again, then starting a
        // fresh process, cost its slow answer twice more)
        const again = (): Promise<DiscoverResult | undefined> => discover(conn, probeTimeout(o.connectTimeoutMs)).catch(() => undefined)
        const asked = late !== undefined ? late.result.then((d) => d ?? again()) : again()
        const d = await dl.race(asked, "did not answer server/discover")
        if (d === undefined && !isModernRejection(e)) throw e
        era = { era: "modern", via: "probed" }
        o.eras?.set(o.spec, "modern")
        o.log.info("downstream speaks MCP 2026-07-28 only; using the modern protocol", { rejected: errorMessage(e) })
        if (d === undefined) {
          // it named a modern version but this process cannot go on (some exit after a refusal): a fresh one
          throw new Reopen(era)
        }
        info = infoFromDiscover(d)
      }
    }
    const m = era.era === "modern" ? new ModernConnection(conn, o.log, o.onNotification) : undefined
    /** What this connection's health checks said already (pool/health-check). */
    const checks: { unanswered?: boolean } = {}
    modern = m
    connected = {
      conn: m ?? conn,
      info,
      era,
      // any answer to ping proves it alive: an error too (a server that never implemented ping
      // answers -32601; before, each health check restarted it as dead, a failure counted each time)
      // and so does any message it sent while the check waited (pool/health-check)
      check: (t) => healthCheck(conn, m ? () => m.check(t) : () => conn.request("ping", undefined, { timeoutMs: t }), o.log, checks),
      transport: kind,
      ...(stdio?.pid !== undefined ? { pid: stdio.pid } : {}),
      exitSummary,
      stderrTail: (max?: number) => stdio?.stderr.tail(max) ?? "",
      said: () => childSaid(o.server, stdio, childVars),
      ...(childVars !== undefined ? { missingEnv: (text: string) => toolErrorEnvHint(text, o.server, childVars!) } : {}),
    }
    if (conn.isClosed) throw new DownstreamError("NOT_CONNECTED", `server ${o.server} closed during initialize`)
    modern?.listen(info.capabilities)
    return connected
  } catch (e) {
    connected = undefined
    const closing = conn.close()
    if (e instanceof Reopen) {
      dl.signal.removeEventListener("abort", expire)
      httpLate?.abandon()
      return open(o, kind, dl, e.era, e.probeExits, e.prior, e.exited ?? exitedBefore)
    }
    if (isFinal(e)) throw e
    // past the deadline, whatever ended the pending step (our close of the process, a request's own
    // timer, which is the connect timeout too) reads as the deadline
    let why = (dl.expired || isTimeout(e)) && !isConnectTimeout(e) ? dl.error(phaseOf(e)).message : errorMessage(e)
    if (initializing && era.via === "cached" && (dl.expired || isTimeout(e)) && stdio?.exit === undefined) why += staleLegacy(o)
    // it ended before reading what we wrote (EPIPE: a server that exits at once, a missing token):
    // its exit and its stderr are the reason, not our write; both come a moment after the write failed.
    // Worded as the exit the RPC layer reports when the write got into the pipe first: whether it
    // did is a race, and the same exit must read the same (doctor groups servers by their wording)
    if (stdio && isWriteFailed(e) && !dl.expired) {
      await waitAtMost(closing, Math.min(dl.left(), WRITE_FAILED_EXIT_WAIT_MS))
      for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r))
      if (stdio.exit && stdio.exit.signal === null) why = `server ${o.server} ${exitSummary()} ${BEFORE_INITIALIZE}`
    }
    // a child that ended at once: what doctor would say about its command (a `#!/usr/bin/env node`
    // script such as npx with no node on its PATH), with doctor's remedy
    // (only for one that was started: a spawn that failed already says what startProblem says)
    const hint = stdio?.pid !== undefined && !dl.expired ? startProblem(o.server, o.spec as StdioServerSpec, childPath) : undefined
    // its stderr's reason (not merely its last lines), and the variables it names that it did not get;
    // with nothing on stderr, the lines it wrote to stdout that were no JSON-RPC (a server that prints
    // "FOO_API_KEY is required" with console.log or print, then exits: before, no reason was given)
    // (the hint's remedy in the text too: a call to the server quotes the start's message, not its remedy)
    let said = childSaid(o.server, stdio, childVars, !hint)
    // cut by the deadline after an earlier process of this connect exited (the era probe's): that exit
    // and its stderr are the reason (QA: @sentry/mcp-server without a token under `npx -y` exits in
    // seconds; two probe starts and the slow third left "did not answer initialize within 30 s" only)
    if (exitedBefore !== undefined && dl.expired && stdio?.exit === undefined) {
      why += `; its start before this one on the same connect ${exitedBefore.why.replace(/^server \S+ /, "")}`
      said = { ...exitedBefore.said, ...(exitedBefore.said.quoted === undefined && said.quoted !== undefined ? { quoted: said.quoted } : {}) }
    }
    const quiet = stdio?.exit?.code === 0 && said.quoted === undefined && !dl.expired ? exitedQuietly(o) : undefined
    const failed = startFailed(o, kind, hint ? `${hint.problem} (${why}). ${hint.remedy}` : why, e, said.quoted, hint?.remedy ?? said.remedy ?? quiet, said.note)
    // the initialize after two exits on the probe (or without a probe) ended by an exit too: this
    // server ends whatever it is asked (a missing token, a package npx cannot fetch)
    if (kind === "stdio" && !probe && (probeExits > 0 || probeless) && stdio?.exit !== undefined && !dl.expired) endedWhateverAsked.add(failed)
    // so too one that exited on both probes and whose initialize start the deadline cut: its next start
    // is one process (it exits there within the budget, with its own words), not three again
    else if (kind === "stdio" && !probe && probeExits > 0 && exitedBefore !== undefined && dl.expired && stdio?.exit === undefined) endedWhateverAsked.add(failed)
    if (said.signIn && failed.details) failed.details.waitsForSignIn = true
    // no answer within the connect budget: a start that hung (pool/start-waits: later calls are not
    // held for the next one); not one that waited for a sign-in (the next call starts it again: session awaitSignIn)
    if ((dl.expired || isTimeout(e)) && !said.signIn) hungStarts.add(failed)
    throw failed
  } finally {
    dl.signal.removeEventListener("abort", expire)
    httpLate?.abandon()
  }
}

/**
 * The remedy of a stdio server that ended with code 0 (success) before answering, without a word: its
 * command ran to its end instead of serving (a missing `stdio`/`serve` argument, a typo that ran
 * another program, a package whose bin is a CLI). Before, "run it by hand" alone, at each start.
 */
function exitedQuietly(o: ConnectOptions): string {
  return `It ended with code 0 (success) without a word, so its command ran to its end instead of serving MCP on stdin/stdout: check servers.${o.server}.command and args (many servers need an argument such as stdio, serve or mcp to serve; a misspelt package or script runs something else), then run it by hand: it must stay running, waiting for input.`
}

/** The remedy of a start failure nothing more specific is known about (pool/session leaves it to the proxy's, which fits the transport). */
export const GENERIC_START_REMEDY = "Check the server definition (command/url, env) and run it by hand to see its output."

/** The same for a server reached by URL: there is no command to run by hand, there is an answer to look at. */
export const REMOTE_START_REMEDY =
  "Check the server's url (and its headers or auth) and what the server answers there: a POST of an initialize request with curl -i shows its status, headers and body; the pool reconnects with backoff."

/**
 * A start that failed: CONNECT_FAILED "server X failed to start: why" (and `quoted`: what the child's
 * stderr, else its non-JSON stdout, says about it, pool/stderr-reason, with the stream's name; `note`:
 * the variables it asks for that it did not get). A
 * remote request that failed on the wire keeps its remedy (the same as for a call).
 */
function startFailed(o: ConnectOptions, kind: "stdio" | RemoteKind, why: string, cause: unknown, quoted?: string, remedy?: string, note?: string): DownstreamError {
  const e = new DownstreamError("CONNECT_FAILED", `server ${o.server} failed to start: ${why}${quoted ? `\n${quoted}` : ""}${note ? `\n${note}` : ""}`, {
    cause,
    remedy: remedy ?? (isRemoteRequestError(cause) ? cause.remedy : (tooLarge(cause) ?? onStderr(cause))?.remedy) ?? versionMismatch(cause)?.remedy?.replaceAll("servers.<name>.", `servers.${o.server}.`) ?? (kind === "stdio" ? GENERIC_START_REMEDY : REMOTE_START_REMEDY),
    details: { server: o.server, transport: kind },
  })
  reasons.set(e, why)
  return e
}

/** Start failures of stdio servers that ended before answering the probe and initialize alike (see `ConnectOptions.probeless`). */
const endedWhateverAsked = new WeakSet<object>()

/** The start failed by ending before answering anything, whatever it was asked: its next start need not probe (`ConnectOptions.probeless`). */
export function endsWhateverAsked(e: unknown): boolean {
  return typeof e === "object" && e !== null && endedWhateverAsked.has(e)
}

/** Why each start failed, without the "server X failed to start: " head (for the SSE fallback's combined message). */
const reasons = new WeakMap<object, string>()

function reasonOf(e: unknown): string {
  return (typeof e === "object" && e !== null ? reasons.get(e) : undefined) ?? errorMessage(e)
}

/** The FRAME_TOO_LARGE (an answer over pool.maxFrameBytes) or RESULTS_OVER_BUDGET error `e` is, or a start failed on. */
function tooLarge(e: unknown): DownstreamError | undefined {
  for (let x = e, depth = 0; x instanceof Error && depth < 3; x = x.cause, depth++) if (x instanceof DownstreamError && (x.code === "FRAME_TOO_LARGE" || x.code === "RESULTS_OVER_BUDGET")) return x
  return undefined
}

/**
 * The PROTOCOL_VERSION error a start failed on (no protocol version in common: an initialize answer
 * naming one we never offered, a DiscoverResult without 2026-07-28): its remedy names the versions and
 * the pin to try (it gave way to "run it by hand", which shows nothing wrong).
 */
function versionMismatch(e: unknown): DownstreamError | undefined {
  return e instanceof DownstreamError && e.code === "PROTOCOL_VERSION" && e.remedy !== undefined ? e : undefined
}

/** The PROTOCOL_ON_STDERR error a start failed on (its server writes JSON-RPC on stderr: pool/rpc). */
function onStderr(e: unknown): DownstreamError | undefined {
  return e instanceof DownstreamError && e.code === "PROTOCOL_ON_STDERR" ? e : undefined
}

/** A write to the child's stdin failed (it closed it, or exited): rpc's WRITE_FAILED. */
function isWriteFailed(e: unknown): boolean {
  return e instanceof DownstreamError && e.code === "WRITE_FAILED"
}

/** How long a start whose first write failed waits for the child's exit, to report it with its stderr. */
const WRITE_FAILED_EXIT_WAIT_MS = 2000

function isTimeout(e: unknown): boolean {
  return e instanceof DownstreamError && e.code === "TIMEOUT"
}

/** Start failures that were the connect budget running out (nothing answered in time), not a refusal or an exit. */
const hungStarts = new WeakSet<object>()

function hung(e: DownstreamError): DownstreamError {
  hungStarts.add(e)
  return e
}

/** Whether a start failed because it hung: no answer within its connect budget (`connectTimeout`). */
export function isHungStart(e: unknown): boolean {
  return typeof e === "object" && e !== null && hungStarts.has(e)
}

/** The connect's own deadline ran out (whichever setting gave it: pool.connectTimeout, or the server's own). */
function isConnectTimeout(e: unknown): e is DownstreamError {
  return e instanceof DownstreamError && e.code === "TIMEOUT" && e.details?.connectDeadline === true
}

/** What a request cut off by the deadline did not do, from the error it ended with. */
function phaseOf(e: unknown): string {
  const method = (e as { details?: { method?: unknown } } | null)?.details?.method
  return typeof method === "string" ? `did not answer ${method}` : "did not complete the connection"
}

/**
 * An error that is the answer itself, neither a start failure to wrap nor a reason to try SSE: a
 * login is needed (with its `auth login` remedy), or the configured protocol era cannot work.
 */
/** The modern connect failed on a DiscoverResult the server did answer (pool/modern-http): it speaks Streamable HTTP. */
function discoverRefused(e: unknown): boolean {
  for (let x = e, depth = 0; x instanceof Error && depth < 4; x = x.cause, depth++) if (x instanceof DownstreamError && x.details?.discoverRefused === true) return true
  return false
}

/** What to do about a start refused conclusively (`noSseFallback`): credentials for a 401/403, else the remote start's remedy. */
function conclusiveRemedy(server: string, e: unknown): string {
  let status: unknown
  for (let x = e, depth = 0; x instanceof Error && depth < 4 && status === undefined; x = x.cause, depth++) if (x instanceof DownstreamError) status = x.details?.status
  if (status === 401 || status === 403) {
    return `The server refused the credentials sent: check servers.${server}.headers in the config (an expired or wrong token in Authorization), or for an OAuth server run \`mcp-orchestrator auth login ${server}\`; the pool reconnects with backoff.`
  }
  return REMOTE_START_REMEDY
}

/** Why the Streamable HTTP answer a start failed on leaves nothing for the SSE fallback to try (`details.noSseFallback`, set by remote-errors). */
function noSseFallback(e: unknown): string | undefined {
  for (let x = e, depth = 0; x instanceof Error && depth < 4; x = x.cause, depth++) if (x instanceof DownstreamError && typeof x.details?.noSseFallback === "string") return x.details.noSseFallback
  return undefined
}

function isFinal(e: unknown): boolean {
  return e instanceof DownstreamError && (e.code === "NEEDS_AUTH" || e.code === "PROTOCOL_ERA")
}

/** Thrown inside `open` to start over on a fresh process in the era named (within what is left of the same connect deadline). */
class Reopen {
  /** `era` undefined: probe again (`probeExits`: how many starts so far ended on the probe). */
  constructor(
    readonly era: EraInfo | undefined,
    readonly probeExits = 0,
    /** A DiscoverResult already got on this connect (the HTTP probe's late answer): the modern session adopts it. */
    readonly prior?: DiscoverResult,
    /** The last process of this connect that exited on the probe (its reason stands when a later start is cut by the deadline). */
    readonly exited?: EarlierExit,
  ) {}
}

/** A process of this connect that exited before answering: why (its exit), and what its output said. */
interface EarlierExit {
  why: string
  said: ChildSaid
}

function earlierExit(o: ConnectOptions, why: string, stdio: StdioChildTransport | undefined, childVars: Record<string, string> | undefined): EarlierExit {
  return { why, said: childSaid(o.server, stdio, childVars) }
}

/**
 * A process that ended on the probe. Once is no verdict (a server may crash at start for its own
 * reasons, e.g. a lock another instance holds): it is probed once more. Twice is (rmcp servers end on
 * any request before `initialize`): started again with `initialize`, whose success is remembered
 * (legacy), so these restarts happen once per verdict.
 */
function afterProbeExit(o: ConnectOptions, probeExits: number, why: string, exited: EarlierExit): Reopen {
  if (probeExits === 0) {
    o.log.info("server exited on the server/discover probe; probing it once more (one exit is no era verdict)", { why })
    return new Reopen(undefined, 1, undefined, exited)
  }
  o.log.info("server exited on the server/discover probe again; starting it with initialize", { why })
  return new Reopen({ era: "legacy", via: "probed" }, probeExits, undefined, exited)
}

/** A modern Streamable HTTP session (SDK v2 client); a remembered verdict that no longer holds is detected again. */
async function openModernRemote(o: ConnectOptions, dl: ConnectDeadline, era: EraInfo, prior?: DiscoverResult): Promise<Connected> {
  let connected: Connected | undefined
  let opened: Awaited<ReturnType<typeof openModernHttp>>
  try {
    // the SDK v2 client is imported at the first modern remote connect (see open())
    const [{ openModernHttp }, oauth] = await Promise.all([import("./modern-http.ts"), attemptOAuth(o, dl)])
    const pending = openModernHttp({
      server: o.server,
      spec: o.spec as RemoteServerSpec,
      log: o.log,
      connectTimeoutMs: dl.left(),
      maxFrameBytes: o.maxFrameBytes,
      signal: dl.signal,
      onNotification: o.onNotification,
      onClosed: () => {
        if (connected) o.onClosed(connected)
      },
      ...(prior ? { prior } : {}),
      ...(oauth ? { oauth } : {}),
    })
    opened = await dl.race(pending, "did not complete the 2026-07-28 connect (server/discover)", (late) => void late.conn.close())
  } catch (e) {
    if (dl.expired) throw isConnectTimeout(e) ? hung(startFailed(o, "streamable-http", e.message, e)) : e
    // a login needed is no sign that the remembered era is wrong (asked again, the legacy path meets the same 401)
    if (era.via !== "cached" || isFinal(e) || (e instanceof DownstreamError && e.code === "INSUFFICIENT_SCOPE")) throw e
    o.log.info("remembered 2026-07-28 verdict failed; detecting the protocol era again", { error: errorMessage(e) })
    o.eras?.forget(o.spec)
    return open(o, "streamable-http", dl, { era: "legacy", via: "probed" })
  }
  const { conn, info } = opened
  // the same health-check rule as every other transport (pool/health-check)
  const checks: { unanswered?: boolean } = {}
  connected = { conn, info, era, check: (t) => healthCheck(conn, () => conn.check(t), o.log, checks), transport: "streamable-http", exitSummary: () => undefined, stderrTail: () => "", said: () => ({}) }
  return connected
}

/** Each connect attempt's OAuth login (`attemptOAuth`). */
const attemptAuths = new WeakMap<ConnectDeadline, ServeAuth | undefined>()

/**
 * The OAuth login of a remote server for this connect attempt (undefined: its headers set
 * Authorization), one for the era probe and the session it opens: a refresh ahead of expiry the
 * probe made (and the authorization server failed) is not made again by the session's first
 * request, which would wait the token endpoint's deadline a second time.
 */
async function attemptOAuth(o: ConnectOptions, dl: ConnectDeadline): Promise<ServeAuth | undefined> {
  if (attemptAuths.has(dl)) return attemptAuths.get(dl)
  const { remoteAuthFor } = await import("../auth/index.ts")
  if (attemptAuths.has(dl)) return attemptAuths.get(dl)
  const auth = remoteAuthFor(o.server, o.spec as RemoteServerSpec, undefined, o.log)
  attemptAuths.set(dl, auth)
  return auth
}

/**
 * The HTTP probe, with the headers the session would send: the config's, and the stored OAuth access
 * token of a server signed in (both eras' sessions carry it). A token that has expired is refreshed
 * first; one that cannot be refreshed now is not sent, nor the server probed: the legacy path asks
 * again (its era is then found from a refused `initialize`, or at the next start). Without a sign-in (or with a token the server refuses) a
 * 401/403 is no era evidence and the legacy path asks for one. A dual-era server signed in used to be
 * spoken to in the legacy era for good: OAuth ran on the legacy path only.
 */
async function probeRemote(o: ConnectOptions, dl: ConnectDeadline): Promise<{ verdict: HttpProbeVerdict; late?: HttpLateProbe }> {
  const spec = o.spec as RemoteServerSpec
  const [{ registerHeaderSecrets }, auth] = await Promise.all([import("./remote-transport.ts"), attemptOAuth(o, dl)])
  const provider = auth?.provider
  let token = provider?.record()?.tokens?.access_token
  let left = provider?.expiresInMs()
  if (auth !== undefined && token !== undefined && left !== undefined && left <= 0) {
    // refreshed first, as each of the session's requests is (beforeRequest; one refresh across the
    // processes sharing the login): the probe carries a live token and a dual-era server is found
    // modern now. Before, an expired token skipped the probe: that session ran legacy until the next start
    await untilAborted(auth.beforeRequest(), dl.signal)
    token = provider!.record()?.tokens?.access_token
    left = provider!.expiresInMs()
    if (token === undefined || (left !== undefined && left <= 0)) return { verdict: { era: "none", why: "its OAuth access token has expired and could not be refreshed now (the legacy path asks again)" } }
  }
  // its answer is bounded as the session's are (one over pool.maxFrameBytes is no era evidence: the legacy path reports it)
  const endpoint = endpointLabel(new URL(spec.url))
  const bounded = limitBodies((u, init) => fetch(u, init), o.maxFrameBytes, (x) => bodyRefused(o.server, endpoint, x, "server/discover"), endpoint)
  // a front that never answers the probe (holds what it does not know) must leave initialize its time:
  // after half the connect timeout without an answer, initialize is tried (no answer is no era evidence,
  // as a 401 is not). The probe's request is not given up then (it runs until the connect's deadline):
  // a modern-only server slow to answer it refuses initialize, and its late answer is the session's
  // DiscoverResult; asking again cost its slow answer a second time, past the deadline (QA: a discover
  // answered in 0.6 × the connect timeout failed every first start)
  const wait = Math.max(1, Math.min(dl.left(), Math.floor(o.connectTimeoutMs / 2)))
  const ac = new AbortController()
  // (the token is in the redaction set: the token store registers what it reads)
  const headers = { ...registerHeaderSecrets(spec.headers ?? {}), ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) }
  const asked = probeHttp(spec.url, headers, Math.max(1, dl.left()), AbortSignal.any([dl.signal, ac.signal]), bounded)
  let timer: ReturnType<typeof setTimeout> | undefined
  const silent = new Promise<"silent">((r) => (timer = setTimeout(() => r("silent"), wait)))
  try {
    const first = await Promise.race([asked, silent])
    if (first !== "silent") return { verdict: first }
  } catch (e) {
    if (dl.expired || !(e instanceof DownstreamError && e.code === "TIMEOUT")) throw e
    return { verdict: { era: "none", why: errorMessage(e) } }
  } finally {
    clearTimeout(timer)
  }
  o.log.info("server/discover probe unanswered; trying initialize", { waitedMs: wait })
  const result = asked.then(
    (v) => (v.era === "modern" ? v.discover : undefined),
    () => undefined,
  )
  return { verdict: { era: "none", why: `no answer within ${wait} ms` }, late: { result, abandon: () => ac.abort() } }
}

/** The HTTP probe's request still running after its wait (see probeRemote): its DiscoverResult, if one comes before the deadline. */
interface HttpLateProbe {
  result: Promise<DiscoverResult | undefined>
  /** End its request (initialize answered, or the start is over). */
  abandon(): void
}

/**
 * What a legacy start after the probe leaves in the era store. A probe answered in time (a non-modern
 * error, an exit) is legacy. A probe with no answer in time is no verdict by itself (a slow or loaded
 * start looks the same as a server that ignores it), so its answer's order decides: answered before
 * `initialize` (a server reads its stdin in order): a slow starter; a DiscoverResult makes it a
 * dual-era server, spoken legacy in this session (it took `initialize`) and modern from the next start;
 * still unanswered once `initialize` was: a server that ignores requests before `initialize` (legacy).
 */
async function rememberLegacyStart(o: ConnectOptions, late: LateProbe | undefined, wasModern = false): Promise<"legacy" | "modern" | "none"> {
  const legacy = (): "legacy" => (o.eras?.set(o.spec, "legacy"), "legacy")
  if (late === undefined) return legacy()
  if (late.pending()) {
    late.abandon()
    o.log.debug("server/discover probe unanswered while initialize was: a legacy server")
    return legacy()
  }
  const a = await late.answer
  if (a.era === "modern" && wasModern) {
    // remembered modern and slow again: spoken legacy in this session too (said at each start would be noise)
    o.log.debug("server answered the server/discover probe after its timeout again (a slow start); this session uses initialize", { probeTimeoutMs: probeTimeout(o.connectTimeoutMs) })
    return "modern"
  }
  if (a.era === "modern") {
    o.log.info("server answered the server/discover probe after its timeout (a slow start): it speaks MCP 2026-07-28; this session uses initialize, the next start the 2026-07-28 protocol", { probeTimeoutMs: probeTimeout(o.connectTimeoutMs) })
    o.eras?.set(o.spec, "modern")
    return "modern"
  }
  return a.era === "legacy" ? legacy() : "none"
}

/**
 * A remembered 2026-07-28 verdict the server did not confirm on this start (it answered the probe as no
 * modern server does, exited on it, or left it unanswered in time): forgotten, said once, and the start
 * goes on as a first contact would (what it shows now is remembered).
 */
/**
 * A remembered 2025-11-25 verdict whose `initialize` went unanswered until the connect deadline, the
 * server still running: a server that now speaks 2026-07-28 only and ignores `initialize` looks just
 * so. The verdict is dropped, so the next start asks `server/discover` first (a legacy server slow to
 * start loses nothing: its probe is answered, or not, and it gets `initialize` as before). Before, it
 * was kept, and every start of that server waited out the whole connect timeout. Not probed within
 * this start: a request written beside `initialize` would end an rmcp server still reading it (they
 * end on a request before `notifications/initialized`), and a sibling process may have side effects.
 */
function staleLegacy(o: ConnectOptions): string {
  o.eras?.forget(o.spec)
  o.log.info("remembered 2025-11-25 verdict dropped: initialize went unanswered; the next start probes the protocol era (server/discover)")
  return `; its remembered 2025-11-25 verdict was dropped: the next start asks server/discover first (a server that now speaks ${MODERN_PROTOCOL_VERSION} only ignores initialize)`
}

function staleModern(o: ConnectOptions, why: string, forget = true): EraInfo {
  o.log.info("server no longer answers server/discover as a 2026-07-28 server (remembered verdict); detecting its protocol era again", { why })
  if (forget) o.eras?.forget(o.spec)
  return { era: "legacy", via: "probed" }
}

/** A server that answered the probe with a modern error: it is modern, and no fallback to initialize would help. */
function modernRefused(server: string, why: string): DownstreamError {
  return new DownstreamError("PROTOCOL_ERA", `server ${server} speaks MCP 2026-07-28 or later but refused our server/discover (${why})`, {
    remedy: `Check the server's supported protocol versions; this orchestrator speaks ${MODERN_PROTOCOL_VERSION} and 2025-11-25.`,
    details: { server },
  })
}

/** Does an HTTP error text carry a modern JSON-RPC error body (-32022 naming 2026-07-28)? */
function modernHttpRejection(text: string): boolean {
  return /-32022/.test(text) && text.includes(MODERN_PROTOCOL_VERSION)
}

function modernSseUnsupported(server: string): DownstreamError {
  return new DownstreamError("PROTOCOL_ERA", `server ${server} is set to the 2026-07-28 protocol, which has no HTTP+SSE transport`, {
    remedy: "Use transport: streamable-http (or leave transport unset) for a 2026-07-28 server.",
    details: { server },
  })
}

/** The refusal of a 2026-07-28 server's own request, as the error its relay answers it with. */
function refused(method: string, refusal: ModernRequestRefusal): Promise<never> {
  const r = refusal.refuse(method)
  return Promise.reject(new RpcError(method, r.code, r.message, undefined))
}

/** `p`, or nothing once `signal` aborts (the connect's deadline): what waits on it goes on without it. */
function untilAborted(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const done = (): void => {
      signal.removeEventListener("abort", done)
      resolve()
    }
    signal.addEventListener("abort", done, { once: true })
    p.then(done, done)
  })
}
