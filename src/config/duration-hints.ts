/**
 * @module config/duration-hints
 * A bare number in a duration is milliseconds. Where a small one is almost surely meant as
 * seconds (`timeout: 60`, as Cline and Roo Code write it in their mcp_settings.json: every call of
 * that server would time out after 60 ms), loading warns, naming the key, where it was set and the
 * value to write instead. Keys where a few milliseconds are a sensible setting (plugin deadlines)
 * are not checked, and 0 (off / never) never is. Writing the unit (`"60ms"`) silences the warning.
 *
 * `mcpServers` entries are read as `servers` entries: one unit (milliseconds) everywhere, so an
 * entry means the same under either key. A Cline/Roo `timeout` (seconds, 1–3600) is warned about
 * up to 3600 there, since that is where such a file's entries land.
 */
import { formatDuration } from "../core/index.ts"

/** Smallest bare number not warned about, by key path (`*`: any one key). */
export const PLAUSIBLE_MS: ReadonlyArray<readonly [pattern: string, minMs: number]> = [
  ["servers.*.timeout", 1000],
  ["servers.*.toolTimeouts.*", 1000],
  ["mcpServers.*.timeout", 3601],
  ["mcpServers.*.toolTimeouts.*", 1000],
  ["pool.callTimeout", 1000],
  ["pool.maxTotalTimeout", 1000],
  ["pool.connectTimeout", 1000],
  ["pool.idleTimeout", 1000],
  ["pool.healthInterval", 1000],
  ["pool.breakerCooldown", 1000],
  ["pool.restartDelay", 100],
  ["pool.restartDelayMax", 100],
  ["proxy.listWait", 100],
  ["proxy.firstListWait", 100],
  ["toolkit.timeout", 1000],
  ["http.sessionIdleTimeout", 1000],
  ["codeMode.timeout", 1000],
  ["cache.ttl.*", 1000],
]

function matches(pattern: string, path: readonly string[]): boolean {
  const parts = pattern.split(".")
  return parts.length === path.length && parts.every((p, i) => p === "*" || p === path[i])
}

/** The smallest plausible bare number of milliseconds at `path`, or undefined for a key not checked. */
export function plausibleMs(path: readonly string[]): number | undefined {
  return PLAUSIBLE_MS.find(([p]) => matches(p, path))?.[1]
}

/** A bare number: a number, or a string of digits without a unit (both are milliseconds). */
function bareNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined
  if (typeof v === "string" && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  return undefined
}

/**
 * One warning per small bare number in a duration key of `merged` (the config as written, before
 * validation: a number there was written without a unit):
 * `servers.f.timeout (cfg.json:4): 60 is read as 60 ms (a bare number is milliseconds); did you mean "60s"? …`
 */
export function durationWarnings(merged: Record<string, unknown>, sourceOf: (path: readonly PropertyKey[]) => string): string[] {
  const out: string[] = []
  const visit = (v: unknown, path: string[]): void => {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k], [...path, k])
      return
    }
    const min = plausibleMs(path)
    if (min === undefined) return
    const n = bareNumber(v)
    if (n === undefined || n <= 0 || n >= min) return
    const cline = path[0] === "mcpServers" && path[2] === "timeout" ? "; Cline and Roo Code write this key in seconds" : ""
    const ms = n < 1000 ? `${n} ms` : formatDuration(n)
    out.push(`${path.join(".")} (${sourceOf(path)}): ${JSON.stringify(v)} is read as ${ms} (a bare number is milliseconds${cline}); did you mean "${n}s"? Write "${n}s", or "${n}ms" to keep ${ms} and silence this warning`)
  }
  visit(merged, [])
  return out
}
