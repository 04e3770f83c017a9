/**
 * @module catalog/search/state-filter
 * A change a request asks for ("archive the gitlab project") that a tool names only as a state its
 * arguments filter by (`list_projects`' `archived`: "Filter for archived projects"): the tool does
 * not make that change, it reads what is already so. A verb its arguments' help says as a verb
 * ("Directory path to save the attachment" of `download_attachment`) still counts.
 */
import type { IndexedTool } from "./types.ts"
import { splitWords, stem } from "./tokenize.ts"

/** The words of a tool's top-level arguments: their names and their help. */
function argumentWords(tool: IndexedTool): string[] {
  const props = tool.inputSchema?.["properties"]
  if (typeof props !== "object" || props === null) return []
  return Object.entries(props as Record<string, unknown>).flatMap(([k, v]) => {
    const help = typeof v === "object" && v !== null && typeof (v as { description?: unknown }).description === "string" ? (v as { description: string }).description : ""
    return splitWords(`${k} ${help}`)
  })
}

/**
 * True when `tool`'s arguments have a term of the change (`terms`, stemmed) only in a past
 * participle ("archived", "deleted", "closed"): a state filtered by, not an action done.
 */
export function changeOnlyAsState(tool: IndexedTool, terms: ReadonlySet<string>): boolean {
  const met = argumentWords(tool).filter((w) => terms.has(stem(w)))
  return met.length > 0 && met.every((w) => /ed$/.test(w))
}
