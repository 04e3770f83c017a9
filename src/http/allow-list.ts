/**
 * @module http/allow-list
 * `http.allowedHosts` and `http.allowedOrigins` as compared with the Host and Origin headers. Entries
 * and header values are normalized the same way: an origin is `scheme://host[:port]`, lowercased,
 * its default port (http 80, https 443) and a trailing slash dropped; a host entry with port 80 or
 * 443 also accepts a Host header without a port (the default port of a TLS proxy in front, or plain
 * http). (A JSON array in the environment variables is read as its entries by config/env.) Entries that
 * can never match what a client sends (a path, a scheme on a host, no scheme on an origin, a
 * wildcard) are reported with their key for a warning at start; an exact match of the raw value
 * still counts, so nothing that matched before stops matching.
 */
export interface AllowList {
  /** Normalized values (origins) or `name` / `name:port` (hosts), lowercased; plus each entry as written. */
  readonly values: ReadonlySet<string>
  /** What to warn about at start: entries that cannot match (why, and what to write instead). */
  readonly problems: readonly AllowListProblem[]
}

export interface AllowListProblem {
  /** The setting, e.g. `http.allowedOrigins`. */
  key: string
  /** The entry as configured. */
  entry: string
  /** What is wrong and what to write instead. */
  why: string
}

const DEFAULT_PORTS = ["80", "443"]

/** Splits a Host header value into name and port ("[::1]:80" → "[::1]", "80"). */
export function splitHost(host: string): { name: string; port?: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim())
  if (!m) return { name: host }
  return m[2] ? { name: m[1]!, port: m[2] } : { name: m[1]! }
}

/** `scheme://host[:port]` of an Origin header value or entry, lowercased without default port or trailing slash; undefined when it is no origin. */
export function normalizeOrigin(value: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\s@]+)\/?$/.exec(value.trim())
  if (!m) return undefined
  const scheme = m[1]!.toLowerCase()
  if (scheme === "http" || scheme === "https") {
    try {
      const u = new URL(`${scheme}://${m[2]}`)
      return u.origin === "null" ? undefined : u.origin
    } catch {
      return undefined
    }
  }
  // other schemes (chrome-extension://<id>, tauri://localhost…): compared as written, lowercased
  return `${scheme}://${m[2]!.toLowerCase()}`
}

/** Why an `allowedOrigins` entry can never equal an Origin header, with what to write instead. */
function originProblem(entry: string): string {
  const v = entry.trim()
  if (v === "") return "an empty entry"
  if (v.includes("*")) return "wildcards are not supported; list each origin (scheme://host[:port])"
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\s]+)(.*)$/.exec(v)
  if (!url) return `an Origin is scheme://host[:port], e.g. "https://${v.replace(/\/.*$/, "")}"`
  if (url[2]!.includes("@")) return `an Origin has no user name or password: use "${url[1]}://${url[2]!.slice(url[2]!.lastIndexOf("@") + 1)}"`
  if (url[3] === "" || url[3] === "/") return "not a valid host or port"
  return `an Origin has no path, query or fragment: use "${url[1]}://${url[2]}"`
}

/** The `allowedOrigins` list, normalized; `key` names it in the problems. */
export function originAllowList(entries: readonly string[], key = "http.allowedOrigins"): AllowList {
  const problems: AllowListProblem[] = []
  const values = new Set<string>()
  for (const entry of entries) {
    values.add(entry.trim()) // as written: an exact match still counts (`null` for `Origin: null`, as always)
    const n = entry.includes("*") ? undefined : normalizeOrigin(entry) // a URL parser takes `*` as a host character
    if (n !== undefined) values.add(n)
    // `null` (a sandboxed or file page) and a bare `scheme://` (`file://`, as some webviews send it)
    // are matched as written
    else if (entry.trim() !== "null" && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\/$/.test(entry.trim())) problems.push({ key, entry, why: originProblem(entry) })
  }
  return { values, problems }
}

/** Origin header accepted by the list (normalized both sides). */
export function originListed(origin: string, list: AllowList): boolean {
  if (list.values.size === 0) return false
  return list.values.has(normalizeOrigin(origin) ?? origin.trim())
}

/** A host entry as compared: `name` or `name:port`, lowercased, an IPv6 address in brackets; undefined when it cannot be one. */
function normalizeHostEntry(entry: string): string | undefined {
  let v = entry.trim().toLowerCase()
  if (v === "" || /[\s/*@?#]/.test(v)) return undefined
  if (!v.startsWith("[") && (v.match(/:/g)?.length ?? 0) >= 2) v = `[${v}]` // a bare IPv6 address
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(v)
  if (!m) return undefined
  return m[2] !== undefined ? `${m[1]}:${Number(m[2])}` : m[1]
}

/** Why an `allowedHosts` entry can never equal a Host header, with what to write instead. */
function hostProblem(entry: string): string {
  const v = entry.trim()
  if (v === "") return "an empty entry"
  if (v.includes("*")) return "wildcards are not supported; list each host name"
  const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\s]+)/.exec(v)
  if (url) return `a Host is name[:port], without scheme or path: use "${url[1]!.replace(/^.*@/, "")}"`
  if (v.includes("/")) return `a Host is name[:port], without a path: use "${v.slice(0, v.indexOf("/"))}"`
  return "a Host is name[:port] (port 0-65535; an IPv6 address in brackets)"
}

/** The `allowedHosts` list, normalized; `key` names it in the problems. */
export function hostAllowList(entries: readonly string[], key = "http.allowedHosts"): AllowList {
  const problems: AllowListProblem[] = []
  const values = new Set<string>()
  for (const entry of entries) {
    values.add(entry.trim().toLowerCase()) // as written: an exact match still counts
    const n = normalizeHostEntry(entry)
    if (n !== undefined) values.add(n)
    else problems.push({ key, entry, why: hostProblem(entry) })
  }
  return { values, problems }
}

/**
 * Host header accepted by the list: its name listed without a port, or name and port listed; a
 * Host without a port also matches `name:80` and `name:443` (the default port of the URL's scheme,
 * which a TLS proxy in front leaves out).
 */
export function hostListed(host: string, list: AllowList): boolean {
  if (list.values.size === 0) return false
  const h = host.trim().toLowerCase()
  const { name, port } = splitHost(h)
  if (list.values.has(h) || list.values.has(name)) return true
  if (port !== undefined) return list.values.has(`${name}:${Number(port)}`)
  for (const p of DEFAULT_PORTS) if (list.values.has(`${name}:${p}`)) return true
  return false
}
