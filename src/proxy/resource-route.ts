/**
 * @module proxy/resource-route
 * Where a URI goes that no server lists and no listed template matches (`resources/read`,
 * `resources/subscribe`, `completion/complete` of a resource): to a server only when exactly one
 * can be meant, never by a guess between several (a URI sent to the wrong server may mean
 * something else there).
 * - A server whose resource lists are not both held (its listing failed, as far as it went, or has
 *   not finished) may serve it without our knowing: when it is the only such server, and it
 *   declares resources, the URI goes to it — also when another server lists resources, as that
 *   one's lists are complete and do not hold the URI. When there are several (or one whose
 *   capabilities are not known yet), none is meant: they are named for the error.
 * - When every server's lists are held, the one server that lists any resources or templates gets
 *   it (a server serving URIs it does not list), if there is only one.
 * And where a URI goes that servers list or whose templates match (`routeResource`): the lister,
 * else the most specific whole-template match; servers contending for it are named, none chosen.
 */

import { MATCH_BUDGET, templateMatcher, type MatchBudget, type TemplateMatcher } from "./template-match.ts"

export interface ResourceHolder {
  server: string
  resources?: readonly unknown[]
  templates?: readonly unknown[]
  /** It declares the resources capability (undefined: not known, it has not connected). */
  declares: boolean | undefined
}

export interface UnlistedRoute {
  /** The server the URI goes to, if one is meant. */
  server?: string
  /** The servers whose resource lists are not known and that may serve resources (for the error). */
  unknown: string[]
}

export function unlistedResourceRoute(holders: readonly ResourceHolder[]): UnlistedRoute {
  const unknown = holders.filter((h) => (h.resources === undefined || h.templates === undefined) && h.declares !== false)
  if (unknown.length > 0) {
    const only = unknown.length === 1 && unknown[0]!.declares === true ? unknown[0]!.server : undefined
    return { ...(only !== undefined ? { server: only } : {}), unknown: unknown.map((h) => h.server) }
  }
  const serving = holders.filter((h) => (h.resources?.length ?? 0) + (h.templates?.length ?? 0) > 0)
  return serving.length === 1 ? { server: serving[0]!.server, unknown: [] } : { unknown: [] }
}

/**
 * A server's resource template as reads are routed by it: the whole template must match the URI
 * (RFC 6570 expressions, read leniently: a simple `{x}` takes no `/`, `?` or `#`; `{+x}` and `{#x}`
 * take anything), and among the templates that match, the one with the most literal characters is
 * the most specific (then one without `{+…}`/`{#…}` over one with). A template with no literal
 * character (`{+uri}`) claims nothing.
 */
export interface TemplateClaim {
  server: string
  template: string
  /** Literal characters of the template (outside `{…}`). */
  literal: number
  /** It has a `{+…}` or `{#…}` expression (takes any character). */
  reserved: boolean
  /** The literal text before its first expression. */
  lead: string
  /** Whether a URI matches the whole template (proxy/template-match: linear, never backtracking). */
  match: TemplateMatcher
}

const EXPRESSION = /\{([^{}]*)\}/g

export function templateClaim(server: string, template: string): TemplateClaim | undefined {
  let literal = 0
  let reserved = false
  let at = 0
  for (const m of template.matchAll(EXPRESSION)) {
    literal += m.index - at
    at = m.index + m[0].length
    const op = m[1]!.charAt(0)
    if (op === "+" || op === "#") reserved = true
  }
  literal += template.length - at
  if (literal === 0) return undefined
  const first = template.search(EXPRESSION)
  return { server, template, literal, reserved, lead: first < 0 ? template : template.slice(0, first), match: templateMatcher(template) }
}

/** A URI's scheme and authority (`https://api.example.com`, `demo://resource`, `mailto:`): whose namespace it is in. */
export function uriOrigin(uri: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[^/?#]*)?/.exec(uri)?.[0]
}

export type ResourceRoute = { server: string } | { ambiguous: string[]; why: string }

/**
 * Which server a URI goes to by the listed resources and templates, or which servers contend for
 * it: a URI one server lists goes to that server (two listing it: contended); else the most specific
 * matching template (two servers' templates equally specific: contended); a template whose literal
 * start does not fix the URI's scheme and authority (`https://{+rest}`, a catch-all) does not take a
 * URI in a namespace another server lists resources or templates in, nor one while the lists of
 * another server (`pending`) are not known. Undefined: none claims it.
 */
export function routeResource(
  uri: string,
  listed: ReadonlyMap<string, readonly string[]>,
  claims: readonly TemplateClaim[],
  origins: ReadonlyMap<string, ReadonlySet<string>>,
  pending: readonly string[] = [],
): ResourceRoute | undefined {
  const owners = listed.get(uri)
  if (owners !== undefined) return owners.length === 1 ? { server: owners[0]! } : { ambiguous: [...owners], why: `each lists ${uri}` }
  let best: TemplateClaim[] = []
  // one budget for all of them: a server listing thousands of costly templates costs one bound
  const budget: MatchBudget = { left: MATCH_BUDGET }
  for (const c of claims) {
    if (!c.match.test(uri, budget)) continue
    const top = best[0]
    const cmp = top === undefined ? 1 : c.literal - top.literal || (top.reserved ? 1 : 0) - (c.reserved ? 1 : 0)
    if (cmp > 0) best = [c]
    else if (cmp === 0) best.push(c)
  }
  if (best.length === 0) return undefined
  const servers = [...new Set(best.map((c) => c.server))]
  if (servers.length > 1) return { ambiguous: servers, why: `their templates ${best.map((c) => c.template).join(", ")} match it equally` }
  const origin = uriOrigin(uri)
  if (origin !== undefined && best.every((c) => !c.lead.startsWith(origin))) {
    const others = [...(origins.get(origin) ?? [])].filter((s) => s !== servers[0])
    if (others.length > 0) {
      return { ambiguous: [servers[0]!, ...others], why: `only the catch-all template ${best[0]!.template} of ${servers[0]} matches it, and ${others.join(", ")} serve${others.length === 1 ? "s" : ""} resources under ${origin}` }
    }
    // a server whose lists are not in yet may list it, or serve its namespace: a catch-all does not overtake it
    const unknown = pending.filter((s) => s !== servers[0])
    if (unknown.length > 0) {
      return { ambiguous: [servers[0]!, ...unknown], why: `only the catch-all template ${best[0]!.template} of ${servers[0]} matches it, and the resource lists of ${unknown.join(", ")} are not known — their listing failed or has not finished` }
    }
  }
  return { server: servers[0]! }
}
