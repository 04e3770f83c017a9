/**
 * @module config/bare-vars
 * A shell's `$NAME` (no braces) in a server entry is not a variable here: only `${NAME}` /
 * `${env:NAME}` are (config/interpolate, as in Cursor's mcp.json), so `"API_KEY": "$GITHUB_TOKEN"`
 * pasted from a shell snippet reaches the server as the text `$GITHUB_TOKEN`. The value stays as
 * written (a `$` may be data), and each such reference is a config warning naming the key, its
 * source and the form to write. Taken for a reference: `$` then a name, at the start of the value
 * or after a character that is not a letter, digit, `_` or `$`, where the name is set in the
 * environment or is written in capitals (`$HOME`, `$GITHUB_TOKEN`, `Bearer $API_KEY`). Not: `$$`
 * (`pa$$word`), `$1`, a lone `$`, `$${…}`, a `$` inside a word (`pa$word`), a lower-case name not set.
 * opencode's `{env:NAME}` (braces, no `$`) is the same mistake: the text `{env:NAME}` reaches the
 * server; it is warned about with the form to write (`${env:NAME}`).
 */

const BARE = /(?<![A-Za-z0-9_$])\$([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_{])/g

/** The names of the `$NAME` references in `text` that surely mean a variable, each once. */
export function bareVarNames(text: string, env: Record<string, string | undefined>): string[] {
  if (!text.includes("$")) return []
  const out = new Set<string>()
  for (const m of text.matchAll(BARE)) {
    const name = m[1]!
    if (env[name] !== undefined || /^[A-Z][A-Z0-9_]*$/.test(name)) out.add(name)
  }
  return [...out]
}

/**
 * The warning for `$NAME` at `where` ("servers.a.env.API_KEY (file:3)"). `$NAME` itself is not
 * quoted: under a secret key (`API_KEY`) the text as written is registered as a secret, and would
 * be redacted out of the message.
 */
export function bareVarWarning(where: string, name: string): string {
  return `${where}: ${name} after a bare $ is taken as written, not as the variable (only \${…} forms are resolved, as in Cursor); write \${${name}} (or \${env:${name}}) for the variable's value`
}

/** opencode's `{env:NAME}` (no `$` before it): a variable there, text here. */
const BRACE_ENV = /(?<!\$)\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g

/** The names of the `{env:NAME}` references in `text`, each once. */
export function braceEnvNames(text: string): string[] {
  if (!text.includes("{env:")) return []
  return [...new Set([...text.matchAll(BRACE_ENV)].map((m) => m[1]!))]
}

/** The warning for `{env:NAME}` at `where` (the value itself is not quoted, as for bareVarWarning). */
export function braceEnvWarning(where: string, name: string): string {
  return `${where}: {env:${name}} (opencode's form, no $) is taken as written, not as the variable; write \${env:${name}} (or \${${name}}) for the variable's value`
}
