/**
 * @module proxy/fetch-list
 * Paginated list requests (`tools/list`, `prompts/list`, …) against one downstream (cursor loop,
 * bounded page count), and the refresh of one server's lists with change detection.
 */
import type { Pool } from "../pool/index.ts"
import type { ServerLists } from "./surface.ts"
import type { ListKind, Prompt, Resource, ResourceTemplate, Tool } from "./types.ts"

const MAX_PAGES = 100

export type ListMethod = "tools/list" | "prompts/list" | "resources/list" | "resources/templates/list"
const FIELD: Record<ListMethod, string> = {
  "tools/list": "tools",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
}

/** All items of a list, following `nextCursor`. Retried on connection loss (lists are idempotent). */
export async function fetchList<T>(pool: Pool, server: string, method: ListMethod): Promise<T[]> {
  const out: T[] = []
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = (await pool.call(server, method, cursor ? { cursor } : undefined, { idempotent: true })) as Record<string, unknown> | undefined
    const items = r?.[FIELD[method]]
    if (Array.isArray(items)) out.push(...(items as T[]))
    cursor = typeof r?.nextCursor === "string" && r.nextCursor ? r.nextCursor : undefined
    if (!cursor) break
  }
  return out
}

/** Re-fetch one kind of lists of one server into `e`. Returns whether anything changed. */
export async function refreshLists(pool: Pool, e: ServerLists, kind: ListKind, gate?: (server: string, tools: Tool[]) => Tool[]): Promise<boolean> {
  const server = e.server
  if (kind === "tools") {
    const fetched = await fetchList<Tool>(pool, server, "tools/list")
    const tools = gate ? gate(server, fetched) : fetched
    const changed = !sameJson(e.tools, tools)
    e.tools = tools
    return changed
  }
  if (kind === "prompts") {
    const prompts = await fetchList<Prompt>(pool, server, "prompts/list")
    const changed = !sameJson(e.prompts, prompts)
    e.prompts = prompts
    return changed
  }
  const [resources, templates] = await Promise.all([
    fetchList<Resource>(pool, server, "resources/list"),
    fetchList<ResourceTemplate>(pool, server, "resources/templates/list").catch(() => [] as ResourceTemplate[]),
  ])
  const changed = !sameJson(e.resources, resources) || !sameJson(e.templates, templates)
  e.resources = resources
  e.templates = templates
  return changed
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined) return b === undefined
  return JSON.stringify(a) === JSON.stringify(b)
}
