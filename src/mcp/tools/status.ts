/**
 * @module mcp/tools/status
 * `orchestrator_status`: version, uptime, configuration summary and what is connected.
 */
import { z } from "zod"
import { formatDuration } from "../../core/index.ts"
import { stateShort } from "../../proxy/index.ts"
import { defineTool } from "../tool-def.ts"

const ServerStatusSchema = z.object({
  name: z.string(),
  source: z.enum(["config", "toolkit"]),
  transport: z.enum(["stdio", "streamable-http", "sse"]).optional().describe("Absent for a server whose config entry is invalid (state invalid-config)"),
  era: z
    .object({ era: z.enum(["legacy", "modern"]), via: z.enum(["pinned", "cached", "probed"]) })
    .optional()
    .describe("MCP protocol era toward the server (legacy: initialize, ≤ 2025-11-25; modern: 2026-07-28) and how it was decided"),
  state: z.string().describe("idle, starting, ready, failed, needs-auth, closed…; invalid-config: its config entry is invalid, so it was left out (lastError says why, remedy how to fix it; the other servers run)"),
  restarting: z.literal(true).optional().describe("Present while the server is starting again after failures no stable connection has cleared yet (a crash loop's restart): search_tools and describe_tools say \"restarting after a failure\""),
  tools: z.number(),
  inFlight: z.number(),
  queued: z.number(),
  calls: z.number().describe("Tool calls sent to the server"),
  requests: z.number().optional().describe("Other requests sent to it: lists, resource reads, prompts, completions"),
  failures: z.number(),
  lastError: z.string().optional().describe("the last failure, while nothing has come up since it"),
  pastError: z.string().optional().describe("the last failure when the server has started fine since (history: not its state now)"),
  remedy: z.string().optional().describe("What to do about the last error: its failure's own advice, else the transport's (the command and env of a stdio server; the url, headers or sign-in of a remote one)"),
  retryAt: z.number().optional(),
  dropped: z.array(z.object({ kind: z.string(), name: z.string(), why: z.string() })).optional().describe("Listed items left out: their definition is invalid"),
  droppedMore: z.number().optional().describe("How many more items were left out than `dropped` lists (it lists the first 100)"),
  repaired: z.array(z.object({ kind: z.string(), name: z.string(), why: z.string() })).optional().describe("Listed items passed on after a repair; a list the server answered as one it does not implement (`{}`), read as empty, is named by its method (`resources/templates/list`)"),
  repairedMore: z.number().optional().describe("How many more items were repaired than `repaired` lists (it lists the first 100)"),
  truncated: z
    .array(z.object({ list: z.string(), pages: z.number(), items: z.number(), why: z.enum(["pages", "cursor", "cursor-value", "items", "bytes", "failed", "awaited", "stored"]).optional() }))
    .optional()
    .describe("Lists cut short while the server offered more: at the page cap (no `why`), at a nextCursor it had given before (`cursor`), at a nextCursor the next page cannot be asked with: no string nor page number, or over 64 KiB (`cursor-value`), at the item cap (`items`), at the size cap (`bytes`), at a later page that failed in the server's first listing (`failed`: the pages read before it are served until a retried listing succeeds), or at a later page of the server's first listing not answered yet when a list was answered (`awaited`: the pages read before it are served meanwhile; the listing goes on); the items past the cut are not listed"),
  notWaitedFor: z.string().optional().describe("Why lists answer without waiting for this server: it did not list its tools in the last run, or it failed before listing them in the last runs (it is still started; its tools are announced if it lists)"),
  toolsNotListed: z.string().optional().describe("Present while the server's tool list is not known (none stored, none listed in this run: starting, its tools/list slow or failing), whatever its state: lists answered so far lack its tools (its `tools` 0 is not an empty list)"),
  notInFirstList: z.string().optional().describe("Its tools were missing from this connection's first tools/list answer (which a client such as Cursor keeps for the whole session; the run's first for a connection that has not listed itself), or only some of them (its first listing was still reading pages), and why: its state then; search_tools and call_tool reach them once it is up"),
  notInYourList: z
    .object({ total: z.number().describe("How many of its tools the first answer lacked"), names: z.array(z.string()).describe("The first 20, in name order") })
    .optional()
    .describe("Its tools callable now that this connection's first tools/list answer did not list (it came up late, a reload added it, its list changed since): a client such as Cursor keeps that answer, so call them with call_tool by name"),
})

