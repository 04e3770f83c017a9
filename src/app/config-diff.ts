/**
 * @module app/config-diff
 * What a config reload changes, computed against the RUNNING config (never the new file against
 * itself): servers added, removed and changed (with the fields that changed), the warm list, the
 * settings applied live, and the changed settings that only a restart applies (HTTP listen address,
 * cache, Toolkit, plugins…). Pure: no I/O.
 */
import { canonicalJson } from "../cache/index.ts"
import type { Config, ServerSpec } from "../config/index.ts"
import { isRecord } from "../core/index.ts"

export interface ServerChange {
  name: string
  /** Changed keys of the entry (command, args, env, url, headers, auth, …). */
  fields: string[]
}

export interface ConfigDiff {
  added: string[]
  removed: string[]
  /** Of `removed`, those whose definition is `added` unchanged under another name (old name → new name). */
  renamed: Record<string, string>
  /** Of `renamed`, those whose entry changed too (the same command and args, or url; other keys edited): old name → the keys changed. */
  renamedChanged: Record<string, string[]>
  changed: ServerChange[]
  warm: { added: string[]; removed: string[] }
  /** Dotted keys applied live (pool.*, log.*, proxy.listWait, proxy.firstListWait, proxy.expose, proxy.maxMessageBytes, toolsets.*, codeMode.*, plugins.dirs, toolkit.tools). */
  live: string[]
  /** Dotted keys whose new value needs a restart; the running value stays in effect. */
  restartNeeded: string[]
}

/**
 * Sections (or single keys) applied without a restart. Everything else that changes is reported
 * as needing one, and keeps its running value.
 */
const LIVE_KEYS = new Set(["pool", "log.level", "log.callLinesPerSecond", "proxy.listWait", "proxy.firstListWait", "proxy.expose", "proxy.maxMessageBytes", "toolsets", "codeMode", "plugins.dirs", "toolkit.tools", "reload"])

/** The LIVE_KEYS entry (`section` or `section.key`) that covers a changed dotted key, if any. */
export function liveKey(key: string): string | undefined {
  if (LIVE_KEYS.has(key)) return key
  const section = key.split(".")[0]!
  return LIVE_KEYS.has(section) ? section : undefined
}

/** Servers that run: enabled entries (a loaded config has `mcpServers` merged into `servers`). */
export function activeServers(c: Config): Record<string, ServerSpec> {
  const out: Record<string, ServerSpec> = {}
  for (const [name, spec] of Object.entries(c.servers)) if (!spec.disabled) out[name] = spec
  return out
}

export function diffConfig(running: Config, next: Config): ConfigDiff {
  const before = activeServers(running)
  const after = activeServers(next)
  const diff: ConfigDiff = { added: [], removed: [], renamed: {}, renamedChanged: {}, changed: [], warm: { added: [], removed: [] }, live: [], restartNeeded: [] }
  for (const name of Object.keys(after).sort()) {
    const old = before[name]
    if (!old) diff.added.push(name)
    else {
      const fields = changedKeys(old as Record<string, unknown>, after[name] as Record<string, unknown>)
      if (fields.length) diff.changed.push({ name, fields })
    }
  }
  for (const name of Object.keys(before).sort()) if (!(name in after)) diff.removed.push(name)
  // a rename: the same definition under a new name (each added name taken once); then the same
  // program (command and args, or url) under a new name with other keys edited in the same save
  // (env, a timeout): it restarts either way, but a call of an old name is told the new one rather
  // than "removed" (the model holds the old names). Only a pair that nothing else matches.
  const free = new Set(diff.added)
  for (const name of diff.removed) {
    const to = [...free].find((a) => same(before[name], after[a]))
    if (to === undefined) continue
    diff.renamed[name] = to
    free.delete(to)
  }
  const left = () => diff.removed.filter((r) => !(r in diff.renamed))
  for (const name of left()) {
    const to = [...free].filter((a) => same(program(before[name]!), program(after[a]!)))
    if (to.length !== 1 || left().filter((r) => same(program(before[r]!), program(after[to[0]!]!))).length !== 1) continue
    diff.renamed[name] = to[0]!
    diff.renamedChanged[name] = changedKeys(before[name] as Record<string, unknown>, after[to[0]!] as Record<string, unknown>)
    free.delete(to[0]!)
  }
  const wasWarm = new Set(running.warm)
  const isWarm = new Set(next.warm)
  diff.warm.added = next.warm.filter((w) => !wasWarm.has(w))
  diff.warm.removed = running.warm.filter((w) => !isWarm.has(w))

  const sections = new Set([...Object.keys(running), ...Object.keys(next)])
  for (const section of [...sections].sort()) {
    if (section === "servers" || section === "mcpServers" || section === "warm") continue
    const a = (running as Record<string, unknown>)[section]
    const b = (next as Record<string, unknown>)[section]
    if (same(a, b)) continue
    const keys = isRecord(a) && isRecord(b) ? changedKeys(a, b).map((k) => `${section}.${k}`) : [section]
    for (const k of keys) (liveKey(k) !== undefined ? diff.live : diff.restartNeeded).push(k)
  }
  return diff
}

export function isEmptyDiff(d: ConfigDiff): boolean {
  return !d.added.length && !d.removed.length && !d.changed.length && !d.warm.added.length && !d.warm.removed.length && !d.live.length && !d.restartNeeded.length
}

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((k) => !same(a[k], b[k])).sort()
}

/** What a server runs: its command and args, or its url. */
function program(spec: ServerSpec): unknown {
  const s = spec as Record<string, unknown>
  return typeof s.url === "string" ? { url: s.url } : { command: s.command, args: s.args }
}

/** Key order in the file is not a change. */
function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}
