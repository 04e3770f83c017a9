/**
 * @module mcp/tools/search-tools
 * `search_tools`: ranked search over the tools this connection may call (its toolset), for clients
 * that list only the meta-tools (`proxy.expose: search | code`) or that listed before a server came
 * up. Results are compact (name, one-line summary, hints, argument signature), never full schemas:
 * `describe_tools` gives those. A hit the index marks weak (it misses a command, the action or every
 * object of the request: catalog/search) is flagged as such; when every hit is weak the answer
 * says first that no tool matches the whole request.
 */
import { z } from "zod"
import { SEARCH_DEFAULT_LIMIT as DEFAULT_LIMIT, SEARCH_MAX_LIMIT as MAX_LIMIT, type SearchHit } from "../../catalog/index.ts"
import { stateShort, type ToolCatalog } from "../../proxy/index.ts"
import { cutText, quoteName, redactString } from "../../core/index.ts"
import { defineTool, type ToolDef } from "../tool-def.ts"
import { argSignature, hints, oneLine } from "./tool-summary.ts"

export const SEARCH_TOOLS_NAME = "search_tools"
/** Longest query searched (search_tools and run_code's `search()`): ranking runs on the main thread. */
export const MAX_QUERY_CHARS = 500

const Hit = z.object({
  name: z.string().describe("Exposed name (server__tool), for call_tool / describe_tools"),
  description: z.string().describe("One-line summary"),
  annotations: z.record(z.string(), z.boolean()).optional().describe("readOnlyHint / destructiveHint when the tool declares them true"),
  args: z.string().describe("Argument signature, e.g. (path: string, depth?: number); ? = optional, … = more optional ones (describe_tools)"),
  weak: z.literal(true).optional().describe("Only a partial match: it does not do or touch something the query asks for (missing says what); the closest there is, not an answer"),
  missing: z.array(z.string()).optional().describe("With weak: the words or commands of the query this tool does not match"),
  notInYourList: z.literal(true).optional().describe("Not in this connection's first tools/list answer (it came up or changed later; a client such as Cursor keeps that answer): call it with call_tool, not by its name"),
})
export type SearchToolsHit = z.infer<typeof Hit>

export const SearchToolsInput = z
  .object({
    query: z.string().max(MAX_QUERY_CHARS).describe("The task in words"),
    // listed with `maximum: 50`; a larger limit is served as 50 (the index clamps it), not refused:
    // a model asking for "all" gets the most there are, not an error to retry
    limit: z
      .number()
      .int()
      .min(1)
      .meta({ maximum: MAX_LIMIT })
      .optional()
      .describe(`Default ${DEFAULT_LIMIT}, max ${MAX_LIMIT}; a larger limit gives ${MAX_LIMIT}`),
    server: z.string().max(64).optional().describe("Only this server's tools"),
  })
  .strict()

/** The names this connection's first tools/list answer listed (undefined: not known, or it lists only own tools). */
export type ListedNames = () => ReadonlySet<string> | undefined

/** The compact form of one hit (also what run_code's `search()` returns); `listed`: a hit it lacks is marked `notInYourList`. */
export function compactHit(h: SearchHit, full?: { annotations?: unknown }, listed?: ReadonlySet<string>): SearchToolsHit {
  const t = h.tool
  const out: SearchToolsHit = { name: t.name, description: oneLine(t.description ?? t.title), args: argSignature(t.inputSchema) }
  const a = hints({ annotations: (full?.annotations ?? t.annotations) as never })
  if (a) out.annotations = a
  if (h.weak) {
    out.weak = true
    out.missing = h.unmatched ?? []
  }
  if (listed !== undefined && !listed.has(t.name)) out.notInYourList = true
  return out
}

export function hitLine(h: SearchToolsHit): string {
  const flags = h.annotations?.readOnlyHint ? " [read-only]" : h.annotations?.destructiveHint ? " [destructive]" : ""
  const weak = h.weak ? ` [weak match: nothing for ${quoteList(h.missing ?? [])}]` : ""
  const late = h.notInYourList ? " [not in your tool list: call it with call_tool]" : ""
  return `${h.name}${h.args}${flags}${weak}${late}${h.description ? ` — ${h.description}` : ""}`
}

function quoteList(words: readonly string[]): string {
  return words.map((w) => `"${w}"`).join(", ")
}

/** A server of this connection that has no tools right now (failed, retrying, starting, waiting for a login), with why. */
export interface ServerWithoutTools {
  name: string
  state: string
  lastError?: string
  /** What brings its tools (a server waiting for a login: the exact `auth login` command). */
  remedy?: string
}

/**
 * `unlisted`: the servers of this connection that have no tools now; a search that finds nothing
 * (or only weak matches) names them, so the model does not take a down server's missing tools for
 * a capability nobody offers.
 */
const SEARCH_TOOLS_DESCRIPTION =
  "Find tools of the connected servers by what they do, in words or as a shell command (\"mkdir -p src\"): best first, one per line, name(args) — summary; [weak match] = does not do all that was asked. Call one with call_tool; describe_tools gives full schemas."

/** The servers with no tools when the list was made, for the description (empty when there are none; run_code's too). */
export function missingNote(unlisted: readonly ServerWithoutTools[]): string {
  if (!unlisted.length) return ""
  // each with its state (no reason: the list is read once, the reason is search_tools' and
  // orchestrator_status'), and what brings its tools where the user must act (a login)
  const names = unlisted.slice(0, MAX_UNLISTED).map((u) => `${u.name} (${stateShort(u.state)}${u.remedy ? `: ${u.remedy}` : ""})`)
  const more = unlisted.length > MAX_UNLISTED ? ` and ${unlisted.length - MAX_UNLISTED} more` : ""
  return `\nNot in this list yet (no tools now): ${names.join(", ")}${more}. search_tools finds their tools once they are up; orchestrator_status says why.`
}

