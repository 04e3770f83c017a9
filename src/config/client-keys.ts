/**
 * @module config/client-keys
 * Keys other MCP clients write in a server entry that this config has no key for, each with what to
 * write instead: a pasted Cline, Roo Code or Gemini CLI entry was refused with a "did you mean" that
 * pointed elsewhere (`disabledTools`: did you mean "disabled"?, which would turn the whole server off).
 */

const APPROVAL = "approving tool calls is the client's job (Cursor asks, or auto-runs, per tool): remove it; to hide tools write `tools: { deny: [...] }`"

/** Lower-cased key → [the clients that write it, what it means here]. */
const CLIENT_KEYS: Readonly<Record<string, readonly [string, string]>> = {
  autoapprove: ["Cline's and Roo Code's list of tools run without asking", APPROVAL],
  alwaysallow: ["Roo Code's and Cline's list of tools run without asking", APPROVAL],
  trust: ["Gemini CLI's switch that skips call confirmations", APPROVAL],
  disabledtools: ["a list of tools to hide", "write `tools: { deny: [...] }` with those tool names (`disabled: true` would turn the whole server off)"],
  excludetools: ["Gemini CLI's list of tools to hide", "write `tools: { deny: [...] }` with those tool names"],
  includetools: ["Gemini CLI's list of tools to keep", "write `tools: { allow: [...] }` with those tool names"],
}

/** What an unknown server-entry key from another client means, and what to write instead; undefined for others. */
export function clientKeyHint(key: string): string | undefined {
  const k = CLIENT_KEYS[key.toLowerCase()]
  return k ? `unknown key (${k[0]}); ${k[1]}` : undefined
}
