/**
 * @module app/status-scope
 * `orchestrator_status` as a toolset's connection sees it: servers outside `toolsets.<name>.servers`
 * are left out (their names, states and errors are not this connection's business, and a model
 * scoped to a toolset should not learn of them), and the proxied tool count is the toolset's.
 */
import type { Toolset } from "../config/index.ts"
import type { Status } from "../mcp/index.ts"
import type { Upstream } from "../proxy/index.ts"

export function scopeStatus(s: Status, name: string | undefined, toolset: Toolset | undefined, upstream: Upstream): Status {
  if (name === undefined || toolset === undefined) return s
  const proxied = upstream.catalogNow?.().tools.length ?? s.tools.proxied
  const out: Status = { ...s, toolset: name, tools: { ...s.tools, proxied } }
  const servers = toolset.servers
  if (servers === undefined) return out
  const inScope = new Set(servers)
  out.servers = s.servers.filter((x) => inScope.has(x.name))
  const invalid = s.config.invalidServers?.filter((i) => inScope.has(i.name))
  out.config = { ...s.config, servers: s.config.servers.filter((n) => inScope.has(n)), warm: s.config.warm.filter((n) => inScope.has(n)) }
  if (invalid?.length) out.config.invalidServers = invalid
  else delete out.config.invalidServers
  if (s.pins) {
    const { dropped, ...pins } = s.pins
    const ours = dropped?.filter((d) => inScope.has(d.server))
    out.pins = { ...pins, changes: s.pins.changes.filter((c) => inScope.has(c.server)), ...(ours?.length ? { dropped: ours } : {}) }
  }
  return out
}