export function searchToolsTool(catalog: () => Promise<ToolCatalog>, unlisted: () => readonly ServerWithoutTools[] = () => [], listed: ListedNames = () => undefined): ToolDef {
  return defineTool({
    name: SEARCH_TOOLS_NAME,
    title: "Search tools",
    // read at each list: names the servers whose tools that list lacks (a client such as Cursor
    // never lists again, so this is how the model learns they exist)
    get description(): string {
      return SEARCH_TOOLS_DESCRIPTION + missingNote(unlisted())
    },
    input: SearchToolsInput,
    output: z.object({ tools: z.array(Hit) }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    example: {
      input: { query: "read a file", limit: 3 },
      output: { tools: [{ name: "filesystem__read_text_file", description: "Read the complete contents of a file from the file system as text.", annotations: { readOnlyHint: true }, args: "(path: string, tail?: number, head?: number)" }] },
    },
    errors: [],
    async handler(args) {
      const cat = await catalog()
      // (the index is built in slices first: other servers' calls are answered meanwhile)
      await cat.searchReady?.()
      const hits = cat.search(args.query, { limit: args.limit ?? DEFAULT_LIMIT, ...(args.server !== undefined ? { server: args.server } : {}) })
      const names = listed()
      const tools = hits.map((h) => compactHit(h, cat.get(h.tool.name), names))
      const text = !tools.length ? noMatch(cat, args.query, args.server, unlisted()) : tools.every((t) => t.weak) ? onlyWeak(cat, args.query, tools) + notSearched(unlisted(), args.server) : tools.map(hitLine).join("\n")
      return { text, structured: { tools } }
    },
  }) as unknown as ToolDef
}

/**
 * Every hit misses part of the request ("delete a file" where no tool deletes files): said first,
 * so the closest tools are not taken for an answer.
 */
function onlyWeak(cat: ToolCatalog, query: string, tools: readonly SearchToolsHit[]): string {
  const reachable = `(${cat.tools.length} tools reachable)`
  const missing = tools[0]!.missing ?? []
  const same = missing.length > 0 && tools.every((t) => (t.missing ?? []).join("\u0000") === missing.join("\u0000"))
  const head = !same
    ? `No tool matches all of ${quoteName(query, 500)} ${reachable}. Closest partial matches, each marked with what it lacks:`
    : missing.join(" ") === query.trim()
      ? `No tool matches ${quoteName(query, 500)} ${reachable}. Closest partial matches:`
      : `No tool matches ${quoteName(query, 500)} in full: none has anything for ${quoteList(missing)} ${reachable}. Closest partial matches:`
  return [head, ...tools.map(hitLine)].join("\n")
}

/**
 * Why nothing matched: a `server` with no reachable tool here (a typo, down, or outside this toolset)
 * says so and names those that have some; servers that have no tools right now (down, starting) are
 * named as not searched.
 */
function noMatch(cat: ToolCatalog, query: string, server: string | undefined, unlisted: readonly ServerWithoutTools[]): string {
  if (server === undefined) return `No tool matches ${quoteName(query, 500)} (${cat.tools.length} tools reachable).${notSearched(unlisted, undefined)}`
  const servers = new Set<string>()
  for (const t of cat.tools) {
    const r = cat.route(t.name)
    if (r) servers.add(r.server)
  }
  if (servers.has(server)) return `No tool matches ${quoteName(query, 500)} on server ${server} (${cat.tools.length} tools reachable).`
  const known = [...servers].sort()
  const others = `Servers with reachable tools: ${known.length ? known.join(", ") : "none"}.`
  const down = unlisted.find((u) => u.name === server)
  if (down) return `Server ${server} has no tools right now, so none were searched: ${serverState(down)}. orchestrator_status shows its state; call search_tools again once it is up. ${others}`
  return `No tool of a server named ${quoteName(server)} is reachable here (not configured, or outside this toolset; orchestrator_status tells which). ${others}`
}

/** The servers a search left out because they have no tools now (all of them, or the one asked for). */
function notSearched(unlisted: readonly ServerWithoutTools[], server: string | undefined): string {
  const list = unlisted.filter((u) => server === undefined || u.name === server)
  if (!list.length) return ""
  const shown = list.slice(0, MAX_UNLISTED).map((u) => `${u.name} (${serverState(u)})`)
  const more = list.length > MAX_UNLISTED ? `, and ${list.length - MAX_UNLISTED} more` : ""
  const one = list.length === 1
  return `\nNot searched: ${one ? "a server that has" : "servers that have"} no tools right now: ${shown.join("; ")}${more}. ${one ? "Its" : "Their"} tools may do this: orchestrator_status shows ${one ? "its" : "their"} state; search again once ${one ? "it is" : "they are"} up.`
}

/** Servers named one by one; more are counted. */
const MAX_UNLISTED = 5
/** Longest reason quoted per server. */
const MAX_REASON = 200

function serverState(u: ServerWithoutTools): string {
  const what = stateShort(u.state)
  const remedy = u.remedy ? ` (${u.remedy})` : ""
  if (!u.lastError) return `${what}${remedy}`
  const reason = redactString(u.lastError.replace(/\s+/g, " ").trim())
  return `${what}: ${reason.length > MAX_REASON ? `${cutText(reason, MAX_REASON)}…` : reason}${remedy}`
}
