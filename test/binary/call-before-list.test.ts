/**
 * A request sent before any tools/list (a client calling a tool it remembers from an earlier
 * session at once) waits only for its own server: a direct tools/call, call_tool, run_code's
 * tools["…"] and prompts/get of a name under a lazy server start that server and route once it has
 * listed; a resources/read of a URI (no server prefix) and a completion of a template reference
 * route once a server lists that URI or template. Before, each waited for the whole first list: a server beside it that never answers its
 * initialize (a first start ever, waited for up to proxy.firstListWait, 50 s here) held the request
 * past this test's timeout. The compiled binary with the SDK Client over stdio, the real
 * server-everything; one orchestrator per request, as each is the first the orchestrator gets.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")

beforeAll(ensureBuilt, 120_000)

type Text = { content: { type: string; text: string }[]; isError?: boolean }

/** Each request, and what its answer contains. */
const cases: [string, (c: Client) => Promise<string>, string][] = [
  ["a direct tools/call", async (c) => JSON.stringify(((await c.callTool({ name: "everything__echo", arguments: { message: "remembered" } })) as Text).content), "remembered"],
  ["call_tool", async (c) => JSON.stringify(((await c.callTool({ name: "call_tool", arguments: { name: "everything__echo", arguments: { message: "remembered" } } })) as Text).content), "remembered"],
  ["run_code's tools[…]", async (c) => JSON.stringify(((await c.callTool({ name: "run_code", arguments: { code: 'return await tools["everything__echo"]({ message: "remembered" })' } })) as Text).content), "remembered"],
  ["prompts/get", async (c) => JSON.stringify(await c.getPrompt({ name: "everything__simple-prompt" })), "This is a simple prompt"],
  // a URI carries no server prefix: it routes once a server lists it (the mute one could not contend sooner)
  ["resources/read", async (c) => JSON.stringify(await c.readResource({ uri: "demo://resource/static/document/features.md" })), "demo://resource/static/document/features.md"],
  ["a resource template's completion", async (c) => JSON.stringify(await c.complete({ ref: { type: "ref/resource", uri: "demo://resource/dynamic/text/{resourceId}" }, argument: { name: "resourceId", value: "7" } })), '"values":["7"]'],
]

describe("a request before any list waits for its own server only", () => {
  for (const [what, send, expected] of cases) {
    test(`${what} answers while a server beside it never finishes its start`, async () => {
      const env = sandboxEnv()
      const cfg = join(env.HOME!, "config.yaml")
      writeFileSync(
        cfg,
        [
          "toolkit:",
          '  enabled: "off"',
          "proxy:",
          // listWait bounds the listing after everything's start (the request needs it: given a loaded
          // machine's time); mute's first start ever is waited for up to firstListWait, capped at
          // 55 s with listWait: 45 s, past this test's timeout, so a request held by it fails
          "  listWait: 10s",
          "  firstListWait: 50s",
          "servers:",
          "  everything:",
          `    command: ${JSON.stringify(process.execPath)}`,
          `    args: [${JSON.stringify(EVERYTHING)}, "stdio"]`,
          "  mute:",
          `    command: ${JSON.stringify(process.execPath)}`,
          `    args: [${JSON.stringify(GATE_SERVER)}, "--no-init"]`,
          "    connectTimeout: 120s",
          "",
        ].join("\n"),
      )
      const c = await connectBinary(["serve", "--config", cfg], env)
      try {
        const answer = await send(c.client)
        expect(answer).toContain(expected)
      } finally {
        await c.close()
      }
    }, 40_000)
  }
})
