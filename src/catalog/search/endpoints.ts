/**
 * @module catalog/search/endpoints
 * A request written as an HTTP call of a REST API ("GET /repos/{owner}/{repo}/pulls", "POST
 * /v1/refunds", "PUT /projects/:id/merge_requests/:iid/merge") says in words what it asks: the
 * method is the verb (GET of a collection lists it, GET of one item gets it, POST creates, PUT and
 * PATCH update, DELETE deletes, and a last segment that is no collection after an item is the
 * action itself: `…/merge` merges), the last collection is the thing, and the collections before it
 * are where it is. Placeholders (`{owner}`, `:id`, `<id>`), ids (`42`, `abc123`), versions (`v1`,
 * `2.0`), `api` and the names of a place (`acme`, `web`: a word after a collection that is no
 * collection itself) are arguments, not what is asked; the query string's names are filters. As
 * its path, the request would say "a file path" and its argument names would be its words.
 */

/** A method in capitals as API references write it ("delete /tmp/x.txt" is a file's path), then a path or URL. */
const METHOD = /^\s*(GET|POST|PUT|PATCH|DELETE)\s+(?:https?:\/\/[^/\s]+)?(\/[^\s?#]*)(?:\?\S*)?\s*(.*)$/

/** A segment that is an argument: a placeholder, a number, a word with digits, a version, `api`. */
function isArgument(seg: string): boolean {
  return /^(?:\{[^}]*\}|:\w+|<[^>]*>|\$\w+)$/.test(seg) || /\d/.test(seg) || /^(?:api|rest)$/i.test(seg) || !/[a-z]/i.test(seg)
}

/** A segment naming a collection: a plural word ("pulls", "merge_requests", "pullrequests", "repositories"). */
function isCollection(seg: string): boolean {
  return /[a-z]s$/i.test(seg) && !/ss$/i.test(seg)
}

/** The words of one segment ("merge_requests" → "merge requests"). */
const words = (seg: string): string => seg.replace(/[_-]+/g, " ").trim()

/**
 * The request in words when it opens with an HTTP method and a path ("list pulls in repos" for
 * "GET /repos/{owner}/{repo}/pulls"), with what follows the call kept; any other request as it is.
 */
export function endpointAsWords(query: string): string {
  const m = METHOD.exec(query)
  if (!m) return query
  const method = m[1]!
  const segs = m[2]!.split("/").filter(Boolean)
  const tail = m[3] ?? ""
  // each segment: an argument, a collection, or (after an item) an action; a word after a
  // collection that is no collection is that collection's item, named
  const kinds = segs.map((s, i): "arg" | "collection" | "action" => {
    if (isArgument(s)) return "arg"
    if (isCollection(s)) return "collection"
    return i === segs.length - 1 && i > 0 && kindOfPrev(segs, i) === "arg" ? "action" : "arg"
  })
  const last = kinds.length - 1
  const collections = segs.filter((_, i) => kinds[i] === "collection")
  const thing = collections.at(-1)
  // (no collection: a file's path after the word, "GET /etc/hosts", not an API's)
  if (!thing) return query
  const action = kinds[last] === "action" ? segs[last]! : undefined
  const verb = action
    ? words(action)
    : method === "GET" ? (kinds[last] === "collection" ? "list" : "get")
    : method === "POST" ? "create"
    : method === "DELETE" ? "delete"
    : "update"
  const where = collections.slice(0, -1).map(words)
  // (one item, the thing in the singular: "get merge request", not "get merge requests")
  const named = thing ? words(verb === "list" ? thing : singular(thing)) : ""
  const said = [verb, named, where.length ? `in ${where.join(" ")}` : ""].filter(Boolean).join(" ")
  return `${said}${tail ? ` ${tail}` : ""}`
}

/** A collection's word for one of its items ("merge_requests" → "merge_request", "repositories" → "repository"). */
function singular(seg: string): string {
  return seg.replace(/ies$/i, "y").replace(/(?<=(?:ss|sh|ch|x))es$/i, "").replace(/(?<!s)s$/i, "")
}

/** What segment `i - 1` is, by the same reading (a segment after an argument can be an action). */
function kindOfPrev(segs: readonly string[], i: number): "arg" | "collection" {
  const prev = segs[i - 1]!
  return isArgument(prev) ? "arg" : isCollection(prev) ? "collection" : "arg"
}
