/**
 * @module docker/parsers/bad-name
 * Why a name the CLI printed cannot be used as one. The runner decodes output as UTF-8, so bytes
 * that are no UTF-8 (a name written in another encoding) arrive as U+FFFD: such a name is listed
 * as something the model can name, and `server_enable` / `config_set` then refuse it. Said in the
 * partial-read note, where the entry is listed (or left out).
 */

/** U+FFFD, what the UTF-8 decoder puts for each byte sequence that is no UTF-8. */
export const REPLACEMENT = "\uFFFD"

/** A short reason why `name` is no valid Toolkit name (for the left-out note). */
export function badNameWhy(name: string): string {
  if (name.includes(REPLACEMENT)) return "its name is not valid UTF-8 as the CLI printed it (shown with U+FFFD); no command takes it"
  return "not a valid server name (1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit)"
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/** The `name` (a profile's `id` too) of each entry of `list` that holds U+FFFD, with what it is. */
function inList(list: unknown, what: string, out: string[]): void {
  if (!Array.isArray(list)) return
  for (const e of list) {
    if (!isObj(e)) continue
    for (const field of ["name", "id"]) {
      const v = e[field]
      if (typeof v === "string" && v.includes(REPLACEMENT)) {
        out.push(`${what} ${JSON.stringify(v.slice(0, 64))}: ${badNameWhy(v)} (listed as printed)`)
        break
      }
    }
  }
}

/**
 * Notes for the entries of a parsed value (the normalized shape of `kind`) whose names hold
 * U+FFFD: kept, since the entry is there (an enabled server, a stored secret), but said, so a
 * listing that holds one is not taken for names the model can use.
 */
export function garbledNames(kind: string, value: unknown): string[] {
  const out: string[] = []
  switch (kind) {
    case "servers":
    case "tools":
    case "secrets":
    case "catalogs":
      inList(value, kind === "tools" ? "tool" : kind === "secrets" ? "secret" : kind === "catalogs" ? "catalog" : "server", out)
      break
    case "profiles":
      inList(value, "profile", out)
      if (Array.isArray(value)) for (const p of value) if (isObj(p)) inList(p.servers, "server", out)
      break
    case "profile":
    case "catalog":
      if (isObj(value)) inList(value.servers, "server", out)
      break
    case "inspect":
      if (isObj(value)) inList(value.tools, "tool", out)
      break
    case "config":
      if (isObj(value))
        for (const [server, keys] of Object.entries(value)) {
          if (server.includes(REPLACEMENT)) out.push(`config of server ${JSON.stringify(server.slice(0, 64))}: ${badNameWhy(server)} (listed as printed)`)
          else if (isObj(keys)) for (const k of Object.keys(keys)) if (k.includes(REPLACEMENT)) out.push(`config key ${JSON.stringify(`${server}.${k}`.slice(0, 64))}: not valid UTF-8 as the CLI printed it (shown with U+FFFD); config_set cannot name it (listed as printed)`)
        }
      break
  }
  return out
}
