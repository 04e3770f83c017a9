/**
 * @module proxy/list-retry
 * A server that is up but cannot list its tools (it answers tools/list with a JSON-RPC error, or
 * with something that is no list) is supervised like a server that fails to start: the failure is
 * counted on its session (`failures`, `lastError` and the circuit breaker, so orchestrator_status
 * says why its tools are missing) and the listing is tried again after the pool's restart backoff
 * (pool.restartDelay × 2ⁿ ± 20 %, capped at pool.restartDelayMax), or after the breaker's cooldown
 * once it is open. The connection stays up (calls of a stored list's tools still work); a listing
 * that succeeds, a restart (whose start lists anyway) or the server's removal ends the retries.
 * Any answer the listing cannot use counts: an error, no list, one over pool.maxFrameBytes or the
 * large-result budget, one cut short; each is shown with a remedy worded for a listing. A failed
 * listing of its prompts, resources or templates is counted and shown the same way (`partFailed`),
 * without the breaker (its tools and calls are fine) and without retries; a failing tools listing's
 * error stays the one shown.
 * The warning of a failed tools listing (with its remedy) is said once per streak of the same error:
 * the retries that fail the same way are logged at debug (each retry of an answer over
 * pool.maxFrameBytes re-read it whole, and warned again, every backoff, as long as the server ran).
 * Such an answer's error names the key and the sizes (`pool.maxFrameBytes` and what was read when it
 * was dropped), in the status row too, and the warning says what to set.
 */
import { DownstreamError, errorMessage, type Logger } from "../core/index.ts"
import { RpcError, type Session } from "../pool/index.ts"
import type { ListMethod } from "./fetch-list.ts"
import { listRemedy } from "./list-remedy.ts"

export class ListRetries {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  /** Servers whose last tools listing failed (a success after it is logged). */
  private readonly failing = new Set<string>()
  /** Per server whose tools listing is failing: the error last warned about (the same one again is not). */
  private readonly warned = new Map<string, string>()
  private stopped = false

  constructor(
    /** Lists the server's tools again (only called while its session is ready). */
    private readonly relist: (server: string) => void,
    private readonly log: Logger,
  ) {}

  /** The listing failed with `err`: counted on the session when it is the server's own failure, retried later. */
  failed(session: Session, err: unknown, opts: { count: boolean }): void {
    if (this.stopped || !answeredBadly(err)) return
    const server = session.name
    const why = `tools/list failed: ${describe(err)}`
    this.failing.add(server)
    if (!opts.count) {
      // a background check of a stored list: shown, but neither counted nor retried (proxy/revalidate)
      session.health.lastError = why
      return
    }
    const remedy = listRemedy("tools/list", err, "the listing is tried again with a backoff")
    const verdict = session.listingFailed(why, remedy, true)!
    const inMs = "open" in verdict ? session.breaker.retryInMs() : verdict.restartInMs
    // the same failure again: said once per streak (the debug line keeps the count of retries)
    // (by its code: an answer over the limit is dropped at a byte count that differs a little each time)
    const same = err instanceof DownstreamError ? err.code : why
    const again = this.warned.get(server) === same
    this.warned.set(server, same)
    if ("open" in verdict) this.log.error("listing tools keeps failing: circuit breaker open", { server, failures: session.breaker.consecutiveFailures, retryInMs: Math.round(inMs), lastError: why })
    else if (again) this.log.debug("listing tools failed the same way again; trying again", { server, retryInMs: Math.round(inMs), failures: session.breaker.consecutiveFailures })
    else this.log.warn("listing tools failed; trying again", { server, retryInMs: Math.round(inMs), error: why, remedy })
    this.schedule(session, inMs)
  }

  /**
   * A listing of its prompts, resources or templates failed on its answer: counted and shown with a
   * remedy (not retried); while its tools listing is failing, that error stays the one shown.
   */
  partFailed(session: Session, method: ListMethod, err: unknown): void {
    if (this.stopped || !answeredBadly(err)) return
    session.listingFailed(`${method} failed: ${describe(err)}`, listRemedy(method, err, "it is listed again when the server restarts or announces a change"), false, this.failing.has(session.name))
  }

  /** The listing succeeded: no more retries; a session that was failing answered again. */
  succeeded(session: Session | undefined, server: string): void {
    this.cancel(server)
    this.warned.delete(server)
    if (!this.failing.delete(server)) return
    session?.health.answered()
    this.log.info("listing tools works again", { server })
  }

  /** A retry of `server`'s listing is scheduled (its failure is being supervised). */
  scheduled(server: string): boolean {
    return this.timers.has(server)
  }

  cancel(server: string): void {
    const t = this.timers.get(server)
    if (t !== undefined) clearTimeout(t)
    this.timers.delete(server)
  }

  stop(): void {
    this.stopped = true
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  private schedule(session: Session, inMs: number): void {
    this.cancel(session.name)
    const t = setTimeout(() => {
      this.timers.delete(session.name)
      // not up any more: its next start lists anyway (a list or a call starts it, not this timer)
      if (!this.stopped && session.state === "ready") this.relist(session.name)
    }, Math.max(0, inMs))
    t.unref?.()
    this.timers.set(session.name, t)
  }
}

/** Answers that came but cannot be used: no list, cut short or no JSON-RPC answer; over pool.maxFrameBytes; over the large-result budget. */
const UNUSABLE = new Set(["BAD_RESPONSE", "FRAME_TOO_LARGE", "RESULTS_OVER_BUDGET"])

/**
 * The server's own failure to list: its JSON-RPC error, or an answer that could not be used (no
 * valid list, cut short, over pool.maxFrameBytes). A lost connection, a timeout or a failed start
 * are counted by the session itself (pool/session).
 */
export function answeredBadly(err: unknown): boolean {
  return err instanceof RpcError || (err instanceof DownstreamError && UNUSABLE.has(err.code))
}

function describe(err: unknown): string {
  if (err instanceof RpcError) return `${err.message} (JSON-RPC error ${err.rpcCode})`
  // over the frame limit: the key and the sizes, so the status row says what to raise and to what
  if (err instanceof DownstreamError && err.code === "FRAME_TOO_LARGE" && err.details?.answerCap !== true) {
    const limit = Number(err.details?.limit)
    const read = Number(err.details?.bytes ?? err.details?.bytesSoFar)
    if (Number.isFinite(limit) && Number.isFinite(read)) return `${errorMessage(err)}; the limit is pool.maxFrameBytes (${mib(limit)}; ${mib(read)} of the answer read when it was dropped)`
  }
  return errorMessage(err)
}

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`
}
