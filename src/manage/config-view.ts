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

/** `{auth: {user: x}}` → `[["auth.user", x]]`; an empty map stays one entry (it is set). */
function flatten(prefix: string, v: unknown, out: Array<[string, unknown]>, depth = 0): void {
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
    const { config, hidden: h } = maskConfig(all[name] ?? {})
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
