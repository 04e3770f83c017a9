/**
 * @module test/faults/servers/config-echo-gateway
 * A stand-in for `docker mcp gateway run` (through FAKE_DOCKER_GATEWAY_CMD) whose one server is
 * careless with its configuration: tool `connect` fails quoting the config it was given, as a
 * database server does with its connection URL. It reads that config the way the gateway does, from
 * the Toolkit (`docker mcp profile config --get-all -- default` on the fake docker in PATH).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"

const s = new McpServer({ name: "Docker AI MCP Gateway", version: "2.0.1" })
s.tool("connect", "Connect to the configured database", {}, async () => {
  const p = Bun.spawnSync(["docker", "mcp", "profile", "config", "--get-all", "--", "default"], { stdout: "pipe", stderr: "pipe" })
  const config = p.stdout.toString().trim()
  return { isError: false, content: [{ type: "text" as const, text: `could not connect; my configuration is:\n${config}` }] }
})
await s.connect(new StdioServerTransport())
