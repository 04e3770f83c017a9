/**
 * @module mcp
 * Our MCP server face: SDK Server per connection, own tools, proxied tools, stdio fast lane.
 */
export { createMcpFace, type FaceServices, type FirstList, type McpFace, type McpFaceDeps, type PromptSource } from "./server.ts"
export { FastLaneTransport, type StopError } from "./fast-lane.ts"
export { LineStdioServerTransport, processIO, type LineIO, type StdinHandover } from "./stdio-transport.ts"
export { answerOf, batchOverAnswer, HTTP_CLIENTS, isToolResult, oversize, oversizeAnswer, requestTooLarge, type ServerOf } from "./client-limit.ts"
export { OwnTools, toJsonSchema } from "./own-tools.ts"
export { OWN_TOOL_NAMES } from "./own-names.ts"
export { toolErrorResult, toRpcError } from "./error-map.ts"
export { defineTool, type ToolDef, type ToolContext, type ToolOutput } from "./tool-def.ts"
export { statusTool, StatusSchema, type Status } from "./tools/status.ts"
export { describeArgs } from "./usage.ts"
export { FaceServer } from "./face-server.ts"
export { callToolTool, CALL_TOOL_NAME } from "./tools/call-tool.ts"
export { describeToolsTool, DESCRIBE_TOOLS_NAME, type DescribeServers, type ServerNow } from "./tools/describe-tools.ts"
export { createRunCodeTool, runCodeLimits, RUN_CODE_DEFAULT_LIMITS, RUN_CODE_NAME, type RunCodeDeps, type RunCodeLimits } from "./tools/run-code.ts"
export { compactHit, hitLine, searchToolsTool, SEARCH_TOOLS_NAME, type ListedNames, type SearchToolsHit, type ServerWithoutTools } from "./tools/search-tools.ts"
export { callModern, complete, completeModern, isModernBatch, judge, MODERN_BATCH, modernLink, modernRequest, MODERN_VERSION, MRTR_METHODS, mrtrParamsProblem, PROTOCOL_VERSION_KEY, type JsonRpcError, type MrtrParams } from "./modern-lane.ts"
export { ListenRegistry } from "./listen.ts"
export { outgoingNotification, redactOutgoing } from "./error-map.ts"
