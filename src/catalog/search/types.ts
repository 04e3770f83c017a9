/**
 * @module catalog/search/types
 * The tool search index behind `search_tools`, `run_code`'s `search()` and `bench search`: one
 * document per exposed tool, kept up to date per server (a list change replaces that server's
 * documents only), queried with ranked, deterministic results.
 */

/** One exposed tool as the index sees it. */
export interface IndexedTool {
  /** Exposed name, `server__tool`. */
  name: string
  /** The server it comes from (as configured). */
  server: string
  /** The server's own tool name. */
  tool: string
  title?: string
  description?: string
  /** The tool's input JSON Schema (argument names and their descriptions are indexed). */
  inputSchema?: Record<string, unknown>
  annotations?: Record<string, unknown>
}

export interface SearchHit {
  tool: IndexedTool
  /** Relevance, higher is better (only comparable within one query). */
  score: number
  /**
   * Set when the tool matches only part of what was asked: it does not do a shell command of the
   * query ("rm"), none of the changes it asks for ("delete"), or touches none of the things it
   * names ("file" in "delete a file"). Such a hit is the closest there is, not an answer. It does
   * not change the order.
   */
  weak?: boolean
  /** With `weak`: those words or commands of the query, as typed. */
  unmatched?: string[]
}

/** Hits returned when no limit is asked, and the most returned (a larger limit gives this many). */
export const DEFAULT_LIMIT = 8
export const MAX_LIMIT = 50
/**
 * Longest query the index ranks; a longer one is ranked on its first this many characters. Ranking
 * runs on the main thread: a query of 32 000 characters held every server's calls. search_tools and
 * run_code's `search()` accept 500 (mcp/tools/search-tools); this bounds any other caller.
 */
export const MAX_QUERY_CHARS = 4000

export interface SearchOptions {
  /** Default DEFAULT_LIMIT, at most MAX_LIMIT. */
  limit?: number
  /** Only tools of this server. */
  server?: string
  /** Only tools whose exposed name passes this check (toolset filters). */
  filter?: (t: IndexedTool) => boolean
}

export interface ToolIndex {
  /** Replaces every document of `server` with `tools` (incremental: other servers untouched). */
  setServer(server: string, tools: readonly IndexedTool[]): void
  /**
   * `setServer` in steps: each `next()` indexes a slice of the tools (the last one the server's
   * own words), so a caller can spread a list of thousands over turns of the event loop. Until it
   * is done the server's documents are partial: finish it (`next()` until done) before a search.
   */
  settingServer(server: string, tools: readonly IndexedTool[]): Iterator<void>
  removeServer(server: string): void
  /** Ranked best first; ties broken by name, so equal input gives equal output. */
  search(query: string, opts?: SearchOptions): SearchHit[]
  /** Every indexed tool by exposed name. */
  get(name: string): IndexedTool | undefined
  readonly size: number
}
