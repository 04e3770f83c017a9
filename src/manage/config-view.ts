/**
 * @module manage/config-view
 * config_get without a server: every server's configuration, one block per server, so the model
 * reads which value belongs to which server (the CLI's `--get-all` is one flat map of
 * `server.key.sub` keys, legacy `config read` one YAML document). Values masked as config_get masks
 * them (`maskConfig`), nested maps written as dotted keys in both eras, each value cut on one line.
 */
import { cutText, isRecord, REDACTED } from "../core/index.ts"
import { maskConfig, type HiddenWhy } from "./config-mask.ts"

/** Characters of one value in the all-servers text (structuredContent keeps the whole masked value). */
export const MAX_VIEW_VALUE = 300

export interface AllConfigView {
  text: string
  servers: Record<string, Record<string, unknown>>
  /** `server.key` whose value (or part of it) is hidden. */
  hidden: string[]
}

/**
 * One shape for a server's configuration in both eras: the profiles-era `--get-all` is a flat map
 * of dotted keys (`opts.a`), the legacy `config read` nested maps (`opts: {a: …}`), and config_set
 * of a dotted key nests in both. So dotted keys become nested maps; a key whose path runs into a
 * value that is no map (`opts: "x"` beside `opts.a`) stays as it is. Keys are put in name order.
 */
export function nestDotted(config: Record<string, unknown>): Record<string, unknown> {
  return sortKeys(nest(config)) as Record<string, unknown>
}

/** Keys in name order at every level: the profiles-era CLI prints Go maps sorted, the legacy YAML in file order. */
function sortKeys(v: unknown, depth = 0): unknown {
  if (!isRecord(v) || depth > 32) return v
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k], depth + 1)]))
}

function nest(config: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(config).some((k) => k.includes("."))) return config
  const out: Record<string, unknown> = {}
  const literal: Array<[string, unknown]> = []
  for (const [k, v] of Object.entries(config).sort(([a], [b]) => a.split(".").length - b.split(".").length)) {
    const parts = k.split(".")
    if (parts.some((p) => p === "")) {
      literal.push([k, v])
      continue
    }
    let at: Record<string, unknown> = out
    let ok = true
    for (const p of parts.slice(0, -1)) {
      const next = Object.hasOwn(at, p) ? at[p] : (at[p] = {})
      if (!isRecord(next)) {
        ok = false
        break
      }
      at = next
    }
    const last = parts[parts.length - 1] as string
    if (ok && !Object.hasOwn(at, last)) at[last] = v
    else literal.push([k, v])
  }
  for (const [k, v] of literal) if (!Object.hasOwn(out, k)) out[k] = v
  return out
}

/** `{auth: {user: x}}` → `[["auth.user", x]]`; an empty map stays one entry (it is set). */
export function flatten(prefix: string, v: unknown, out: Array<[string, unknown]>, depth = 0): void {
  if (isRecord(v) && Object.keys(v).length > 0 && depth < 16) {
    for (const [k, x] of Object.entries(v)) flatten(`${prefix}.${k}`, x, out, depth + 1)
    return
  }
  out.push([prefix, v])
}

function valueText(v: unknown): string {
  if (v === REDACTED) return REDACTED
  const json = JSON.stringify(v) ?? String(v)
  return json.length > MAX_VIEW_VALUE ? `${cutText(json, MAX_VIEW_VALUE)}… (cut; ${json.length} characters)` : json
}

export function allConfigView(all: Record<string, Record<string, unknown>>): AllConfigView {
  const servers: Record<string, Record<string, unknown>> = {}
  const hidden: string[] = []
  const blocks: string[] = []
  const names = Object.keys(all).sort((a, b) => a.localeCompare(b))
  for (const name of names) {
    const { config, hidden: h } = maskConfig(nestDotted(all[name] ?? {}))
    servers[name] = config
    const why = new Map<string, HiddenWhy>(h.map((x) => [x.key, x.why]))
    for (const x of h) hidden.push(`${name}.${x.key}`)
    const lines: string[] = []
    for (const [k, v] of Object.entries(config)) {
      const flat: Array<[string, unknown]> = []
      flatten(k, v, flat)
      const w = why.get(k)
      for (const [fk, fv] of flat) lines.push(`  ${fk} = ${valueText(fv)}${fv === REDACTED ? ` (${w ?? "secret-looking key"})` : w === "credential in a URL" && typeof fv === "string" && fv.includes(REDACTED) ? " (credential in a URL hidden)" : ""}`)
    }
    blocks.push(lines.length ? `${name} (${lines.length} ${lines.length === 1 ? "value" : "values"}):\n${lines.join("\n")}` : `${name}: no configuration set`)
  }
  const head = names.length === 0 ? "No configuration set for any server." : `Configuration of ${names.length} ${names.length === 1 ? "server" : "servers"}, one block each (key = value as JSON):`
  return { text: [head, ...blocks].join("\n"), servers, hidden }
}
