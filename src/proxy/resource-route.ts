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
 */

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
