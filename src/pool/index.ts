/**
 * @module pool
 * Supervised sessions to downstream MCP servers (stdio children, Streamable HTTP, SSE) and the lean
 * JSON-RPC machinery they use (line framing, RPC client) — reusable by the server face.
 */
export { Pool, type PoolOptions } from "./pool.ts"
export { isAbandoned, Session, type CallOptions, type PoolSettings } from "./session.ts"
export { LineWriter, processStdio, type ProcessStdio } from "./line-writer.ts"
export { badResponse, resultProblem, RpcConnection, RpcError, shown, type ProgressParams, type RequestOptions } from "./rpc.ts"
export { StdioChildTransport, type StdioChildOptions, type ExitInfo } from "./stdio-transport.ts"
export { childEnv, BASE_ENV_KEYS, DEPTH_VAR, nestingDepth } from "./child-env.ts"
export { restartDelay } from "./backoff.ts"
export { CircuitBreaker, type BreakerState } from "./breaker.ts"
export { Health, STABLE_AFTER_MS, type HealthSettings, type Verdict } from "./health.ts"
export { Limiter } from "./limiter.ts"
export { TextRing } from "./ring-buffer.ts"
export { ACCEPTED_PROTOCOL_VERSIONS, CLIENT_PROTOCOL_VERSION, RELAY_CAPABILITIES, type InitializeInfo, type ServerCapabilities } from "./handshake.ts"
export { isStdio, transportName } from "./connect.ts"
export { FileEraStore, MemoryEraStore, type EraStore } from "./era-store.ts"
export { MODERN_PROTOCOL_VERSION, withEnvelope, type Era, type EraInfo, type EraSource } from "./era.ts"
export type { DownstreamDef, SessionState } from "./types.ts"
export { endpointLabel, wireCause } from "./remote-errors.ts"
export { connect, type Connected, type ConnectOptions } from "./connect.ts"
export { STDERR_REASON_BYTES, stderrReason, type EnvHint } from "./stderr-reason.ts"
export { toolErrorText } from "./tool-error-env.ts"
export { CLIENT_WAIT_CAP_MS } from "./start-waits.ts"
