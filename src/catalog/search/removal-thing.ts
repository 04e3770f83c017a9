/**
 * @module catalog/search/removal-thing
 * Which server a removal is about: "wipe all vectors where source = old_crawl" names vectors, a
 * thing only the vector store's tools say; Weights & Biases' `delete_run` shared "delete" with it
 * and outranked Qdrant's `delete_points`. With a removal asked, a delete tool whose server never
 * says the thing the verb acts on, when another delete tool's server says it, deletes another thing.
 */

/**
 * The delete tools (of `deleting`) whose server says none of `things` (the terms of the thing the
 * removal acts on) while another of them has a server saying one; empty when no server, or every
 * one, says it.
 */
export function deletesOtherThing(
  deleting: readonly string[],
  things: readonly string[],
  serverOf: (name: string) => string,
  serverSays: (server: string, term: string) => boolean,
): Set<string> {
  if (!things.length || deleting.length < 2) return new Set()
  const says = new Map<string, boolean>()
  for (const n of deleting) {
    const s = serverOf(n)
    if (!says.has(s)) says.set(s, things.some((t) => serverSays(s, t)))
  }
  if (![...says.values()].some(Boolean)) return new Set()
  return new Set(deleting.filter((n) => !says.get(serverOf(n))))
}
