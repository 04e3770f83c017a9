/**
 * @module proxy/list-parts
 * A server's lists other than its tools, each on its own: prompts (`prompts/list`), resources
 * (`resources/list`) and resource templates (`resources/templates/list`). One failing never blanks
 * another (proxy/fetch-list keeps the others it listed). What a server answers for a method it does
 * not really implement — a result without the list's field (`{}`, a hand-written server's
 * catch-all), "method not found", and for templates any error or no answer — is read as an empty
 * list while the server has listed none of that list (nothing is lost): noted as a repair in its
 * status (`repaired`, named by the method) and warned about, except templates' error or silence
 * (common, and not a fault). The same answer after the list held items is a failure: those items
 * stay. Tools are not handled here: a tools answer that is no list is always a failure (list-retry).
 */
import type { ItemIssue, ItemKind } from "../catalog/index.ts"
import { DownstreamError } from "../core/index.ts"
import { RpcError } from "../pool/index.ts"
import type { ListMethod } from "./fetch-list.ts"
import type { ServerLists } from "./surface.ts"

export interface ListPart {
  method: ListMethod
  /** Where the server's list is held. */
  key: "prompts" | "resources" | "templates"
  /** The kind of its items (catalog/validate). */
  item: ItemKind
  /** The result's field holding the list. */
  field: string
}

const PROMPTS: ListPart = { method: "prompts/list", key: "prompts", item: "prompt", field: "prompts" }
const RESOURCES: ListPart = { method: "resources/list", key: "resources", item: "resource", field: "resources" }
const TEMPLATES: ListPart = { method: "resources/templates/list", key: "templates", item: "template", field: "resourceTemplates" }

/** The lists of each kind other than tools. */
export const PARTS: Record<"prompts" | "resources", readonly ListPart[]> = { prompts: [PROMPTS], resources: [RESOURCES, TEMPLATES] }

/** A list that failed: what it held stays. */
export interface PartFailure {
  method: ListMethod
  failed: unknown
}

/** A list listed: its items as sent (checked by the caller), and the note of a list read as none. */
export interface PartListed {
  items: unknown[]
  issue?: ItemIssue
}

/** Listing failures that were a first page without the list's field at all (`{}`); marked by proxy/fetch-list. */
const withoutList = new WeakSet<object>()

/** `err` is a listing's first page answered without the list's field, from a server declaring the capability. */
export function markWithoutList(err: object): void {
  withoutList.add(err)
}

/** The repairs of lists read as none (their `name` is the method, not an item's). */
const listIssues = new WeakSet<ItemIssue>()

export function isListIssue(i: ItemIssue): boolean {
  return listIssues.has(i)
}

/** One list of `e`'s server by `fetch`: its items, none (see the module), or its failure. */
export async function listPart(e: ServerLists, p: ListPart, fetch: (method: ListMethod) => Promise<unknown[]>): Promise<PartListed | PartFailure> {
  try {
    return { items: await fetch(p.method) }
  } catch (err) {
    const why = notServed(p, err)
    const held = e[p.key]
    if (why === undefined || (held !== undefined && held.length > 0)) return { method: p.method, failed: err }
    if (why === "") return { items: [] }
    const issue: ItemIssue = { kind: p.item, name: p.method, action: "repaired", why }
    listIssues.add(issue)
    return { items: [], issue }
  }
}

/**
 * Why `err` reads as the server not serving the list (a note for its status; "" for none), or
 * undefined when it is a failure (an answer that is no list, any error of prompts and resources).
 */
function notServed(p: ListPart, err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && withoutList.has(err)) return `its answer has no ${p.field} list (a result without it, as a server answers a method it does not implement): read as none`
  if (p === TEMPLATES) return err instanceof DownstreamError && err.code === "BAD_RESPONSE" ? undefined : ""
  if (err instanceof RpcError && err.rpcCode === -32601) return `it answered ${p.method} with "method not found" (JSON-RPC error -32601), though it declares ${p.key}: read as none`
  return undefined
}