export const StatusSchema = z.object({
  name: z.string(),
  version: z.string(),
  uptimeSeconds: z.number(),
  pid: z.number(),
  config: z.object({
    file: z.string().nullable().describe("Config file in use, or null for defaults only"),
    logLevel: z.string(),
    servers: z.array(z.string()).describe("Configured downstream server names"),
    warm: z.array(z.string()),
    http: z.string().nullable().describe("HTTP listen address, or null when stdio only"),
    httpError: z.string().optional().describe("Why HTTP is not served though http.listen asks for it (e.g. the address is taken); stdio goes on without it"),
    invalidServers: z
      .array(
        z.object({
          name: z.string(),
          entry: z.string().describe("servers.NAME or mcpServers.NAME"),
          source: z.string().describe("Where the entry is written (file:line)"),
          problems: z.array(z.string()).describe("Each problem: key (file:line): what was expected"),
          remedy: z.string(),
          running: z.boolean().describe("The entry became invalid in a reload: its last valid definition keeps running"),
        }),
      )
      .optional()
      .describe("Server entries of the config file that are invalid: left out (the other servers run), or kept at their last valid definition by a reload"),
    reload: z
      .object({
        watching: z.string().nullable().describe("Config file watched for changes (null: only SIGHUP reloads)"),
        waitingFor: z
          .array(z.string())
          .optional()
          .describe("Directories of watched files that do not exist now (deleted or renamed away): each is waited for from its nearest existing parent, and the files are read again when it reappears"),
        applied: z.number().describe("Reloads applied since start"),
        lastAt: z.string().optional(),
        last: z.enum(["applied", "unchanged", "rejected"]).optional(),
        held: z
          .string()
          .optional()
          .describe("A reload that would stop servers, held until the config file has not changed for 2 s (a file written in pieces is not applied half-way): which servers, and why"),
        errors: z.array(z.string()).optional().describe("Problems of the last rejected file (key, file:line); the running config stayed"),
        remedy: z.string().optional().describe("Set with errors: what to do about them"),
        restartNeeded: z.array(z.string()).optional().describe("Changed settings that keep their running value until a restart"),
      })
      .optional()
      .describe("Live config reload (file watch and SIGHUP)"),
  }),
  toolset: z.string().optional().describe("This connection's toolset: servers outside it are left out, and tools.proxied counts its tools"),
  servers: z.array(ServerStatusSchema).describe("Downstream sessions and their state"),
  notInYourList: z
    .object({ tools: z.number().describe("How many tools callable now the first answer lacked, all servers"), reach: z.string().describe("How to reach them (call_tool, search_tools)") })
    .optional()
    .describe("Tools callable now that this connection's first tools/list answer lacked (each server's notInYourList names them), and how to reach them"),
  tools: z.object({ own: z.number(), proxied: z.number() }),
  toolkit: z.record(z.string(), z.unknown()).nullable().describe("Docker MCP Toolkit: era, version, profile; null when disabled"),
  cache: z.record(z.string(), z.unknown()).nullable().describe("Cache statistics; null when disabled"),
  plugins: z.array(z.record(z.string(), z.unknown())).describe("Loaded plugins and their state"),
  pins: z
    .object({
      mode: z.enum(["off", "warn", "block"]),
      file: z.string(),
      changes: z.array(z.object({ server: z.string(), tool: z.string(), at: z.string(), blocked: z.boolean() })),
      dropped: z
        .array(z.object({ server: z.string(), pins: z.number(), at: z.string() }))
        .optional()
        .describe("Servers that change their tool names all the time: pins of tools they no longer list were dropped past the per-server cap (how many in all, when last)"),
      problem: z.string().optional().describe("Why the pins file could not be read (too large, damaged: pins started afresh, the next write keeps it as pins.json.corrupt) or written (pins live in memory only)"),
      remedy: z.string().optional().describe("Set with problem: what to do about it"),
    })
    .optional()
    .describe("Tool-definition pins (rug-pull defence): mode, file, changes seen since start"),
})
export type Status = z.infer<typeof StatusSchema>

/** The text lines of a reload held, settings waiting for a restart, watched folders gone (none when all is applied). */
function reloadLines(r: Status["config"]["reload"]): string[] {
  if (!r) return []
  return [
    ...(r.held ? [`config reload held: it ${r.held}`] : []),
    ...(r.restartNeeded?.length ? [`config changes that need a restart of mcp-orchestrator to take effect (the running values stay until then; in Cursor, turn the server off and on): ${r.restartNeeded.join(", ")}`] : []),
    ...(r.waitingFor?.length ? [`config folder gone (reloads wait for it): ${r.waitingFor.join("; ")}`] : []),
  ]
}

