/**
 * @module app/tool-catalog
 * The orchestrator's own MCP tools as documented (docs/tools.md, /openapi.json): one list, built
 * from the same ToolDef factories the server uses, so docs cannot drift from what is served.
 */
import { createToolkitDriver } from "../docker/index.ts"
import { toolkitTools } from "../manage/index.ts"
import { statusTool, type Status, type ToolDef } from "../mcp/index.ts"

const notServing = (): Promise<Status> => Promise.reject(new Error("documentation instance: not serving"))

/** Every own tool, in documentation order. Handlers of this instance are never called. */
export function documentedTools(): ToolDef[] {
  return [statusTool(notServing), ...toolkitTools(createToolkitDriver({}))] as ToolDef[]
}
