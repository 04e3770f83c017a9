/**
 * @module http/health
 * Liveness and readiness: response schemas (also used by /openapi.json) and the readiness rule —
 * not shutting down, every warm server ready, the Docker MCP Toolkit not reporting itself unready.
 */
import { z } from "zod"
import type { Status } from "../mcp/index.ts"

export const HealthSchema = z.object({
  status: z.literal("ok"),
  name: z.string(),
  version: z.string(),
  uptimeSeconds: z.number(),
})
export type Health = z.infer<typeof HealthSchema>

export const ReadinessSchema = z.object({
  ready: z.boolean().describe("true when every check passes (HTTP 200), else HTTP 503"),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string().optional() })),
  servers: z.record(z.string(), z.string()).describe("Downstream server name → session state"),
})
export type Readiness = z.infer<typeof ReadinessSchema>

const NOT_READY_STATES = new Set(["idle", "starting", "failed", "backoff", "open-circuit", "needs-auth", "closed"])

export function readinessFromStatus(status: Status, opts: { stopping?: boolean } = {}): Readiness {
  const checks: Readiness["checks"] = []
  checks.push({ name: "accepting", ok: !opts.stopping, ...(opts.stopping ? { detail: "shutting down" } : {}) })
  const byName = new Map(status.servers.map((s) => [s.name, s]))
  for (const w of status.config.warm) {
    const s = byName.get(w)
    const ok = !!s && !NOT_READY_STATES.has(s.state)
    checks.push({ name: `warm server ${w}`, ok, detail: s ? `${s.state}${s.lastError ? `: ${s.lastError}` : ""}` : "not started" })
  }
  const tk = status.toolkit
  if (tk) {
    const ok = tk.ready !== false
    const detail = typeof tk.state === "string" ? tk.state : typeof tk.error === "string" ? tk.error : undefined
    checks.push({ name: "toolkit", ok, ...(detail ? { detail } : {}) })
  }
  return {
    ready: checks.every((c) => c.ok),
    checks,
    servers: Object.fromEntries(status.servers.map((s) => [s.name, s.state])),
  }
}
