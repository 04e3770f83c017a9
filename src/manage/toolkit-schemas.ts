/**
 * @module mcp/tools/toolkit-schemas
 * Input and output zod schemas of the Toolkit management tools, plus the slim projections the
 * tools return (models get names, descriptions and what setup a server needs, not whole catalogs).
 */
import { z } from "zod"
import { TOOLKIT_SERVER_RE, CONFIG_KEY_RE, LeftOutSchema, type CatalogServer, type Inspect } from "../docker/index.ts"
import { cutText } from "../core/index.ts"

export const ServerNameInput = z.string().regex(TOOLKIT_SERVER_RE, "a catalog server name such as `duckduckgo`: 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit (no spaces, slashes, quotes or look-alike letters from other scripts; catalog_search gives the exact names)").describe("Server name as listed by catalog_search")

export const CatalogSearchInput = z.strictObject({
  query: z.string().max(200).describe("Words to look for (filler words such as the, for, server are skipped; plural and -ing/-ed forms match). Servers matching more words come first; one matching under half of them (or not both of two) is left out; empty lists all"),
  limit: z.number().int().min(1).max(100).default(10).describe("Maximum number of servers to return"),
})
export const NameInput = z.strictObject({ name: ServerNameInput })
/** Characters of a description in a list answer; a title, tag or category gets less. */
export const MAX_LIST_DESCRIPTION = 300
/** Bytes of configuration schemas a server_inspect answer holds. */
export const MAX_CONFIG_BYTES = 16 * 1024
/** Tools one answer lists at most (toolkit_tools_list, server_inspect); `offset` pages on. */
export const MAX_LIST_TOOLS = 100
const OffsetInput = z.number().int().min(0).max(1_000_000).default(0).describe(`Skip this many tools: an answer lists at most ${MAX_LIST_TOOLS} and says the offset of the next page`)
export const ToolsListInput = z.strictObject({ offset: OffsetInput })
export const InspectInput = z.strictObject({ name: ServerNameInput, offset: OffsetInput })
export const EmptyInput = z.strictObject({})
export const ConfigGetInput = z.strictObject({ server: ServerNameInput.optional().describe("Server name as listed by servers_list; omit it for every server's configuration, one block per server") })
export const ConfigSetInput = z.strictObject({
  server: ServerNameInput,
  key: z.string().regex(CONFIG_KEY_RE, "a config key such as `paths` or `auth.username`: 1-128 of A-Z a-z 0-9 _ . - starting with a letter, digit or _ (no spaces, `=` or other characters; server_inspect lists a server's keys)").describe("Config key; dots nest"),
  // a flat anyOf (no recursive $ref) so every client can read the schema
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())]).describe("Any JSON value (string, number, boolean, array, object)"),
})

export const SearchHitSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  type: z.string().optional(),
  category: z.string().optional(),
  tags: z.array(z.string()).optional(),
  tools: z.number().describe("Number of tools the catalog lists (0 when unknown/dynamic)"),
  needsSecrets: z.boolean(),
  needsConfig: z.boolean(),
})
/** Present only when the answer is partial: entries of the Toolkit's output this orchestrator could not read were left out. */
export const LeftOutField = LeftOutSchema.optional().describe("Only on a partial answer: entries of the Toolkit's output left out (a shape this orchestrator does not read) or read in part (a name that is no UTF-8), of which command and CLI, and what makes the answer whole")

export const CatalogSearchOutput = z.object({ query: z.string(), count: z.number(), servers: z.array(SearchHitSchema), leftOut: LeftOutField })

export const ServersOutput = z.object({
  servers: z.array(
    z.object({
      name: z.string(),
      description: z.string().optional(),
      profile: z.string().optional(),
      secrets: z.string().optional(),
      config: z.string().optional(),
      oauth: z.string().optional(),
      tools: z.array(z.string()).nullable().optional().describe("Enabled tools (profiles era); null = all"),
    }),
  ),
  leftOut: LeftOutField,
})

