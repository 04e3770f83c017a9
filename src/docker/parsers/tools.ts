/**
 * @module docker/parsers/tools
 * `tools ls --format json` (go-sdk ≥ v0.14, mcp-go ≤ v0.13, toolsUrl `arguments` form) and server
 * inspect: legacy `{tools, readme}` (raw ≤ v0.15, with `enabled` ≥ v0.16) or profiles-era
 * `catalog server inspect` (catalog entry + `readmeContent`, the `catalog.Server` under `snapshot.server`).
 */
import { z } from "zod"
import type { KindParser } from "./kind.ts"
import { PolicyIn, ShapeMismatch, TileIn, ToolIn, expect, isRecord, entryName, lenientList, normTile, normTool, noteUnread, oneDocument } from "./common.ts"

/** A tool the driver cannot read is left out and noted; the list fails only when none reads. */
const ToolListIn = lenientList(ToolIn, "tool", true)

function parseTools(value: unknown): unknown {
  // a list, or an object wrapping it (`{"tools": […]}`, the MCP result shape)
  const list = isRecord(value) && "tools" in value ? value.tools : value
  return expect(ToolListIn, list, "a tool list").map((t) => {
    const { enabled: _e, policy: _p, ...tool } = normTool(t)
    return tool
  })
}

export const toolsParser: KindParser = { legacy: parseTools, profiles: parseTools, detect: () => "legacy" }

const LegacyInspectIn = z.looseObject({
  // tools of another type (a new release's count or map of another shape): the readme is still read, the tools said not read
  tools: lenientList(ToolIn, "tool", false).catch([]),
  readme: z.string().nullish().transform((v) => v ?? ""),
  policy: PolicyIn,
})

/** One server's inspect document of either era: legacy `{tools, readme}`, a catalog entry (`snapshot`, `readmeContent`), or a bare `catalog.Server`. */
const isInspect = (v: Record<string, unknown>): boolean =>
  isRecord(v.snapshot) || typeof v.readmeContent === "string" || typeof v.readme === "string" || Array.isArray(v.tools) || (typeof v.name === "string" && ("image" in v || "type" in v || "remote" in v))

/** `{"server": {…}}`, `{"data": {…}}` or `[{…}]`: the one inspect document inside. */
const inspectDocument = (value: unknown): unknown => oneDocument(value, isInspect, "server inspect")

function parseInspectLegacy(value: unknown): unknown {
  value = inspectDocument(value)
  const info = expect(LegacyInspectIn, value, "`server inspect` output ({tools, readme})")
  if (isRecord(value) && value.tools != null && !Array.isArray(value.tools) && info.tools.length === 0) noteUnread("server", { tools: value.tools }, {})
  return { tools: info.tools.map(normTool), readme: info.readme, policy: info.policy }
}

/**
 * `catalog server inspect --format json` (v0.36+): `InspectResult{catalog_next.Server inline,
 * readmeContent}` (pkg/catalog_next/server.go). The catalog entry wraps the `catalog.Server` in
 * `snapshot.server`; its own `tools` is the list of enabled tool *names* (nil = all).
 */
const ProfilesInspectIn = z.looseObject({
  type: z.string().optional().catch(undefined),
  tools: z.array(z.string()).nullish().catch(undefined),
  source: z.string().optional().catch(undefined),
  image: z.string().optional().catch(undefined),
  endpoint: z.string().optional().catch(undefined),
  snapshot: z.looseObject({ server: TileIn.nullish() }).nullish().catch(undefined),
  readmeContent: z.string().nullish().catch(undefined),
  policy: PolicyIn,
})

function parseInspectProfiles(value: unknown): unknown {
  value = inspectDocument(value)
  const entry = expect(ProfilesInspectIn, value, "`catalog server inspect` output (catalog entry with snapshot.server)")
  // A bare `catalog.Server` (a server-entry file, `--server file://…`) has its name inside.
  const bare = !entry.snapshot && isRecord(value) && typeof value.name === "string" ? expect(TileIn, value, "a catalog.Server") : undefined
  const snap = entry.snapshot?.server ?? bare
  if (!snap) throw new ShapeMismatch("`catalog server inspect` output has no snapshot.server (the catalog.Server)")
  const name = entryName(entry, snap)
  // a field of another type than the driver reads (a new release's `tools` as a map or a count) is
  // dropped by the forgiving shape: said, so an empty tool list is not taken for a server without tools
  const raw = value as Record<string, unknown>
  const rawSnap = isRecord(raw.snapshot) ? raw.snapshot.server : bare ? value : undefined
  noteUnread(`server ${JSON.stringify(name ?? "")}`, raw, entry)
  if (rawSnap !== value) noteUnread(`server ${JSON.stringify(name ?? "")} snapshot.server`, rawSnap, snap)
  const tile = normTile(name ?? "", snap)
  const enabled = entry.tools ? new Set(entry.tools) : undefined
  let tools = (tile.tools as Array<Record<string, unknown>> | undefined) ?? []
  // Only names (no snapshot tools): still report them, with a permissive schema.
  if (tools.length === 0 && entry.tools) tools = entry.tools.map((t) => ({ name: t, inputSchema: { type: "object" } }))
  return {
    name: name || undefined,
    description: snap.description,
    tools: tools.map((t) => ({ ...t, ...(enabled && !bare ? { enabled: enabled.has(String(t.name)) } : {}) })),
    readme: entry.readmeContent ?? "",
    config: tile.config,
    secrets: tile.secrets,
    policy: entry.policy ?? snap.policy,
  }
}

function detectInspect(value: unknown): "legacy" | "profiles" | undefined {
  value = inspectDocument(value)
  if (!isRecord(value)) throw new ShapeMismatch("inspect output is an object")
  if ("snapshot" in value || "readmeContent" in value || "type" in value || "image" in value || "endpoint" in value || "source" in value) return "profiles"
  if ("tools" in value || "readme" in value) return "legacy"
  throw new ShapeMismatch("inspect output has `tools`/`readme` (legacy) or a catalog entry with `snapshot.server` (profiles)")
}

export const inspectParser: KindParser = { legacy: parseInspectLegacy, profiles: parseInspectProfiles, detect: detectInspect }
