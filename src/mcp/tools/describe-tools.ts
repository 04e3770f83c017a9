/**
 * @module mcp/tools/describe-tools
 * `describe_tools`: the full definitions (inputSchema, outputSchema, annotations) of a few tools
 * found with `search_tools`, so a model pays for a schema only when it is about to call the tool.
 */
import { z } from "zod"
import { cutText, loginCommand, redactString, shownName } from "../../core/index.ts"
import { guessToolNames, stateSaid, type ToolCatalog } from "../../proxy/index.ts"
import { defineTool, type ToolDef } from "../tool-def.ts"
import { ANSWER_MAX_CHARS, showDefinition } from "./definition-pages.ts"

export const DESCRIBE_TOOLS_NAME = "describe_tools"
export const DESCRIBE_MAX = 10

const Described = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
  cut: z.string().optional().describe("Set when the definition is too large for one answer: which part is shown and the call that gives the rest"),
})

/**
 * The definitions as JSON text, one field per line and each value (a schema) compact. Indenting
 * the schemas themselves costs depth × lines: a 110 KB schema nested 3 000 levels became 43 MiB.
 */
function listing(tools: readonly Record<string, unknown>[]): string {
  const one = (t: Record<string, unknown>): string => ` {\n${Object.entries(t).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n")}\n }`
  return `[\n${tools.map(one).join(",\n")}\n]`
}

/**
 * A configured server of this connection as it is now: its state (a session state, or "disabled"
 * for a config entry with `disabled: true`) and the cause of its last failure.
 */
export interface ServerNow {
  name: string
  state: string
  lastError?: string
  /** What to do about that failure, when it said (orchestrator_status shows it too). */
  remedy?: string
  /** Tools it lists whose definition was left out (invalid, or withheld): its own name and why. */
  dropped?: readonly { name: string; why: string }[]
}

/**
 * What describe_tools knows of the servers (absent: nothing is said of them): `servers` as they are
 * now, and the `separator` of exposed names (undefined with `proxy.passthrough`: names carry no server).
 */
export interface DescribeServers {
  servers(): readonly ServerNow[]
  separator(): string | undefined
  /** Waits (bounded) for the tool listing of the servers `names` are under that have not listed yet. */
  awaitListed?(names: readonly string[]): Promise<void>
  /**
   * Why a name not in the catalog cannot be called, as a call of it answers (outside the toolset,
   * hidden by a filter, its server removed or renamed), when that is known; else undefined.
   */
  whyNot?(name: string): string | undefined
}

