/**
 * @module manage/clean-output
 * Tool-poisoning defence for what the Toolkit management tools hand the model. Catalog entries,
 * server readmes and the tool descriptions `tools ls` reports are third-party text (community and
 * imported catalogs, a server's repository, the image itself), so every string of a Toolkit tool's
 * result — text and structuredContent, keys too — loses its invisible code points the way a
 * downstream server's definitions do (catalog `stripInvisible`: format characters, tag characters,
 * default-ignorable code points; ordinary emoji kept), with a warning naming the tool.
 */
import { stripInvisible } from "../catalog/index.ts"
import { isRecord } from "../core/index.ts"
import type { ToolContext, ToolDef, ToolOutput } from "../mcp/index.ts"

/** `def` whose results are cleaned of hidden characters before the model sees them. */
export function withCleanOutput(def: ToolDef): ToolDef {
  return {
    ...def,
    handler: async (args, ctx: ToolContext) => {
      const out: ToolOutput = await def.handler(args, ctx)
      const count = { removed: 0 }
      const text = clean(out.text, count) as string
      const structured = out.structured === undefined ? undefined : clean(out.structured, count)
      if (count.removed === 0) return out
      ctx.log.warn(`hidden characters removed from the Toolkit output of ${def.name} (possible tool poisoning)`, { tool: def.name, removed: count.removed })
      return { ...out, text, ...(structured === undefined ? {} : { structured }) }
    },
  }
}

function clean(v: unknown, count: { removed: number }, depth = 0): unknown {
  if (typeof v === "string") {
    const s = stripInvisible(v)
    count.removed += s.removed
    return s.text
  }
  if (depth > 64) return v
  if (Array.isArray(v)) return v.map((x) => clean(x, count, depth + 1))
  if (isRecord(v)) {
    const o: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) o[clean(k, count) as string] = clean(x, count, depth + 1)
    return o
  }
  return v
}
