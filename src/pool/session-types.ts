/**
 * @module pool/session-types
 * Settings, hooks and per-call options of a pool session.
 */
import type { CallCancel, Clock, Logger } from "../core/index.ts"
import type { EraStore } from "./era-store.ts"
import type { ModernCallOptions } from "./era.ts"
import type { InitializeInfo } from "./handshake.ts"
import type { ProgressParams } from "./rpc.ts"
import type { Session } from "./session.ts"
import type { SessionState } from "./types.ts"

export interface PoolSettings {
  maxSessions: number
  maxInFlight: number
  queueLimit: number
  idleTimeout: number
  callTimeout: number
  maxTotalTimeout: number
  connectTimeout: number
  healthInterval: number
  breakerFailures: number
  breakerCooldown: number
  restartDelay: number
  restartDelayMax: number
  maxFrameBytes: number
}

export interface SessionHooks {
  log: Logger
  clock: Clock
  closeGraceMs?: number
  /** The uptime that first proves a connection healthy (pool/health; default 10 s): tests shorten it. */
  stableAfterMs?: number
  /** The longest a client's call waits for a start (pool/start-waits CLIENT_WAIT_CAP_MS): tests shorten it. */
  clientWaitCapMs?: number
  /** Make room before a new connection (max sessions); throws when none can be freed. */
  reserve(session: Session): Promise<void>
  /** Remembered protocol-era verdicts (absent: detected on every start). */
  eras?: EraStore
  onNotification(server: string, method: string, params: Record<string, unknown> | undefined): void
  /** Server→client requests (sampling, elicitation, roots); absent = answered "not supported". */
  onRequest?(server: string, method: string, params: Record<string, unknown> | undefined, signal: AbortSignal, owner?: unknown): Promise<unknown>
  /** What to declare at `initialize` when `onRequest` is set (default RELAY_CAPABILITIES): none when no client could answer. */
  relayCapabilities?(): Readonly<Record<string, object>>
  onReady(server: string, info: InitializeInfo): void
  onState(server: string, state: SessionState): void
  /** The session now serving this server's name, when this one was replaced (a config reload redefined it, the Toolkit gateway restarted): calls never sent here go there. */
  successor?(): Session | undefined
}

export interface CallOptions {
  signal?: AbortSignal
  /** Used instead of `signal` when given (the stdio fast lane: no EventTarget per call). */
  cancel?: CallCancel
  /** The caller forwards `RawJson` results (see RequestOptions.raw). */
  raw?: boolean
  timeoutMs?: number
  onProgress?: (p: ProgressParams) => void
  /** Safe to re-send after a connection failure (list/read/get only, never tools/call). */
  idempotent?: boolean
  /**
   * An internal list request (tools/list… when a server comes up): its budget also covers waiting
   * for the server to start or restart (pool.connectTimeout), so a server that boots slower than its
   * call timeout is still listed.
   */
  listing?: boolean
  /** When the call arrived (clock.now() of the pool's clock), if before it reached the pool: its budget counts from then. */
  startedAt?: number
  /** Toward a 2026-07-28 server: the client's capabilities and log level, MRTR results returned (see ModernCallOptions). */
  modern?: ModernCallOptions
  /** The caller takes no answer over this many bytes (RequestOptions.maxAnswerBytes: a run_code script's call). */
  maxAnswerBytes?: number
  /** Whose call this is (the proxy's call context): a request the server makes for it comes to `onRequest` with it (RequestOptions.owner). */
  owner?: unknown
}