export function describeToolsTool(catalog: () => Promise<ToolCatalog>, known?: DescribeServers): ToolDef {
  return defineTool({
    name: DESCRIBE_TOOLS_NAME,
    title: "Describe tools",
    description: `Full definitions (input/output schemas, annotations) of up to ${DESCRIBE_MAX} tools found by search_tools. A very large definition comes in pages (its \`cut\` says which; ask again with \`page\`).`,
    input: z
      .object({
        names: z.array(z.string().min(1).max(200)).min(1).max(DESCRIBE_MAX).describe("server__tool names"),
        page: z.number().int().min(1).optional().describe("Page of a definition too large for one answer (default 1)"),
      })
      .strict(),
    output: z.object({
      tools: z.array(Described),
      unknown: z.array(z.string()).optional().describe("Names not reachable here"),
      later: z.array(z.string()).optional().describe("Names left out of this answer for its size; describe them in another call"),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    example: { input: { names: ["memory__read_graph"] } },
    answerExample: (tool) => ({ names: [tool] }),
    errors: [],
    async handler(args) {
      let cat = await catalog()
      // a name under a server that is up (or not started) and has not listed its tools yet: wait for
      // that listing (bounded), as a call of the name would, then describe it
      const waitFor = known?.awaitListed ? unlistedOwners(args.names, cat, known) : []
      if (waitFor.length > 0) {
        await known!.awaitListed!(waitFor)
        cat = await catalog()
      }
      const tools: z.infer<typeof Described>[] = []
      const unknown: string[] = []
      /** Names whose server lists them with a definition that was dropped: the names, and why for each. */
      const leftOut: { names: string[]; notes: string[] } = { names: [], notes: [] }
      /** Names a call of would be refused with a known reason (whyNot): the names, and the reason for each. */
      const refused: { names: string[]; notes: string[] } = { names: [], notes: [] }
      const servers = known?.servers() ?? []
      /** Per server not serving now: the names asked of it (listed from its last known list, or not listed). */
      const down = new Map<ServerNow, { listed: string[]; missing: string[] }>()
      const downOf = (server: ServerNow): { listed: string[]; missing: string[] } => {
        let d = down.get(server)
        if (d === undefined) down.set(server, (d = { listed: [], missing: [] }))
        return d
      }
      const sep = known?.separator()
      /** Characters of definitions given so far (ANSWER_MAX_CHARS bounds an answer), and the names left for another call. */
      let given = 0
      const later: string[] = []
      for (const name of [...new Set(args.names)]) {
        const t = cat.get(name)
        if (!t) {
          // proxy.passthrough (no separator): the name is the server's own, under whichever server dropped it
          const owner = sep === undefined ? servers.find((s) => s.dropped?.some((d) => d.name === name)) : ownerOf(name, servers, sep)
          // listed by its server with a definition that was left out (invalid, withheld): say why
          const bad = owner?.dropped?.find((d) => name === (sep === undefined ? d.name : owner.name + sep + d.name))
          if (owner !== undefined && bad !== undefined) {
            leftOut.names.push(name)
            leftOut.notes.push(`${name}: server ${owner.name} lists it, but its definition was left out of the tool list (${bad.why}), so it cannot be called; the server must fix it.`)
          } else if (owner !== undefined && !SERVING.has(owner.state)) downOf(owner).missing.push(name)
          // under a configured server that has no tools now (starting, failed, disabled, waiting for a login): said below
          else {
            // left out by a filter or a toolset, its server removed or renamed: the reason a call gets
            const why = known?.whyNot?.(name)
            if (why !== undefined) {
              refused.names.push(name)
              refused.notes.push(`${why}.`)
            } else unknown.push(name)
          }
          continue
        }
        // its server is down: this is its last known definition (listed before, or stored by an earlier run)
        const route = cat.route(name)
        const owner = route && servers.find((s) => s.name === route.server)
        if (owner && !SERVING.has(owner.state)) downOf(owner).listed.push(name)
        // what the tool is for before its schemas: a long schema does not bury the description
        const d = { name: t.name } as z.infer<typeof Described>
        if (t.title !== undefined) d.title = t.title
        if (t.description !== undefined) d.description = t.description
        d.inputSchema = t.inputSchema as Record<string, unknown>
        if (t.outputSchema !== undefined) d.outputSchema = t.outputSchema as Record<string, unknown>
        if (t.annotations !== undefined) d.annotations = t.annotations as Record<string, unknown>
        // a definition over a page comes in pages; an answer holds ANSWER_MAX_CHARS (the first one always)
        const shown = showDefinition(d, args.page ?? 1, name)
        const chars = JSON.stringify(shown.def).length
        if (tools.length > 0 && given + chars > ANSWER_MAX_CHARS) {
          later.push(name)
          continue
        }
        given += chars
        // what is cut is said before the schemas (the model reads it first)
        const { name: _n, title: _t, description: _d, ...schemas } = shown.def
        const out = { name: d.name, ...(d.title !== undefined ? { title: d.title } : {}), ...(d.description !== undefined ? { description: d.description } : {}), ...(shown.cut !== undefined ? { cut: shown.cut } : {}), ...schemas } as z.infer<typeof Described>
        tools.push(out)
      }
      const miss = unknown.length ? `Not reachable here: ${unknown.map((n) => withGuess(cat, n)).join(", ")} (find names with search_tools).` : ""
      const over = later.length ? [`Not described in this answer (it holds at most ${ANSWER_MAX_CHARS.toLocaleString("en")} characters of definitions): ${later.join(", ")}; describe_tools ${JSON.stringify({ names: later })} gives ${later.length === 1 ? "it" : "them"}.`] : []
      const notes = [...over, ...leftOut.notes, ...refused.notes, ...[...down].map(([server, d]) => downNote(server, d.listed, d.missing))]
      unknown.push(...leftOut.names, ...refused.names)
      for (const [, d] of down) unknown.push(...d.missing)
      const text = [tools.length ? listing(tools) : "", ...notes, miss].filter(Boolean).join("\n")
      return { text, structured: { tools, ...(unknown.length ? { unknown } : {}), ...(later.length ? { later } : {}) }, ...(tools.length === 0 ? { isError: true } : {}) }
    },
  }) as unknown as ToolDef
}

/** `name`, with the exposed names it most likely stands for (at most 3; proxy/name-guess). */
function withGuess(cat: ToolCatalog, name: string): string {
  const list = guessToolNames(name, cat.tools.map((t) => t.name), (e) => cat.route(e)?.tool).slice(0, 3)
  return list.length === 0 ? shownName(name) : `${shownName(name)} (did you mean ${list.join(" or ")}?)`
}

/** Server states whose tools are served (or, idle/closed, started again by a call). */
const SERVING = new Set(["ready", "idle", "closed"])

/** States of a server that is up or startable and has not listed its tools yet (proxy/state-words shownState). */
const LISTING = new Set(["listing", "not-started", "starting", "restarting"])

/** The names of `names` not in `cat` whose server has not listed its tools yet (worth a bounded wait). */
function unlistedOwners(names: readonly string[], cat: ToolCatalog, known: DescribeServers): string[] {
  const sep = known.separator()
  if (sep === undefined) return []
  const missing = names.filter((n) => cat.get(n) === undefined)
  if (missing.length === 0) return []
  const servers = known.servers()
  return missing.filter((n) => {
    const owner = ownerOf(n, servers, sep)
    return owner !== undefined && LISTING.has(owner.state)
  })
}

/** The configured server `name` falls under (the longest one whose name and separator prefix it). */
function ownerOf(name: string, servers: readonly ServerNow[], sep: string | undefined): ServerNow | undefined {
  if (sep === undefined) return undefined
  let owner: ServerNow | undefined
  for (const s of servers) if (name.startsWith(s.name + sep) && (owner === undefined || s.name.length > owner.name.length)) owner = s
  return owner
}

/** A cause shown at most this long (orchestrator_status has it whole). */
const MAX_CAUSE = 200

/** What state `s` means for its tools, with the cause of its failure and what to do. */
function serverState(s: ServerNow): string {
  const cause = s.lastError ? redactString(s.lastError.replace(/\s+/g, " ").trim()) : ""
  const why = cause ? `: ${cause.length > MAX_CAUSE ? `${cutText(cause, MAX_CAUSE)}…` : cause}` : ""
  return `${stateSaid(s.state, s.name)}${why}`
}

/** Tool names asked of a server that is not serving: its state, and whether the definitions above are its last known ones. */
function downNote(server: ServerNow, listed: readonly string[], missing: readonly string[]): string {
  const state = `Server ${server.name} ${serverState(server)}.`
  const shown = listed.length ? ` The definition${listed.length === 1 ? " above is its last known one" : "s above are its last known ones"} (${listed.join(", ")}); calls fail until it is up.` : ""
  const gone = missing.length ? ` ${missing.join(", ")}: no definition is known (the server has not listed its tools in this run, and none is stored); describe ${missing.length === 1 ? "it" : "them"} again once the server is up.` : ""
  const fix = server.remedy && server.state !== "disabled" ? ` What to do: ${redactString(server.remedy)}` : ""
  return `${state}${fix}${shown}${gone} orchestrator_status shows its state.`
}