export const MAX_README = 8 * 1024
export const InspectOutput = z.object({
  name: z.string(),
  description: z.string().optional(),
  tools: z.array(z.object({ name: z.string(), description: z.string().optional(), enabled: z.boolean().optional() })).describe(`At most ${MAX_LIST_TOOLS} tools from \`offset\`, descriptions cut at ${MAX_LIST_DESCRIPTION} characters`),
  toolCount: z.number().optional().describe("Number of tools the server has (when the answer does not list them all)"),
  nextOffset: z.number().optional().describe("Only when more tools follow: the offset of the next page"),
  readme: z.string().describe(`Server readme (markdown), cut at ${MAX_README} bytes`),
  config: z.array(z.record(z.string(), z.unknown())).optional().describe(`JSON schemas of the server's configuration (at most ${MAX_CONFIG_BYTES} bytes of them)`),
  secrets: z.array(z.object({ name: z.string(), env: z.string().optional() })).optional(),
  cut: z.array(z.string()).optional().describe("What this bounded answer left out or shortened, and how to see it"),
  leftOut: LeftOutField,
})

export const MutationOutput = z.object({
  server: z.string(),
  era: z.enum(["legacy", "profiles"]),
  profile: z.string().nullable(),
  missingConfig: z.array(z.string()).optional().describe("server_enable: required config keys of the server that are not set yet (set them with config_set)"),
  missingSecrets: z.array(z.string()).optional().describe("server_enable: secrets the server's catalog entry declares that are not stored (names only; the user sets each with `docker mcp secret set NAME`)"),
  unchanged: z.literal(true).optional().describe("server_enable: the server was already enabled (in the profile); nothing was changed"),
  dropped: z.array(z.string()).optional().describe("Legacy era: other servers the Toolkit CLI removed from its enabled list with this change (it keeps only servers its catalog lists)"),
})

export const ToolsOutput = z.object({
  count: z.number().describe("Number of tools the gateway exposes"),
  tools: z.array(z.object({ name: z.string(), description: z.string().optional() })).describe(`At most ${MAX_LIST_TOOLS} tools from \`offset\`, descriptions cut at ${MAX_LIST_DESCRIPTION} characters`),
  nextOffset: z.number().optional().describe("Only when more tools follow: the offset of the next page"),
  leftOut: LeftOutField,
})
export const ConfigGetOutput = z.object({
  server: z.string().optional().describe("The server asked for (absent when every server's configuration was asked for)"),
  config: z.record(z.string(), z.unknown()).optional().describe("The server's values; values of secret-looking keys and credentials in URLs are [REDACTED]"),
  servers: z.record(z.string(), z.record(z.string(), z.unknown())).optional().describe("Without `server`: every server's values, by server name, masked the same way"),
  hidden: z.array(z.string()).optional().describe("Keys whose values (or part of them) are [REDACTED] (`server.key` without `server`); the user reads them with `docker mcp`"),
  enabled: z.literal(false).optional().describe("Present when the server is not enabled (the answer's text says whether the catalog has it)"),
  leftOut: LeftOutField,
})
export type ConfigGetOut = z.output<typeof ConfigGetOutput>
export type MutationOutputT = z.output<typeof MutationOutput>
export const SecretsOutput = z.object({ secrets: z.array(z.object({ name: z.string(), provider: z.string().optional() })), leftOut: LeftOutField })
export const ToolkitStatusOutput = z.object({
  available: z.boolean(),
  era: z.enum(["legacy", "profiles"]).nullable(),
  generation: z.enum(["A", "B", "C"]).nullable(),
  version: z.string().nullable(),
  profile: z.string().nullable(),
  ignoredProfile: z.string().optional().describe("toolkit.profile as configured, which this legacy-era CLI ignores (it has no profiles)"),
  detectedBy: z.string().optional().describe("How the era was decided: the version, or what the CLI did when the version could not tell"),
  error: z.object({ code: z.string(), message: z.string(), remedy: z.string().optional() }).optional(),
})

/**
 * A catalog or profile string as one entry of a list answer (catalog_search, servers_list): cut at
 * `max` characters with `...`. The Toolkit's strings have no bound: one server's description of a
 * few KB in a profile of hundreds made servers_list answer half a megabyte.
 */
export function listText(s: string | undefined, max = MAX_LIST_DESCRIPTION): string | undefined {
  return s !== undefined && s.length > max ? `${cutText(s, max - 3)}...` : s
}
const MAX_LIST_LABEL = 100
const MAX_LIST_TAGS = 20

