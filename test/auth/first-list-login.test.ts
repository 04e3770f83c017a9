/**
 * A remote server that needs an OAuth login, in the first tools/list (Cursor keeps it for the whole
 * session): its tools are not there, and the list must say why and how to get them. search_tools'
 * description names it as waiting for a login with the exact command (with the `--config` this run
 * uses); so do search_tools' "Not searched" note and describe_tools. Before, the description said
 * only "starting or down". A real authorization server (oidc-provider) and the compiled binary.
 */
import { expect, test } from "bun:test"
import { sandbox, started, textOf } from "./helpers.ts"

const { world, serve } = started()

test("the first list names the server waiting for a login and the command that logs in", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  const c = await serve(sb)
  const login = `mcp-orchestrator auth login remote --config ${sb.configPath}`
  const tools = (await c.client.listTools()).tools
  expect(tools.some((t) => t.name.startsWith("remote__"))).toBe(false)
  const d = tools.find((t) => t.name === "search_tools")!.description!
  expect(d).toContain(`remote (waiting for a login: run \`${login}\`)`)
  const found = await c.client.callTool({ name: "search_tools", arguments: { query: "who am i" } })
  expect(textOf(found)).toContain(login)
  const described = await c.client.callTool({ name: "describe_tools", arguments: { names: ["remote__whoami"] } })
  expect(textOf(described)).toContain(login)
}, 90_000)
