/**
 * A warm start answers its first lists from the lists stored in an earlier run; Cursor keeps that
 * answer for the whole session. A server updated since under the same definition (`npx pkg@latest`,
 * a rebuilt image: here a wrapper reading its tool names from a file) may no longer have a tool or
 * prompt of that answer once it lists anew. Calling it then says so, and what the server has now,
 * instead of a bare "Unknown tool" the model reads as its own typo (proxy/stored-names). The compiled
 * binary with the SDK Client; no clocks: conditions polled.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const NAMED = join(ROOT, "test", "fixtures", "servers", "named-tools-server.ts")
const text = (r: unknown): string => ((r as { content?: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? "").join("\n")

test("a tool and a prompt of the stored list the server no longer has: the call says so, with what it has now", async () => {
  const env = sandboxEnv()
  const home = env.HOME!
  const names = join(home, "names")
  const cfg = join(home, "config.yaml")
  writeFileSync(names, "a,b")
  const run = `exec '${process.execPath}' '${NAMED}' --tools $(cat '${names}') --prompts $(cat '${names}') --label x`
  writeFileSync(cfg, ["toolkit:", '  enabled: "off"', "servers:", "  x:", "    command: /bin/sh", `    args: ["-c", ${JSON.stringify(run)}]`, ""].join("\n"))

  const first = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await first.client.listTools()).tools.map((t) => t.name)).toContain("x__b")
    expect((await first.client.listPrompts()).prompts.map((p) => p.name)).toContain("x__b")
  } finally {
    await first.close()
  }

  // the server's new version: b is gone, c is new (the same definition: the stored lists answer)
  writeFileSync(names, "a,c")
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("x__b")
    expect((await c.client.listPrompts()).prompts.map((p) => p.name)).toContain("x__b")
    // a call starts it; its live list comes in (c found) in a while
    expect(text(await c.client.callTool({ name: "x__a", arguments: {} }))).toBe("x:a {}")
    let found = ""
    for (let i = 0; i < 500 && !found.includes("x__c"); i++) {
      found = text(await c.client.callTool({ name: "search_tools", arguments: { query: "x tool c" } }))
      if (!found.includes("x__c")) await Bun.sleep(20)
    }
    expect(found).toContain("x__c")

    const gone = text(await c.client.callTool({ name: "call_tool", arguments: { name: "x__b", arguments: {} } }))
    expect(gone).toContain("Unknown tool: x__b (server x no longer lists b (it was in its list stored from an earlier run")
    expect(gone).toContain("its tools now: x__a, x__c")
    // a name it never had stays a plain unknown tool
    expect(text(await c.client.callTool({ name: "call_tool", arguments: { name: "x__zzz", arguments: {} } }))).not.toContain("no longer lists")

    let prompt = ""
    for (let i = 0; i < 500 && !prompt.includes("no longer lists"); i++) {
      prompt = await c.client.getPrompt({ name: "x__b" }).then(
        () => "answered",
        (e: unknown) => String(e),
      )
      if (!prompt.includes("no longer lists")) await Bun.sleep(20)
    }
    expect(prompt).toContain("Unknown prompt: x__b (server x no longer lists b (it was in its list stored from an earlier run")
    expect(prompt).toContain("its prompts now: x__a, x__c")
  } finally {
    await c.close()
  }
}, 90_000)
