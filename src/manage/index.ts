/**
 * @module manage
 * Management tools exposed over MCP: the Docker MCP Toolkit operations (catalog search, enable,
 * disable, config, secrets, status). Kept out of mcp/ so the protocol face loads without them.
 */
export { notConfirmed, toolkitTools, type Consent, type ToolkitToolsOptions } from "./toolkit.ts"
export * as toolkitSchemas from "./toolkit-schemas.ts"
