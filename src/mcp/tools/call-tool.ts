/**
 * @module mcp/tools/call-tool
 * `call_tool`: calls any tool this connection may reach by its exposed name, including tools that
 * appeared after the client listed (a Toolkit server enabled mid-session, a slow server). Declared
 * here (schema, docs); served by the face itself (mcp/server.ts), because its result must be
 * exactly the target's result — same bytes, same route hooks, pins, filters, timeouts and limits —
 * not a result the orchestrator writes.
 */
import { z } from "zod"
import { defineTool, type ToolDef } from "../tool-def.ts"

export const CALL_TOOL_NAME = "call_tool"

export const CallToolInput = z
  .object({
    name: z.string().min(1).max(200).describe("server__tool, from search_tools"),
    arguments: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()

/**
 * call_tool's arguments with `arguments` given as the JSON text of an object (`"{\"path\":\"a\"}"`,
 * what a model that encodes nested JSON twice sends) read as that object; anything else as it came
 * (a string that is not an object's JSON is refused by CallToolInput, naming it).
 */
export function decodedArguments(args: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const inner = args?.arguments
  if (typeof inner !== "string" || !inner.trimStart().startsWith("{")) return args
  let parsed: unknown
  try {
    parsed = JSON.parse(inner)
  } catch {
    return args
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return args
  return { ...args, arguments: parsed }
}

export function callToolTool(): ToolDef {
  return defineTool({
    name: CALL_TOOL_NAME,
    title: "Call a tool",
    description: "Call a tool of the connected servers by name (from search_tools) with its arguments; returns that tool's result.",
    input: CallToolInput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    example: { input: { name: "memory__read_graph", arguments: {} } },
    answerExample: (tool) => ({ name: tool, arguments: {} }),
    errors: [],
    handler() {
      // never reached: the face serves call_tool by routing to the named tool (mcp/server.ts)
      return Promise.reject(new Error("call_tool is served by the MCP face"))
    },
  }) as unknown as ToolDef
}
