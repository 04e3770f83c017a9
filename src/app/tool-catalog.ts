/**
 * @module app/tool-catalog
 * The orchestrator's own MCP tools as documented (docs/tools.md, /openapi.json): one list, built
 * from the same ToolDef factories the server uses, so docs cannot drift from what is served.
 */
import { createToolkitDriver } from "../docker/index.ts"
import { toolkitTools } from "../manage/index.ts"
import { statusTool, type Status, type ToolDef } from "../mcp/index.ts"
import { callToolTool } from "../mcp/tools/call-tool.ts"
import { describeToolsTool } from "../mcp/tools/describe-tools.ts"
import { createRunCodeTool, RUN_CODE_DEFAULT_LIMITS } from "../mcp/tools/run-code.ts"
import { searchToolsTool } from "../mcp/tools/search-tools.ts"

const notServing = (): Promise<Status> => Promise.reject(new Error("documentation instance: not serving"))

/** Every own tool, in documentation order. Handlers of this instance are never called. */
export function documentedTools(): ToolDef[] {
  const noCatalog = () => Promise.reject(new Error("documentation instance: not serving"))
  // the meta-tools of the expose modes (proxy.expose, toolsets): search, describe, call, code
  const meta = [
    searchToolsTool(noCatalog),
    describeToolsTool(noCatalog),
    callToolTool(),
    createRunCodeTool({ limits: RUN_CODE_DEFAULT_LIMITS, call: noCatalog, search: () => [], reachable: () => [] }),
  ]
  return [statusTool(notServing), ...meta, ...toolkitTools(createToolkitDriver({}))] as ToolDef[]
}
