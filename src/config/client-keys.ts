/**
 * @module config/client-keys
 * Keys other MCP clients write in a server entry that this config has no key of its own for. A
 * pasted Cline, Roo Code, Windsurf or Gemini CLI entry loads (before, each such key left the
 * whole entry out, losing the server for a key that changes nothing here):
 * - approval lists and switches (`autoApprove`, `alwaysAllow`, `trust`) are not used, with a
 *   warning: approving calls is the client's job (Cursor asks, or auto-runs, per tool), so leaving
 *   them out never runs anything without asking that would have asked;
 * - Windsurf's `serverUrl` and Gemini CLI's `httpUrl` are read as `url` (an entry with a `url` or
 *   `command` of its own keeps them as unknown keys: which one is meant is not known);
 * - tool lists (`disabledTools`, `excludeTools`: hide; `includeTools`: keep only) are read as this
 *   entry's `tools` filter (`deny` / `allow`), with a warning naming what they became: a list meant
 *   to hide tools is never dropped (that would show them). One that cannot be so read (not a list of
 *   names, or `includeTools` beside a `tools.allow` of its own) stays an unknown key, and the entry
 *   is left out as before, naming it and what to write instead.
 */
import { lookupTable } from "../core/index.ts"

const APPROVAL = "approving tool calls is the client's job (Cursor asks, or auto-runs, per tool): remove it; to hide tools write `tools: { deny: [...] }`"

type Kind = "approval" | "deny" | "allow"

/** Lower-cased key → [the clients that write it, what it means here, how it is read]. */
const CLIENT_KEYS: Readonly<Record<string, readonly [string, string, Kind]>> = lookupTable({
  autoapprove: ["Cline's and Roo Code's list of tools run without asking", APPROVAL, "approval"],
  alwaysallow: ["Roo Code's and Cline's list of tools run without asking", APPROVAL, "approval"],
  trust: ["Gemini CLI's switch that skips call confirmations", APPROVAL, "approval"],
  disabledtools: ["a list of tools to hide", "write `tools: { deny: [...] }` with those tool names (`disabled: true` would turn the whole server off)", "deny"],
  excludetools: ["Gemini CLI's list of tools to hide", "write `tools: { deny: [...] }` with those tool names", "deny"],
  includetools: ["Gemini CLI's list of tools to keep", "write `tools: { allow: [...] }` with those tool names", "allow"],
})

/** Lower-cased key → the client that writes it for `url` (read as `url` in an entry with neither `url` nor `command`). */
const URL_KEYS: Readonly<Record<string, string>> = lookupTable({
  serverurl: "Windsurf's name for `url`",
  httpurl: "Gemini CLI's name for a Streamable HTTP `url`",
})

/** What an unknown server-entry key from another client means, and what to write instead; undefined for others. */
export function clientKeyHint(key: string): string | undefined {
  const k = CLIENT_KEYS[key.toLowerCase()]
  return k ? `unknown key (${k[0]}); ${k[1]}` : undefined
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/**
 * Reads the other clients' keys of one server entry (`entry`, changed in place) as described above;
 * returns a warning per key read, worded with `at` (the entry's key path) and `sourceOf` (its file:line).
 */
export function adoptClientKeys(entry: Record<string, unknown>, at: string, sourceOf: (key: string) => string): string[] {
  const warnings: string[] = []
  for (const key of Object.keys(entry)) {
    const urlKey = URL_KEYS[key.toLowerCase()]
    if (urlKey !== undefined) {
      if (typeof entry[key] !== "string" || entry.url !== undefined || entry.command !== undefined) continue
      entry.url = entry[key]
      delete entry[key]
      warnings.push(`${at}.${key} (${sourceOf(key)}): ${urlKey}: read as \`url\`; write it so to silence this`)
      continue
    }
    const known = CLIENT_KEYS[key.toLowerCase()]
    if (!known) continue
    const [what, , kind] = known
    const value = entry[key]
    const where = `${at}.${key} (${sourceOf(key)})`
    if (kind === "approval") {
      delete entry[key]
      warnings.push(`${where}: ${what}: not used; ${APPROVAL}`)
      continue
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) continue
    if (entry.tools !== undefined && !isPlainObject(entry.tools)) continue
    const tools = { ...((entry.tools as Record<string, unknown> | undefined) ?? {}) }
    const prior = tools[kind]
    if (prior !== undefined && (kind === "allow" || !Array.isArray(prior))) continue
    delete entry[key]
    // Gemini CLI's empty includeTools keeps every tool: no filter (an empty allow would hide them all)
    if (kind === "allow" && value.length === 0) {
      warnings.push(`${where}: empty: not used (every tool is kept)`)
      continue
    }
    tools[kind] = [...((prior as unknown[] | undefined) ?? []), ...value]
    entry.tools = tools
    warnings.push(`${where}: ${what}: read as \`tools.${kind}\` (${JSON.stringify(value)}); write it so to silence this`)
  }
  return warnings
}
