/**
 * @module mcp
 * Our MCP server face: SDK Server per connection, own tools, proxied tools, stdio fast lane.
 */
export { createMcpFace, type FaceServices, type McpFace, type McpFaceDeps, type PromptSource } from "./server.ts"
export { FastLaneTransport } from "./fast-lane.ts"
export { LineStdioServerTransport, processIO, type LineIO, type StdinHandover } from "./stdio-transport.ts"
export { OwnTools, toJsonSchema } from "./own-tools.ts"
export { toolErrorResult, toRpcError } from "./error-map.ts"
export { defineTool, type ToolDef, type ToolContext, type ToolOutput } from "./tool-def.ts"
export { statusTool, StatusSchema, type Status } from "./tools/status.ts"
export { describeArgs } from "./usage.ts"
export { FaceServer } from "./face-server.ts"
