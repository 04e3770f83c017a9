/**
 * A call of a name of a server that is up and has not answered its tools/list yet (a slow remote, a
 * slow page: past `proxy.listWait`, so the first answer went without its tools) waits for that
 * listing within the call's own timeout, then routes — a direct tools/call, call_tool and run_code's
 * tools["…"] alike — or, when the list lacks the name, says what the server lists. Before, every such
 * call failed at once ("call it again once it has listed"), though the tool existed: Cursor, which
 * never re-lists, got an error for a name search_tools had just taught the model. The compiled binary
 * with the SDK Client; list-gate-server holds tools/list until a file appears, and the gate opens
 * once the binary logs that the calls wait: nothing is timed. firstListWait is as short as listWait:
 * a first start ever would otherwise hold the first answer for its first page (proxy/first-start).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const WAITS = "call waits for its server's tools/list"

beforeAll(ensureBuilt, 120_000)

type Text = { content: { type: string; text: string }[]; isError?: boolean }

/** Resolves once `stderr` holds `count` lines saying a call waits for the listing. */
async function waiting(stderr: () => string, count: number): Promise<void> {
  while (stderr().split(WAITS).length - 1 < count) await Bun.sleep(20)
}

describe("a call of a name of a server still listing", () => {
  for (const expose of ["all", "search", "code"]) {
    test(`waits for the listing, then routes or names what it lists (proxy.expose: ${expose})`, async () => {
      const env = sandboxEnv()
      const gate = join(env.HOME!, "gate")
      const cfg = join(env.HOME!, "config.yaml")
      writeFileSync(
        cfg,
        ["toolkit:", '  enabled: "off"', "proxy:", "  listWait: 300", "  firstListWait: 300", `  expose: ${expose}`, "servers:", "  held:", `    command: ${JSON.stringify(process.execPath)}`, `    args: [${JSON.stringify(GATE_SERVER)}, "--paged", "--gate", ${JSON.stringify(gate)}]`, ""].join("\n"),
      )
      const c = await connectBinary(["serve", "--config", cfg], env)
      try {
        const first = (await c.client.listTools()).tools
        expect(first.some((t) => t.name.startsWith("held__"))).toBe(false)
        // three calls made while held's tools/list is held
        const call = (tool: string, args: Record<string, unknown>): Promise<Text> =>
          (expose === "code"
            ? c.client.callTool({ name: "run_code", arguments: { code: `return await tools[${JSON.stringify(tool)}](${JSON.stringify(args)})` } })
            : c.client.callTool({ name: "call_tool", arguments: { name: tool, arguments: args } })) as Promise<Text>
        const calls: Promise<Text>[] = [
          call("held__echo", { message: "via call_tool" }),
          call("held__nope", {}),
          expose === "code" ? call("held__echo", { message: "direct" }) : (c.client.callTool({ name: "held__echo", arguments: { message: "direct" } }) as Promise<Text>),
        ]
        await waiting(c.stderr, 3)
        writeFileSync(gate, "")
        const [viaCallTool, nope, third] = (await Promise.all(calls)) as [Text, Text, Text]
        expect(viaCallTool.isError).toBeFalsy()
        expect(JSON.stringify(viaCallTool.content)).toContain("via call_tool")
        expect(JSON.stringify(third.content)).toContain("direct")
        expect(third.isError).toBeFalsy()
        // not in the list that came in: what the server lists, not "call it again once it has listed"
        expect(nope.isError).toBe(true)
        expect(nope.content[0]!.text).toContain("Unknown tool: held__nope")
        expect(nope.content[0]!.text).toContain("server held has listed its tools and has no nope; its tools: ")
        expect(nope.content[0]!.text).toContain("held__held_alpha")
        expect(nope.content[0]!.text).not.toContain("has not answered its tools/list")
      } finally {
        await c.close()
      }
    }, 90_000)
  }
})
