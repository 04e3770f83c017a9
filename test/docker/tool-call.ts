/**
 * @module test/docker/tool-call
 * Calls one of the model-facing Toolkit tools (manage/toolkit `toolkitTools`) as the MCP face does:
 * its arguments parsed by its own input schema, then its handler, with a context nobody cancels.
 */
import { silentLogger } from "../../src/core/index.ts"
import type { ToolContext, ToolDef } from "../../src/mcp/tool-def.ts"

const ctx: ToolContext = { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }

/** Calls tool `name` of `tools` with `args` (throws when there is no such tool or its schema refuses them). */
export async function call(tools: ToolDef[], name: string, args: unknown) {
  const def = tools.find((t) => t.name === name)!
  return def.handler(def.input.parse(args), ctx)
}