export function statusTool(getStatus: () => Promise<Status>) {
  return defineTool({
    name: "orchestrator_status",
    title: "Orchestrator status",
    description:
      "Report mcp-orchestrator's version, uptime, configuration summary, downstream servers (state, tools, calls, failures), Docker MCP Toolkit state, cache statistics and plugins. Use it to see why a tool is missing or failing.",
    input: z.object({}).strict(),
    output: StatusSchema,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    example: { input: {} },
    errors: [],
    async handler() {
      const s = await getStatus()
      const lines = [
        `${s.name} ${s.version}, up ${formatDuration(s.uptimeSeconds * 1000)}, pid ${s.pid}`,
        `config: ${s.config.file ?? "(defaults)"}; log level ${s.config.logLevel}; http ${s.config.http ?? (s.config.httpError ? `not served (${s.config.httpError})` : "off")}`,
        `tools: ${s.tools.own} own, ${s.tools.proxied} proxied`,
        ...(s.config.invalidServers ?? []).filter((i) => i.running).map((i) => `config entry ${i.entry} (${i.source}) is invalid, so ${i.name} keeps its last valid definition: ${i.problems.join("; ")} (what to do: ${i.remedy})`),
        // a rejected reload shows in the text too (a client that reads only the text saw nothing of it)
        ...(s.config.reload?.errors?.length ? [`config reload rejected (the running config stays): ${s.config.reload.errors.join("; ")}${s.config.reload.remedy ? ` (what to do: ${s.config.reload.remedy})` : ""}`] : []),
        // so do a held reload, settings that need a restart and a watched folder that is gone: the
        // user asks the model why an edit "did nothing", and only the structured part said so
        ...reloadLines(s.config.reload),
        s.servers.length ? "servers:" : "servers: none configured",
        ...s.servers.map(
          (v) => `  - ${v.name} [${v.source}${v.transport ? `, ${v.transport}` : ""}${v.era ? `, ${v.era.era} (${v.era.via})` : ""}] ${v.state}${v.restarting ? ` (${stateShort("restarting")})` : ""}: ${v.tools} tools, ${v.calls} calls${v.requests ? `, ${v.requests} other requests` : ""}, ${v.failures} failures${v.lastError ? `, last error: ${v.lastError}${v.remedy && !v.lastError.includes(v.remedy) ? ` (what to do: ${v.remedy})` : ""}` : ""}${v.pastError ? `, last error (before its current start, fine since): ${v.pastError}` : ""}${v.dropped ? `; dropped (invalid): ${v.dropped.map((d) => `${d.kind} ${d.name} (${d.why})`).join(", ")}${v.droppedMore ? ` and ${v.droppedMore} more` : ""}` : ""}${v.repaired ? `; repaired: ${v.repaired.map((d) => `${d.kind} ${d.name}`).join(", ")}${v.repairedMore ? ` and ${v.repairedMore} more` : ""}` : ""}${v.truncated ? `; cut short: ${v.truncated.map((c) => `${c.list} after ${c.pages} pages (${c.items} items${c.why === "cursor" ? ", a cursor repeated" : c.why === "cursor-value" ? ", a cursor it cannot be asked with" : c.why === "items" ? ", the item cap" : c.why === "bytes" ? ", the size cap" : c.why === "failed" ? ", a later page failed: retried" : c.why === "awaited" ? ", a later page not answered yet: listing goes on" : c.why === "stored" ? ", as stored by an earlier run whose listing did not finish: listing again" : ""})`).join(", ")}` : ""}${v.notWaitedFor ? `; not waited for: ${v.notWaitedFor}` : ""}${v.toolsNotListed ? `; not listed yet: ${v.toolsNotListed}` : ""}${v.notInFirstList ? `; ${v.notInFirstList}` : ""}${v.notInYourList ? `; not in your tool list: ${v.notInYourList.names.join(", ")}${v.notInYourList.total > v.notInYourList.names.length ? ` and ${v.notInYourList.total - v.notInYourList.names.length} more` : ""}` : ""}`,
        ),
        ...(s.notInYourList ? [`not in your tool list: ${s.notInYourList.tools} tools. ${s.notInYourList.reach}`] : []),
        `toolkit: ${s.toolkit ? JSON.stringify(s.toolkit) : "off"}`,
        `cache: ${s.cache ? JSON.stringify(s.cache) : "off"}`,
        `plugins: ${s.plugins.length ? s.plugins.map((p) => `${String(p.name)} (${String(p.state ?? "loaded")}${p.hooksOff && typeof p.hooksOff === "object" ? `; hooks off: ${Object.keys(p.hooksOff).join(", ")}` : ""}${typeof p.remedy === "string" ? `; what to do: ${p.remedy}` : ""})`).join(", ") : "none"}`,
        ...(s.pins
          ? [
              `tool pins: ${s.pins.mode}${s.pins.changes.length ? `; changed: ${s.pins.changes.map((c) => `${c.server}/${c.tool}${c.blocked ? " (blocked)" : ""}`).join(", ")}` : ""}${s.pins.dropped?.length ? `; tool names that do not stay (unlisted pins dropped): ${s.pins.dropped.map((d) => `${d.server} (${d.pins}, last ${d.at})`).join(", ")}` : ""}${s.pins.problem ? `; file problem: ${s.pins.problem}${s.pins.remedy ? ` (what to do: ${s.pins.remedy})` : ""}` : ""}`,
            ]
          : []),
      ]
      return { text: lines.join("\n"), structured: s }
    },
  })
}
