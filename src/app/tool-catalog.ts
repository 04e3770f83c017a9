/**
 * @module app/tool-catalog
 * The orchestrator's own MCP tools as documented (docs/tools.md, /openapi.json): one list, built
 * from the same ToolDef factories the server uses, so docs cannot drift from what is served.
 */
import { createToolkitDriver } from "../docker/index.ts"
import { toolkitTools } from "../manage/index.ts"
import { callToolTool, createRunCodeTool, describeToolsTool, RUN_CODE_DEFAULT_LIMITS, searchToolsTool, statusTool, type ToolDef } from "../mcp/index.ts"

const notServing = (): Promise<never> => Promise.reject(new Error("documentation instance: not serving"))

/** Every own tool, in documentation order. Handlers of this instance are never called. */
export function documentedTools(): ToolDef[] {
  // the meta-tools of the expose modes (proxy.expose, toolsets): search, describe, call, code
  const meta = [
    searchToolsTool(notServing),
    describeToolsTool(notServing),
    callToolTool(),
    createRunCodeTool({ limits: RUN_CODE_DEFAULT_LIMITS, call: notServing, search: () => [], reachable: () => [] }),
  ]
  return [statusTool(notServing), ...meta, ...toolkitTools(createToolkitDriver({}))] as ToolDef[]
}
