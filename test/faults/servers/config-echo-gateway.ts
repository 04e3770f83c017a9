/**
 * @module test/faults/servers/config-echo-gateway
 * A stand-in for `docker mcp gateway run` (through FAKE_DOCKER_GATEWAY_CMD) whose one server is
 * careless with its configuration: tool `connect` fails quoting the config it was given, as a
 * database server does with its connection URL. It reads that config the way the gateway does, from
 * the Toolkit (`docker mcp profile config --get-all -- default` on the fake docker in PATH).
 * Tool `whoami`, prompt `debug` and resource `debug://env` echo secrets the gateway would inject from
 * `docker mcp secret set` (values the orchestrator never sees: `DOCKER_KEPT`), as a server printing
 * its environment or its HTTP client's request does.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"

const s = new McpServer({ name: "Docker AI MCP Gateway", version: "2.0.1" })
s.tool("connect", "Connect to the configured database", {}, async () => {
  const p = Bun.spawnSync(["docker", "mcp", "profile", "config", "--get-all", "--", "default"], { stdout: "pipe", stderr: "pipe" })
  const config = p.stdout.toString().trim()
  return { isError: false, content: [{ type: "text" as const, text: `could not connect; my configuration is:\n${config}` }] }
})
/** Imported by test/faults/secrets-toolkit-config.test.ts (the server starts only when run). */
export const DOCKER_KEPT = {
  github: "ghp_Q7xK2mV9pL4wR8tY1nB6cZ3hJ5fD0sA2eG7u",
  jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJnYXRld2F5LXVzZXIifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi14eXo",
  bearer: "k8Hq2Lw9Zr4Tx7Vn3Bp6",
}
const dump = `env: GITHUB_PERSONAL_ACCESS_TOKEN=${DOCKER_KEPT.github}\nsession ${DOCKER_KEPT.jwt}\nrequest header Authorization: Bearer ${DOCKER_KEPT.bearer}\nuser: octocat`
s.tool("whoami", "Who the server acts as", {}, async () => ({ content: [{ type: "text" as const, text: dump }] }))
s.prompt("debug", "The server's debug state", async () => ({ messages: [{ role: "user" as const, content: { type: "text" as const, text: dump } }] }))
s.resource("env", "debug://env", async (uri) => ({ contents: [{ uri: uri.href, text: dump }] }))
if (import.meta.main) await s.connect(new StdioServerTransport())
