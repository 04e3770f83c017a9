/**
 * The meta-tools over real npm servers behind the binary: call_tool gives exactly the direct call's
 * result (JSON-equal: content, structuredContent, isError), search_tools ranks the expected tool
 * first on fixed queries with compact results (no schemas), describe_tools gives full definitions,
 * and a server that comes up after the client listed is reachable through call_tool and found by
 * search_tools.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { EVERYTHING, FAULT } from "../proxy/helpers.ts"
import { call, fleet, names, start, text } from "./helpers.ts"

interface Hit {
  name: string
  description: string
  args: string
  annotations?: Record<string, boolean>
}

describe("meta-tools (expose all)", () => {
  let s: Awaited<ReturnType<typeof start>>
  let fsRoot = ""
  beforeAll(async () => {
    const f = await fleet()
    fsRoot = f.fsRoot
    s = await start({ servers: f.servers })
  }, 60_000)
  afterAll(() => s?.close())

  test("expose all lists every tool plus the meta-tools", async () => {
    // every server up: search_tools' description is the plain one
    expect((await s.client.listTools()).tools.find((t) => t.name === "search_tools")!.description).toEndWith("describe_tools gives full schemas.")
    const listed = await names(s.client)
    for (const n of ["orchestrator_status", "search_tools", "describe_tools", "call_tool", "run_code", "everything__echo", "memory__read_graph", "fs__read_text_file"]) expect(listed).toContain(n)
  })

  test("orchestrator_status counts the own tools this connection lists", async () => {
    const st = (await call(s.client, "orchestrator_status", {})).structuredContent as { tools: { own: number } }
    expect(st.tools.own).toBe((await names(s.client)).filter((n) => !n.includes("__")).length)
  })

  test("call_tool returns exactly what the direct call returns", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["everything__echo", { message: "héllo ✓ \"quoted\"" }],
      ["everything__get-structured-content", { location: "Chicago" }],
      ["everything__get-tiny-image", {}],
      ["everything__get-sum", { a: 2, b: 40 }],
      ["fs__read_text_file", { path: `${fsRoot}/notes.txt` }],
      ["fs__read_text_file", { path: "/outside/of/roots.txt" }],
      ["memory__read_graph", {}],
    ]
    for (const [name, args] of cases) {
      const direct = await call(s.client, name, args)
      const via = await call(s.client, "call_tool", { name, arguments: args })
      expect(JSON.stringify(via)).toBe(JSON.stringify(direct))
    }
    // one of them is the server's own error result: relayed as is, isError included
    const bad = await call(s.client, "call_tool", { name: "fs__read_text_file", arguments: { path: "/outside/of/roots.txt" } })
    expect(bad.isError).toBe(true)
  })

  test("call_tool with bad arguments or an own tool's name is a tool error, not a call", async () => {
    const r = await call(s.client, "call_tool", { arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("Invalid arguments for call_tool")
    const own = await call(s.client, "call_tool", { name: "orchestrator_status" })
    expect(own.isError).toBe(true)
    expect(text(own)).toContain("call orchestrator_status directly")
    const unknown = await call(s.client, "call_tool", { name: "nosuch__tool" })
    expect(unknown.isError).toBe(true)
    expect(text(unknown)).toContain("Unknown tool: nosuch__tool")
  })

  test("a mistyped or unknown name: call_tool, describe_tools and run_code name the tool meant, else say where names are found (QA 13)", async () => {
    // a letter missing, extra or swapped: the closest exposed name, as the other spellings get
    expect(text(await call(s.client, "call_tool", { name: "everything__echoo", arguments: { message: "x" } }))).toBe("[PROTOCOL_ERROR] Unknown tool: everything__echoo (did you mean everything__echo?)")
    expect(text(await call(s.client, "call_tool", { name: "memory__read_grap", arguments: {} }))).toBe("[PROTOCOL_ERROR] Unknown tool: memory__read_grap (did you mean memory__read_graph?)")
    // nothing close: the next step, not a bare "Unknown tool"
    expect(text(await call(s.client, "call_tool", { name: "everything__add", arguments: { a: 1, b: 2 } }))).toBe("[PROTOCOL_ERROR] Unknown tool: everything__add (find names with search_tools)")
    const direct = await s.client.callTool({ name: "fs__raed_file", arguments: {} }).catch((e: Error) => e)
    expect((direct as Error).message).toBe("MCP error -32602: Unknown tool: fs__raed_file (did you mean fs__read_file?)")
    expect(text(await call(s.client, "describe_tools", { names: ["fs__raed_file"] }))).toBe("Not reachable here: fs__raed_file (did you mean fs__read_file?) (find names with search_tools).")
    const rc = await call(s.client, "run_code", { code: "return await tools.everything__echoo({ message: 'x' })" })
    expect(text(rc)).toBe('run_code failed: the script threw Error: tool "everything__echoo" is not reachable from run_code (did you mean tools["everything__echo"]?); find tool names with search(query) (line 1)')
  })

  test("run_code as a model writes it: a dashed name after tools., a missing return, a script cut short (QA 13)", async () => {
    const dashed = await call(s.client, "run_code", { code: "const s = await tools.everything__get-sum({ a: 1, b: 2 })\nreturn s" })
    expect(text(dashed)).toBe(
      `run_code failed: the script threw ReferenceError: 'sum' is not defined (line 1); tools.everything__get-sum is read as a subtraction (tools.everything__get - sum) because the name is not a JavaScript identifier: write tools["everything__get-sum"](args)`,
    )
    const quoted = await call(s.client, "run_code", { code: `return await tools["everything__get-sum"]({ a: 1, b: 2 })` })
    expect(text(quoted)).toContain("3")
    const none = await call(s.client, "run_code", { code: `await tools["everything__get-sum"]({ a: 1, b: 2 })` })
    expect(none.isError).toBeFalsy()
    expect(text(none)).toBe("null (the script returned nothing: `return` the value you want as the result)")
    const cut = await call(s.client, "run_code", { code: "const r = await tools.everything__echo({ message: 'x' })\nreturn r +" })
    expect(text(cut)).toBe(
      "run_code failed: the script threw SyntaxError: the script does not end as it should: a bracket, brace, parenthesis or string is left open, an expression is cut short, or a } too many closes it early (line 2)",
    )
    const col = await call(s.client, "run_code", { code: "return `open" })
    expect(text(col)).toBe("run_code failed: the script threw SyntaxError: Unterminated string literal (column 8) (line 1)")
  })

  test("search_tools ranks the expected tool first on fixed queries", async () => {
    const cases: [string, string][] = [
      ["read the contents of a text file", "fs__read_text_file"],
      ["echo a message back", "everything__echo"],
      ["sum of two numbers", "everything__get-sum"],
      ["create entities in the knowledge graph", "memory__create_entities"],
      ["list files in a directory", "fs__list_directory"],
    ]
    for (const [query, expected] of cases) {
      const r = await call(s.client, "search_tools", { query, limit: 3 })
      const tools = (r.structuredContent as { tools: Hit[] }).tools
      expect({ query, first: tools[0]?.name }).toEqual({ query, first: expected })
    }
  })

  test("search_tools results are compact: summary, hints, argument signature, one text line each, no schemas", async () => {
    const r = await call(s.client, "search_tools", { query: "read file", limit: 5 })
    const tools = (r.structuredContent as { tools: Hit[] }).tools
    expect(tools.length).toBe(5)
    const read = tools.find((t) => t.name === "fs__read_text_file")!
    expect(read.args).toMatch(/^\(path: string(, [a-z]+\?: number)*\)$/)
    expect(read.annotations?.readOnlyHint).toBe(true)
    expect(read.description).not.toContain("\n")
    const lines = text(r).split("\n")
    expect(lines.length).toBe(5)
    expect(lines.find((l) => l.startsWith("fs__read_text_file("))).toContain("[read-only]")
    expect(JSON.stringify(r)).not.toContain("inputSchema")
    // server filter and the default limit
    const only = (await call(s.client, "search_tools", { query: "file", server: "memory" })).structuredContent as { tools: Hit[] }
    for (const t of only.tools) expect(t.name).toMatch(/^memory__/)
    const dflt = (await call(s.client, "search_tools", { query: "get" })).structuredContent as { tools: Hit[] }
    expect(dflt.tools.length).toBe(8)
  })

  test("search_tools on a server that has no reachable tool says so and names those that do", async () => {
    const typo = await call(s.client, "search_tools", { query: "read file", server: "filesystem" })
    expect((typo.structuredContent as { tools: Hit[] }).tools).toEqual([])
    expect(text(typo)).toContain('No tool of a server named "filesystem" is reachable here')
    expect(text(typo)).toMatch(/Servers with reachable tools: .*everything.*fs.*memory/)
    // a known server with no match keeps the plain answer
    const none = await call(s.client, "search_tools", { query: "zqxjv", server: "memory" })
    expect(text(none)).toStartWith('No tool matches "zqxjv" on server memory')
  })

  test("describe_tools gives full definitions, and names what it does not know", async () => {
    const listed = (await s.client.listTools()).tools
    const r = await call(s.client, "describe_tools", { names: ["everything__get-structured-content", "memory__read_graph", "nosuch__x"] })
    const out = r.structuredContent as { tools: Record<string, unknown>[]; unknown?: string[] }
    expect(out.tools.map((t) => t.name)).toEqual(["everything__get-structured-content", "memory__read_graph"])
    const direct = listed.find((t) => t.name === "everything__get-structured-content")!
    expect(out.tools[0]!.inputSchema).toEqual(direct.inputSchema)
    expect(out.tools[0]!.outputSchema).toEqual(direct.outputSchema!)
    expect(out.unknown).toEqual(["nosuch__x"])
    const tooMany = await call(s.client, "describe_tools", { names: Array.from({ length: 11 }, (_, i) => `a__${i}`) })
    expect(tooMany.isError).toBe(true)
  })
})

describe("expose search: a server that comes up after the client listed", () => {
  let s: Awaited<ReturnType<typeof start>>
  beforeAll(async () => {
    const f = await fleet()
    s = await start({
      servers: { memory: f.servers.memory, late: { command: process.execPath, args: [FAULT, "--slow-boot", "2500"] } },
      warm: ["memory", "late"],
      // a first start ever is not waited for past listWait here: the case is a server that comes up after the list
      proxy: { expose: "search", listWait: "300ms", firstListWait: "300ms" },
    })
  }, 60_000)
  afterAll(() => s?.close())

  test("call_tool reaches it and search_tools finds it", async () => {
    // listed before `late` finished booting: only the meta-tools, as in every search-mode list
    expect((await names(s.client)).sort()).toEqual(["call_tool", "describe_tools", "orchestrator_status", "search_tools"])
    const before = (await call(s.client, "search_tools", { query: "echo the message", limit: 50 })).structuredContent as { tools: Hit[] }
    expect(before.tools.map((t) => t.name)).not.toContain("late__echo")
    // once it is up (no re-list by the client), search_tools finds it…
    let first: string | undefined
    for (let i = 0; i < 100 && first !== "late__echo"; i++) {
      await Bun.sleep(100)
      first = ((await call(s.client, "search_tools", { query: "echo the message", limit: 3 })).structuredContent as { tools: Hit[] }).tools[0]?.name
    }
    expect(first).toBe("late__echo")
    // …and call_tool reaches it
    const r = await call(s.client, "call_tool", { name: "late__echo", arguments: { message: "late hello" } })
    expect(text(r)).toContain("late hello")
    expect(r.isError).toBeFalsy()
  }, 30_000)

  test("orchestrator_status counts the own tools this connection lists", async () => {
    const st = (await call(s.client, "orchestrator_status", {})).structuredContent as { tools: { own: number } }
    expect(st.tools.own).toBe((await names(s.client)).filter((n) => !n.includes("__")).length)
  })
})

describe("expose search: a Toolkit server enabled mid-session (fake docker)", () => {
  let fake: FakeDocker
  let c: Connected
  beforeAll(async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.26.0" })
    const env = sandboxEnv({ PATH: fake.env.PATH!, DOCKER_CONFIG: fake.env.DOCKER_CONFIG!, MCPO_PROXY_EXPOSE: "search", MCPO_TOOLKIT_TOOLS_DENY: "get-env" })
    c = await connectBinary(["serve"], env)
  }, 30_000)
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  test("call_tool reaches its tools at once and search_tools finds them; toolkit.tools hides what it denies", async () => {
    const listed = await names(c.client)
    expect(listed).toContain("server_enable")
    expect(listed.filter((n) => n.includes("__"))).toEqual([])
    // wait for the Toolkit probe, then enable a server (no re-list by the client afterwards)
    for (let i = 0; i < 150; i++) {
      const st = await call(c.client, "orchestrator_status")
      const tk = (st.structuredContent as { toolkit: { state: string } | null }).toolkit
      if (tk && tk.state !== "probing") break
      await Bun.sleep(100)
    }
    expect((await call(c.client, "server_enable", { name: "duckduckgo" })).isError).toBeFalsy()
    const r = await call(c.client, "call_tool", { name: "docker__echo", arguments: { message: "enabled just now" } })
    expect(text(r)).toContain("enabled just now")
    const found = (await call(c.client, "search_tools", { query: "echo message", limit: 3 })).structuredContent as { tools: Hit[] }
    expect(found.tools[0]?.name).toBe("docker__echo")
    const hidden = await call(c.client, "call_tool", { name: "docker__get-env" })
    expect(hidden.isError).toBe(true)
    expect(text(hidden)).toContain('hidden by toolkit.tools.deny ("get-env")')
  }, 40_000)
})

describe("expose search with a plugin's tools hook", () => {
  let c: Connected
  beforeAll(async () => {
    await ensureBuilt()
    const env = sandboxEnv({ MCPO_PROXY_EXPOSE: "search" })
    const pluginDir = join(env.HOME!, "plugins")
    mkdirSync(pluginDir)
    for (const f of ["route-rules.ts", "types.d.ts"]) copyFileSync(join(ROOT, "plugins", f), join(pluginDir, f))
    const cfg = join(env.HOME!, "config.json")
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { everything: { command: "node", args: [EVERYTHING, "stdio"] } } }))
    c = await connectBinary(["serve", "--config", cfg, "--plugins", pluginDir], env)
  }, 30_000)
  afterAll(() => c?.close())

  test("tools the plugin hides from tools/list are not found or described either", async () => {
    const found = (await call(c.client, "search_tools", { query: "environment variables echo sum", limit: 50 })).structuredContent as { tools: Hit[] }
    expect(found.tools.length).toBeGreaterThan(0)
    expect(found.tools.map((t) => t.name)).not.toContain("everything__get-env")
    const d = await call(c.client, "describe_tools", { names: ["everything__get-env", "everything__echo"] })
    expect((d.structuredContent as { unknown?: string[] }).unknown).toEqual(["everything__get-env"])
  }, 30_000)
})

describe("search_tools with a server that is down (expose search, QA 13)", () => {
  let s: Awaited<ReturnType<typeof start>>
  beforeAll(async () => {
    const f = await fleet()
    s = await start({ servers: { ...f.servers, tracker: { command: "/nonexistent/issue-tracker-mcp" } }, proxy: { expose: "search" } })
  }, 60_000)
  afterAll(() => s?.close())

  test("the list names the server whose tools it lacks, in search_tools' description (Cursor never lists again)", async () => {
    const d = (await s.client.listTools()).tools.find((t) => t.name === "search_tools")!.description!
    // with its state (whichever it is in now: failed, retrying, paused)
    expect(d).toMatch(/\nNot in this list yet \(no tools now\): tracker \((failed|failed, retrying|failing, paused|starting)\)\. search_tools finds their tools once they are up; orchestrator_status says why\.$/)
  })

  test("a request about what no running tool touches is all weak, and the down server is named as not searched", async () => {
    const r = await call(s.client, "search_tools", { query: "create a github issue", limit: 3 })
    const tools = (r.structuredContent as { tools: (Hit & { weak?: boolean })[] }).tools
    expect(tools.length).toBe(3)
    expect(tools.every((t) => t.weak === true)).toBe(true)
    const lines = text(r).split("\n")
    // (github, a well-known product no tool mentions, is missing too: QA 131)
    expect(lines[0]).toStartWith('No tool matches "create a github issue" in full: none has anything for "github", "issue"')
    expect(lines.at(-1)).toStartWith("Not searched: a server that has no tools right now: tracker (failed, retrying: server tracker failed to start: cannot start /nonexistent/issue-tracker-mcp")
    expect(lines.at(-1)).toEndWith("Its tools may do this: orchestrator_status shows its state; search again once it is up.")
    const only = await call(s.client, "search_tools", { query: "issues", server: "tracker" })
    expect(text(only)).toStartWith("Server tracker has no tools right now, so none were searched: failed, retrying: server tracker failed to start")
  })
})
