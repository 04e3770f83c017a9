/**
 * describe_tools of names under servers that are not serving (QA 18), each state in its words: the
 * server named, its state and cause, and what to do; a tool known from before the server went down
 * is given with that note; a tool its server lists with a dropped definition says why.
 */
import { expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/index.ts"
import { describeToolsTool, type ServerNow } from "../../src/mcp/tools/describe-tools.ts"
import type { ToolCatalog } from "../../src/proxy/index.ts"

const tools = [{ name: "gh__list_issues", inputSchema: { type: "object" as const } }]
const catalog = async (): Promise<ToolCatalog> =>
  ({ tools, get: (n: string) => tools.find((t) => t.name === n), route: (n: string) => (n === "gh__list_issues" ? { server: "gh", tool: "list_issues" } : undefined), search: () => [] }) as unknown as ToolCatalog

/** `passthrough`: proxy.passthrough (exposed names carry no server, no separator). */
async function describe(servers: ServerNow[], names: string[], passthrough = false): Promise<{ text: string; isError?: boolean }> {
  const own = new OwnTools([describeToolsTool(catalog, { servers: () => servers, separator: () => (passthrough ? undefined : "__") })])
  const r = await own.call("describe_tools", { names }, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
  return { text: (r.content[0] as { text: string }).text, ...(r.isError ? { isError: true } : {}) }
}

test("each state, with its cause and what to do", async () => {
  const r = await describe(
    [
      { name: "slow", state: "starting" },
      { name: "cloud", state: "needs-auth" },
      { name: "db", state: "open-circuit", lastError: "server db failed to start: ECONNREFUSED\n  at connect" },
      { name: "off", state: "disabled" },
    ],
    ["slow__a", "cloud__b", "db__c", "off__d", "nope__e"],
  )
  expect(r.isError).toBe(true)
  expect(r.text).toBe(
    [
      "Server slow is still starting. slow__a: no definition is known (the server has not listed its tools in this run, and none is stored); describe it again once the server is up. orchestrator_status shows its state.",
      "Server cloud is waiting for a login (`mcp-orchestrator auth login cloud`). cloud__b: no definition is known (the server has not listed its tools in this run, and none is stored); describe it again once the server is up. orchestrator_status shows its state.",
      "Server db keeps failing and is paused before its next retry: server db failed to start: ECONNREFUSED at connect. db__c: no definition is known (the server has not listed its tools in this run, and none is stored); describe it again once the server is up. orchestrator_status shows its state.",
      "Server off is disabled (servers.off.disabled: true in the config). off__d: no definition is known (the server has not listed its tools in this run, and none is stored); describe it again once the server is up. orchestrator_status shows its state.",
      "Not reachable here: nope__e (find names with search_tools).",
    ].join("\n"),
  )
})

test("a tool of a server that went down: its last known definition, with the server's state", async () => {
  const r = await describe([{ name: "gh", state: "backoff", lastError: "server gh exited with code 1" }], ["gh__list_issues"])
  expect(r.isError).toBeUndefined()
  expect(r.text).toContain('"name": "gh__list_issues"')
  expect(r.text).toEndWith("Server gh failed and is being retried: server gh exited with code 1. The definition above is its last known one (gh__list_issues); calls fail until it is up. orchestrator_status shows its state.")
})

test("a tool whose definition its server lists but was dropped: why, with or without a separator", async () => {
  const servers = [{ name: "bad", state: "ready", dropped: [{ name: "string_schema", why: 'inputSchema type is "string", not "object"' }] }]
  const r = await describe(servers, ["bad__string_schema"])
  expect(r.text).toBe('bad__string_schema: server bad lists it, but its definition was left out of the tool list (inputSchema type is "string", not "object"), so it cannot be called; the server must fix it.')
  const passthrough = await describe(servers, ["string_schema"], true)
  expect(passthrough.text).toStartWith("string_schema: server bad lists it, but its definition was left out")
})
