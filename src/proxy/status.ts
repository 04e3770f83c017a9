/**
 * @module proxy/status
 * Per-server status rows (orchestrator_status, /readyz, /metrics) from the pool's sessions.
 */
import type { Pool } from "../pool/index.ts"
import type { DownstreamDef, ServerStatus, Tool } from "./types.ts"

export function serverStatuses(entries: readonly { def: DownstreamDef; tools?: Tool[] }[], pool: Pool): ServerStatus[] {
  const servers: ServerStatus[] = []
  for (const e of entries) {
    const s = pool.get(e.def.name)
    if (!s) continue
    const retryAt = s.retryAtWall()
    servers.push({
      name: e.def.name,
      source: e.def.source,
      transport: s.transport,
      state: s.state,
      tools: e.tools?.length ?? 0,
      inFlight: s.limiter.inFlight,
      queued: s.limiter.queued,
      calls: s.calls,
      failures: s.failures,
      ...(s.lastError !== undefined ? { lastError: s.lastError } : {}),
      ...(retryAt !== undefined ? { retryAt } : {}),
    })
  }
  return servers
}
