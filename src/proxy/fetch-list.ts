/**
 * @module proxy/fetch-list
 * Paginated list requests (`tools/list`, `prompts/list`, …) against one downstream (cursor loop, bounded page count).
 */
import type { Pool } from "../pool/index.ts"

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
