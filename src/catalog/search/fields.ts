/**
 * @module catalog/search/fields
 * Which text of a tool goes into which weighted field of its search document. The tool's own name
 * (split into words) says most about what it does; its title and description explain it; the
 * server's name says which product it touches; argument names and their descriptions say what it
 * works on, but also repeat across many tools, so they weigh least.
 */
import type { IndexedTool } from "./types.ts"
import { tokenize } from "./tokenize.ts"

export const FIELDS = ["name", "title", "description", "server", "argName", "argDesc"] as const
export type Field = (typeof FIELDS)[number]

/** Per-field weight and length normalisation (BM25F `w_f`, `b_f`). */
export const FIELD_WEIGHT: Record<Field, number> = {
  name: 4,
  title: 2.5,
  description: 1,
  server: 1.5,
  argName: 0.6,
  argDesc: 0.25,
}
export const FIELD_B: Record<Field, number> = {
  name: 0.3,
  title: 0.3,
  description: 0.75,
  server: 0.2,
  argName: 0.5,
  argDesc: 0.75,
}

/** Argument names and descriptions of a tool's input schema (top-level properties, one level of nesting). */
function argText(schema: Record<string, unknown> | undefined): { names: string; descs: string } {
  const names: string[] = []
  const descs: string[] = []
  const visit = (s: unknown, depth: number): void => {
    if (!s || typeof s !== "object" || depth > 1) return
    const props = (s as { properties?: unknown }).properties
    if (!props || typeof props !== "object") return
    for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
      names.push(k)
      if (v && typeof v === "object") {
        const d = (v as { description?: unknown }).description
        if (typeof d === "string") descs.push(d)
        visit(v, depth + 1)
        const items = (v as { items?: unknown }).items
        if (items) visit(items, depth + 1)
      }
    }
  }
  visit(schema, 0)
  return { names: names.join(" "), descs: descs.join(" ") }
}

/** The tokens of each field of a tool's document. */
export function documentFields(t: IndexedTool): Record<Field, string[]> {
  const args = argText(t.inputSchema)
  return {
    name: tokenize(t.tool),
    title: tokenize(t.title ?? ""),
    description: tokenize(t.description ?? ""),
    server: tokenize(t.server),
    argName: tokenize(args.names),
    argDesc: tokenize(args.descs),
  }
}
