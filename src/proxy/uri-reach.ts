/**
 * @module proxy/uri-reach
 * Whether a server's stored resource lists could hold a URI they do not list: before a read of a
 * URI no list holds starts the servers known only from the store (one may have added it since),
 * those whose lists could not hold it are left alone. A listed resource reaches the URIs of its
 * origin (scheme and authority: `mem://a/note` reaches `mem://a/…`, not `mem://b/…` nor `zzz://…`;
 * a URI without an authority, `urn:…`, by its scheme); a template, those of its origin, or, when
 * an expression comes before its origin ends (`mem://{name}/…`, `{+uri}`), those starting with its
 * literal lead. Lists that hold nothing tell nothing of a server's URIs: such a server may be the one
 * meant only when no other's lists reach the URI and it is the only one (as proxy/resource-route
 * never guesses between several). Before, every such server was started for any URI (a typo in a
 * URI started them all and the read waited for their listings).
 */

/** A URI's origin: `scheme:` and, when it has one, `//authority` (lower-case; it ends at an expression's `{` too). */
interface Origin {
  text: string
  authority: boolean
}

function originOf(uri: string): Origin | undefined {
  const m = /^[a-z][a-z0-9+.-]*:(\/\/[^/?#{]*)?/i.exec(uri)
  return m ? { text: m[0].toLowerCase(), authority: m[1] !== undefined } : undefined
}

/** `uri` is of `origin`: the same scheme and authority (or the same scheme, for an origin without one). */
function within(uri: string, origin: Origin): boolean {
  const o = originOf(uri)
  if (o === undefined) return false
  return origin.authority ? o.text === origin.text : o.text.startsWith(origin.text)
}

function templateReaches(template: string, uri: string): boolean {
  const brace = template.indexOf("{")
  const o = originOf(template)
  // no expression before its origin ends: that origin is fixed
  if (o !== undefined && (brace < 0 || brace > o.text.length)) return within(uri, o)
  // an expression inside (or before) the origin: only its literal lead is
  return uri.toLowerCase().startsWith(template.slice(0, Math.max(0, brace)).toLowerCase())
}

/** Could a server whose stored lists are `resources` and `templates` serve `uri` (see the module)? */
export function mayHoldUri(uri: string, resources: readonly unknown[] | undefined, templates: readonly unknown[] | undefined): boolean {
  for (const r of resources ?? []) {
    const u = (r as { uri?: unknown } | null)?.uri
    const o = typeof u === "string" ? originOf(u) : undefined
    if (o && within(uri, o)) return true
  }
  for (const t of templates ?? []) {
    const u = (t as { uriTemplate?: unknown } | null)?.uriTemplate
    if (typeof u === "string" && templateReaches(u, uri)) return true
  }
  return false
}

interface StoredResourceLists {
  resources?: readonly unknown[] | undefined
  templates?: readonly unknown[] | undefined
}

/**
 * Of `servers` (those whose resource lists only the store gave), the ones `uri` may be served by:
 * those whose lists reach it; when none does, the one whose lists hold nothing, if it is the only such.
 */
export function serversThatMayHold<T extends StoredResourceLists>(uri: string, servers: readonly T[]): T[] {
  const reach = servers.filter((s) => mayHoldUri(uri, s.resources, s.templates))
  if (reach.length > 0) return reach
  const blank = servers.filter((s) => (s.resources?.length ?? 0) + (s.templates?.length ?? 0) === 0)
  return blank.length === 1 ? blank : []
}
