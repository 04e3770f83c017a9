/**
 * @module proxy/masked-uri
 * A name or URI a server listed that holds a configured secret (`https://api.example/data?apikey=<key>`,
 * a file, a tool or a prompt named after a token) is listed to the client masked
 * (`…?apikey=[REDACTED]`, list answers are redacted at the face). What the client sends back with
 * that masked text means the thing listed so: a read, a subscribe or unsubscribe, a completion of a
 * resource (or template) reference, a tool call, a prompt get, a read of a URI the client expanded
 * from a masked template. Each goes to its server as the server listed it, or the server got
 * `[REDACTED]` in place of its own key and could not find it. Answers and notifications are
 * redacted on their way out as every answer is, so the client never sees the value; a masked text
 * that stands for several listed ones (two keys) is sent as it came.
 */
import { REDACTED, redactValuesChecked } from "../core/index.ts"

/** The listed name or URI that `masked`, as the client got it, stands for; `masked` itself when none or several do. */
export function unmasked(masked: string, listed: Iterable<string>): string {
  if (!masked.includes(REDACTED)) return masked
  let found: string | undefined
  for (const l of listed) {
    if (l === masked || l === found || redactValuesChecked(l) !== masked) continue
    if (found !== undefined) return masked
    found = l
  }
  return found ?? masked
}

/** What `map` holds under `name`, or, for a masked `name`, under the one listed key it stands for. */
export function listedEntry<V>(map: ReadonlyMap<string, V>, name: string): V | undefined {
  return map.get(name) ?? map.get(unmasked(name, map.keys()))
}

/** A template's literal parts (even indexes) and expressions (odd). */
const EXPRESSION = /(\{[^{}]*\})/

/**
 * The URI a client expanded from a masked template (`https://api.example/{path}?apikey=[REDACTED]`
 * → `https://api.example/rows?apikey=[REDACTED]`) with the template's own literal text put back
 * (`…?apikey=<key>`), the values the client filled in kept as they came; `uri` itself when no
 * masked template, or several, match it.
 */
export function unmaskedFromTemplate(uri: string, templates: Iterable<string>): string {
  if (!uri.includes(REDACTED)) return uri
  let found: string | undefined
  for (const t of templates) {
    const parts = t.split(EXPRESSION)
    const masked = parts.map((p, i) => (i % 2 === 0 ? redactValuesChecked(p) : p))
    if (masked.every((p, i) => p === parts[i])) continue
    const re = new RegExp(`^${masked.map((p, i) => (i % 2 === 0 ? escapeRegExp(p) : "(.*?)")).join("")}$`, "s")
    const m = re.exec(uri)
    if (!m) continue
    let k = 1
    const real = parts.map((p, i) => (i % 2 === 0 ? p : m[k++]!)).join("")
    if (found !== undefined && found !== real) return uri
    found = real
  }
  return found ?? uri
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
}
