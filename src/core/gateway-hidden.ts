/**
 * @module core/gateway-hidden
 * The gateway's own dynamic tools (feature `dynamic-tools`, on by default since v0.26;
 * pkg/gateway/dynamic_mcps.go) that are hidden: `mcp-exec` and `code-mode` call any gateway tool
 * by name, past toolkit.tools and the tool pins; `mcp-add`, `mcp-remove`, `mcp-config-set`,
 * `mcp-create-profile` and `mcp-activate-profile` change servers, config and profiles without the
 * confirmation server_enable and config_set ask. The orchestrator's own tools do all of that.
 * `mcp-find` (read-only) stays. The gateway's session denies them, and toolkit_tools_list leaves
 * them out, so the model is never shown a tool it cannot call.
 */
export const GATEWAY_HIDDEN_TOOLS: readonly string[] = ["mcp-exec", "code-mode", "mcp-add", "mcp-remove", "mcp-config-set", "mcp-create-profile", "mcp-activate-profile"]
