/**
 * @module app/config-apply
 * Applies a config diff to the running orchestrator, in place: removed servers close (their
 * process group goes with them) and their tools answer SERVER_REMOVED; changed servers restart
 * under the new definition, unless only how calls are made changed (timeouts, in-flight limit,
 * tool filter), which the running session takes over; added servers start (their tools are
 * listed, and list_changed follows); unchanged servers, and calls in flight on them, are not
 * touched. The warm list, pool
 * limits, log level and call-line rate, proxy.listWait, proxy.firstListWait, proxy.expose, toolsets, codeMode limits and
 * plugin directories are re-applied (the last four by the orchestrator, `reapply`, which reads
 * them from the running config updated here). The running config object is updated, so
 * everything that reads it (status, later lists) sees the new values; settings that need a restart
 * keep their running value.
 */
import type { Config } from "../config/index.ts"
import type { LogHub, LogLevel } from "../core/index.ts"
import type { Proxy, SessionState } from "../proxy/index.ts"
import { activeServers, liveKey, type ConfigDiff } from "./config-diff.ts"

/** Entry keys about how calls are made, not what runs: a change keeps the process. */
const IN_PLACE = new Set(["timeout", "toolTimeouts", "maxInFlight", "tools"])

/** Session states after a failed start (needs-auth is not one: starting it again would ask for a sign-in nobody asked for). */
const START_FAILED = new Set<SessionState>(["failed", "backoff", "open-circuit"])

export interface ApplyTarget {
  proxy: Pick<Proxy, "addServer" | "removeServer" | "refilter" | "pool">
  logHub: LogHub
  nested: boolean
}

/** Whether applying `diff` stops a server that runs from the running config (removed, renamed, or restarted under a changed definition). */
export function stopsServers(diff: ConfigDiff): string[] {
  return [...diff.removed, ...diff.changed.filter((c) => !c.fields.every((f) => IN_PLACE.has(f))).map((c) => c.name)]
}

/** Returns the closings of removed and replaced sessions (they finish in the background). */
export function applyDiff(running: Config, next: Config, diff: ConfigDiff, t: ApplyTarget): Promise<void>[] {
  const closing: Promise<void>[] = []
  const specs = activeServers(next)
  const warm = new Set(next.warm)
  if (!t.nested) {
    // `disabled: true` is not a removal: calls cut short (and later ones) are told which it was
    for (const name of diff.removed) {
      const to = diff.renamed[name]
      const edited = diff.renamedChanged[name]
      if (to !== undefined) closing.push(t.proxy.removeServer(name, `was renamed to ${to} in the config${edited?.length ? ` (its ${edited.join(", ")} changed too)` : ""}`, { renamedTo: to }))
      else closing.push(t.proxy.removeServer(name, next.servers[name]?.disabled ? `was disabled in the config (servers.${name}.disabled: true)` : "was removed from the config"))
    }
    for (const { name, fields } of diff.changed) {
      const session = t.proxy.pool.get(name)
      if (session && fields.every((f) => IN_PLACE.has(f))) {
        // The session reads these from its definition on each call; the limiter takes the new limit.
        const spec = session.def.spec as Record<string, unknown>
        const now = specs[name] as Record<string, unknown>
        for (const f of fields) {
          if (now[f] === undefined) delete spec[f]
          else spec[f] = now[f]
        }
        session.limiter.limit = (now.maxInFlight as number | undefined) ?? next.pool.maxInFlight
        if (fields.includes("tools")) t.proxy.refilter(name)
        continue
      }
      // A server that was running (or is warm) comes back at once; one never started stays lazy. So
      // does one whose start failed (a wrong command or path: what the edit most likely fixed): lazy,
      // it would wait for a call of a tool the client was never shown (Cursor lists once), so its
      // tools never appeared; started, they are listed and list_changed follows.
      const old = t.proxy.pool.get(name)
      const wasLive = old?.isLive ?? false
      const wasFailing = old !== undefined && START_FAILED.has(old.state)
      closing.push(t.proxy.removeServer(name, undefined, { restarted: "its definition changed in the config" }))
      t.proxy.addServer({ name, source: "config", spec: specs[name]! }, { lazy: !(wasLive || wasFailing || warm.has(name)) })
    }
    for (const name of diff.added) t.proxy.addServer({ name, source: "config", spec: specs[name]! }, { lazy: false })
  }
  running.servers = next.servers
  running.warm = next.warm
  // each live key takes the new value of the section or setting that makes it live (config-diff LIVE_KEYS)
  const from = next as unknown as Record<string, Record<string, unknown>>
  const to = running as unknown as Record<string, Record<string, unknown>>
  for (const key of diff.live) {
    const live = liveKey(key)
    if (live === undefined) continue
    const [section, leaf] = live.split(".") as [string, string | undefined]
    if (leaf === undefined) to[section] = from[section]!
    else to[section]![leaf] = from[section]![leaf]
  }
  if (diff.live.some((k) => k.startsWith("pool."))) t.proxy.pool.applySettings(next.pool)
  if (diff.live.includes("log.level")) t.logHub.level = next.log.level as LogLevel
  if (!t.nested) {
    for (const name of diff.warm.removed) {
      const s = t.proxy.pool.get(name)
      if (s) s.warm = false
    }
    // warm servers that are new or newly warm start now (a changed one was re-added above)
    const start = [...new Set([...diff.warm.added, ...diff.added])].filter((n) => warm.has(n) && Object.hasOwn(specs, n))
    if (start.length) t.proxy.pool.warm(start)
  }
  return closing
}
