/**
 * @module mcp/tools/describe-tools
 * `describe_tools`: the full definitions (inputSchema, outputSchema, annotations) of a few tools
 * found with `search_tools`, so a model pays for a schema only when it is about to call the tool.
 */
import { z } from "zod"
import { guessToolNames, type ToolCatalog } from "../../proxy/index.ts"
import { defineTool, type ToolDef } from "../tool-def.ts"

export const DESCRIBE_TOOLS_NAME = "describe_tools"
export const DESCRIBE_MAX = 10

const Described = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
})

/**
 * The definitions as JSON text, one field per line and each value (a schema) compact. Indenting
 * the schemas themselves costs depth × lines: a 110 KB schema nested 3 000 levels became 43 MiB.
 */
function listing(tools: readonly Record<string, unknown>[]): string {
  const one = (t: Record<string, unknown>): string => ` {\n${Object.entries(t).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n")}\n }`
  return `[\n${tools.map(one).join(",\n")}\n]`
}

export function describeToolsTool(catalog: () => Promise<ToolCatalog>): ToolDef {
  return defineTool({
    name: DESCRIBE_TOOLS_NAME,
    title: "Describe tools",
    description: `Full definitions (input/output schemas, annotations) of up to ${DESCRIBE_MAX} tools found by search_tools.`,
    input: z
      .object({ names: z.array(z.string().min(1).max(200)).min(1).max(DESCRIBE_MAX).describe("server__tool names") })
      .strict(),
    output: z.object({ tools: z.array(Described), unknown: z.array(z.string()).optional().describe("Names not reachable here") }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    example: { input: { names: ["memory__read_graph"] } },
    errors: [],
    async handler(args) {
      const cat = await catalog()
      const tools: z.infer<typeof Described>[] = []
      const unknown: string[] = []
      for (const name of [...new Set(args.names)]) {
        const t = cat.get(name)
        if (!t) {
          unknown.push(name)
          continue
        }
        // what the tool is for before its schemas: a long schema does not bury the description
        const d = { name: t.name } as z.infer<typeof Described>
        if (t.title !== undefined) d.title = t.title
        if (t.description !== undefined) d.description = t.description
        d.inputSchema = t.inputSchema as Record<string, unknown>
        if (t.outputSchema !== undefined) d.outputSchema = t.outputSchema as Record<string, unknown>
        if (t.annotations !== undefined) d.annotations = t.annotations as Record<string, unknown>
        tools.push(d)
      }
      const miss = unknown.length ? `Not reachable here: ${unknown.map((n) => withGuess(cat, n)).join(", ")} (find names with search_tools).` : ""
      const text = [tools.length ? listing(tools) : "", miss].filter(Boolean).join("\n")
      return { text, structured: { tools, ...(unknown.length ? { unknown } : {}) }, ...(tools.length === 0 ? { isError: true } : {}) }
    },
  }) as unknown as ToolDef
}

/** `name`, with the exposed names it most likely stands for (at most 3; proxy/name-guess). */
function withGuess(cat: ToolCatalog, name: string): string {
  const list = guessToolNames(name, cat.tools.map((t) => t.name), (e) => cat.route(e)?.tool).slice(0, 3)
  return list.length === 0 ? name : `${name} (did you mean ${list.join(" or ")}?)`
}
