/**
 * @module mcp/own-names
 * The names of mcp-orchestrator's own tools, whatever a connection's expose mode and whether the
 * Toolkit is in use: the proxy reserves them in its naming table (proxy/surface), so a downstream
 * tool never takes one (with `proxy.separator: "_"`, server `call` + tool `tool` would be
 * `call_tool`): it gets a suffixed name instead, logged. Plain strings, no tool module loaded.
 * test/proxy/reserved-names.test.ts checks the list against the tools' definitions.
 */

/** `orchestrator_status` and the meta-tools (search_tools, describe_tools, call_tool, run_code). */
export const META_TOOL_NAMES: readonly string[] = ["orchestrator_status", "search_tools", "describe_tools", "call_tool", "run_code"]

/** The Docker MCP Toolkit management tools (manage/toolkit). */
export const TOOLKIT_TOOL_NAMES: readonly string[] = [
  "catalog_search",
  "servers_list",
  "server_inspect",
  "toolkit_tools_list",
  "config_get",
  "secrets_list",
  "toolkit_status",
  "server_enable",
  "server_disable",
  "config_set",
]

/** Every own tool name: no downstream tool is exposed under one of these. */
export const OWN_TOOL_NAMES: readonly string[] = [...META_TOOL_NAMES, ...TOOLKIT_TOOL_NAMES]