export function searchHit(s: CatalogServer): z.infer<typeof SearchHitSchema> {
  return {
    name: s.name,
    title: listText(s.title, MAX_LIST_LABEL),
    description: listText(s.description),
    type: s.type,
    category: listText(s.category, MAX_LIST_LABEL),
    tags: s.tags?.slice(0, MAX_LIST_TAGS).map((t) => listText(t, MAX_LIST_LABEL) as string),
    tools: s.tools?.length ?? 0,
    needsSecrets: (s.secrets?.length ?? 0) > 0,
    needsConfig: (s.config ?? []).some((c) => Array.isArray(c.required) && c.required.length > 0),
  }
}

const MAX_SECRETS = 50
/** Characters of a tool name in a list answer (a name longer than any client accepts is still shown, cut). */
const MAX_LIST_NAME = 256

/** One tool as an entry of a list answer: name and description cut (listText). */
export function toolEntry<T extends { name: string; description?: string | undefined }>(t: T): T {
  return { ...t, name: listText(t.name, MAX_LIST_NAME) as string, description: listText(t.description) }
}

/**
 * A page of a tool list: at most MAX_LIST_TOOLS from `offset`, each entry cut (toolEntry), with the
 * offset of the next page when more follow. A server or gateway of hundreds of tools with long
 * descriptions answered megabytes to the model.
 */
export function toolsPage<T extends { name: string; description?: string | undefined }>(all: readonly T[], offset: number): { tools: T[]; nextOffset?: number } {
  const tools = all.slice(offset, offset + MAX_LIST_TOOLS).map(toolEntry)
  const end = offset + tools.length
  return end < all.length ? { tools, nextOffset: end } : { tools }
}

/** What a page leaves out, as a sentence (empty when it shows every tool): which ones it shows and how to see the others. */
export function pageNote(total: number, offset: number, shown: number, nextOffset: number | undefined, again: string): string {
  if (offset === 0 && nextOffset === undefined) return ""
  if (shown === 0) return `No tools from offset ${offset}: there are ${total}.`
  const range = `tools ${offset + 1}–${offset + shown} of ${total} shown`
  return nextOffset === undefined ? `${range}.` : `${range}; ${total - nextOffset} more: call ${again} with offset ${nextOffset}.`
}

export function inspectView(name: string, i: Inspect, offset = 0): z.infer<typeof InspectOutput> {
  const cut: string[] = []
  const readme = Buffer.byteLength(i.readme) > MAX_README ? `${cutUtf8(i.readme, MAX_README)}\n…(truncated)` : i.readme
  if (readme !== i.readme) cut.push(`readme cut at ${MAX_README} bytes (of ${Buffer.byteLength(i.readme)})`)
  const page = toolsPage(i.tools.map((t) => ({ name: t.name, description: t.description, enabled: t.enabled })), offset)
  const note = pageNote(i.tools.length, offset, page.tools.length, page.nextOffset, `server_inspect (name "${name}")`)
  if (note) cut.push(note)
  let config = i.config
  if (config) {
    let bytes = 0
    const kept = config.filter((c) => (bytes += JSON.stringify(c).length) <= MAX_CONFIG_BYTES)
    if (kept.length < config.length) cut.push(`${config.length - kept.length} of ${config.length} configuration schemas left out (over ${MAX_CONFIG_BYTES} bytes); \`docker mcp catalog server inspect\` shows them all`)
    config = kept
  }
  const secrets = i.secrets?.slice(0, MAX_SECRETS).map((s) => ({ name: listText(s.name, MAX_LIST_NAME) as string, env: listText(s.env, MAX_LIST_NAME) }))
  if (i.secrets && i.secrets.length > MAX_SECRETS) cut.push(`${i.secrets.length - MAX_SECRETS} of ${i.secrets.length} secrets left out`)
  return {
    name: i.name ?? name,
    description: listText(i.description, MAX_README),
    tools: page.tools,
    ...(note ? { toolCount: i.tools.length } : {}),
    ...(page.nextOffset !== undefined ? { nextOffset: page.nextOffset } : {}),
    readme,
    config,
    secrets,
    ...(cut.length ? { cut } : {}),
  }
}

/** The first `max` bytes of `s` as UTF-8, ending on a whole character (a cut inside one decoded as U+FFFD). */
function cutUtf8(s: string, max: number): string {
  const b = Buffer.from(s)
  let end = Math.min(max, b.length)
  // b[end] is the first byte left out: a continuation byte means the character began before the cut
  while (end > 0 && end < b.length && ((b[end] as number) & 0xc0) === 0x80) end--
  return b.subarray(0, end).toString("utf8")
}
