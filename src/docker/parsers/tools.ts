/**
 * @module docker/parsers/tools
 * `tools ls --format json` (go-sdk ≥ v0.14, mcp-go ≤ v0.13, toolsUrl `arguments` form) and server
 * inspect: legacy `{tools, readme}` (raw ≤ v0.15, with `enabled` ≥ v0.16) or profiles-era
 * `catalog server inspect` (`catalog.Server` + `readmeContent`).
 */
import { z } from "zod"
import type { KindParser } from "./kind.ts"
import { PolicyIn, ShapeMismatch, TileIn, ToolIn, expect, isRecord, normTile, normTool, nullableList } from "./common.ts"

const ToolsIn = z.union([nullableList(ToolIn), z.looseObject({ tools: nullableList(ToolIn) }).transform((r) => r.tools)])

function parseTools(value: unknown): unknown {
  return expect(ToolsIn, value, "a tool list").map((t) => {
    const { enabled: _e, policy: _p, ...tool } = normTool(t)
    return tool
  })
}

export const toolsParser: KindParser = { legacy: parseTools, profiles: parseTools, detect: () => "legacy" }

const LegacyInspectIn = z.looseObject({
  tools: nullableList(ToolIn),
  readme: z.string().nullish().transform((v) => v ?? ""),
  policy: PolicyIn,
})

function parseInspectLegacy(value: unknown): unknown {
  const info = expect(LegacyInspectIn, value, "`server inspect` output ({tools, readme})")
  return { tools: info.tools.map(normTool), readme: info.readme, policy: info.policy }
}

const ProfilesInspectIn = TileIn.extend({ readmeContent: z.string().nullish().catch(undefined) })

function parseInspectProfiles(value: unknown): unknown {
  const s = expect(ProfilesInspectIn, value, "`catalog server inspect` output (catalog.Server)")
  const tile = normTile(s.name ?? "", s)
  return {
    name: s.name,
    description: s.description,
    tools: tile.tools ?? [],
    readme: s.readmeContent ?? "",
    config: tile.config,
    secrets: tile.secrets,
    policy: s.policy,
  }
}

function detectInspect(value: unknown): "legacy" | "profiles" | undefined {
  if (!isRecord(value)) throw new ShapeMismatch("inspect output is an object")
  if ("readmeContent" in value || "name" in value || "type" in value || "image" in value) return "profiles"
  if ("tools" in value || "readme" in value) return "legacy"
  throw new ShapeMismatch("inspect output has `tools`/`readme` (legacy) or catalog.Server fields (profiles)")
}

export const inspectParser: KindParser = { legacy: parseInspectLegacy, profiles: parseInspectProfiles, detect: detectInspect }
