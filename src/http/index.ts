/**
 * @module http
 * The HTTP side: hono app with MCP Streamable HTTP, health, readiness, Prometheus metrics, OpenAPI.
 */
export { createHttpApp, type HttpApp, type HttpAppDeps } from "./app.ts"
export type { ClientLimit } from "./reply.ts"
export { Metrics, type CacheFigures, type CallOutcome, type MetricsSources } from "./metrics.ts"
export { buildOpenApi } from "./openapi.ts"
export { HealthSchema, ReadinessSchema, readinessFromStatus, type Health, type Readiness } from "./health.ts"
export { hostAllowList, originAllowList, type AllowListProblem } from "./allow-list.ts"
export { generateToken, hostAllowed, isLoopbackHost, originAllowed, splitHost } from "./security.ts"
export { parseListen, type ListenAddress } from "./listen.ts"
export { DEFAULT_RESUME, RESUME_GRACE_MS, RETRY_MS, type ResumeLimits } from "./resume.ts"
