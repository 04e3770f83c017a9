/**
 * describe_tools of a name whose server is up and has not answered its tools/list yet (slower than
 * the first answer's wait) waits for that listing, bounded by proxy.listWait, then describes it.
 * Before, it answered at once that no definition was known, though a call of the same name waits
 * for the listing and routes (test/binary/call-while-listing.test.ts): the model, told to describe
 * before calling, gave up on a tool search_tools had just found. The compiled binary with the SDK
 * Client; list-gate-server holds tools/list until a file appears, and the gate opens once the binary
 * logs that describe_tools waits: nothing is timed.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const WAITS = "waiting for the tools/list of servers whose tools were asked for"

beforeAll(ensureBuilt, 120_000)

type Text = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: { tools: { name: string }[]; unknown?: string[] } }

test("describe_tools of a name of a server still listing waits for that listing, then describes it", async () => {
  const env = sandboxEnv()
  const gate = join(env.HOME!, "gate")
  const cfg = join(env.HOME!, "config.yaml")
  // listWait bounds the first list's wait (it goes without held's tools) and describe_tools' wait
  // (held's listing once the gate opens: two pages, given a loaded machine's time)
  writeFileSync(
    cfg,
    ["toolkit:", '  enabled: "off"', "proxy:", "  listWait: 10000", "  firstListWait: 10000", "  expose: search", "servers:", "  held:", `    command: ${JSON.stringify(process.execPath)}`, `    args: [${JSON.stringify(GATE_SERVER)}, "--paged", "--gate", ${JSON.stringify(gate)}]`, ""].join("\n"),
  )
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    await c.client.listTools()
    const described = c.client.callTool({ name: "describe_tools", arguments: { names: ["held__echo", "held__nope"] } }) as Promise<Text>
    let answered = false
    void described.finally(() => (answered = true))
    // (without the wait, the answer comes first and lacks the definition)
    while (!answered && !c.stderr().includes(WAITS)) await Bun.sleep(20)
    writeFileSync(gate, "")
    const r = await described
    expect(r.isError).toBeFalsy()
    expect(r.structuredContent!.tools.map((t) => t.name)).toEqual(["held__echo"])
    // a name the listing lacks is still not reachable, saying so
    expect(r.structuredContent!.unknown).toEqual(["held__nope"])
  } finally {
    await c.close()
  }
}, 90_000)
