/**
 * run_code (code mode): scripts in their own QuickJS sandbox calling real npm servers
 * (server-memory, server-filesystem) through the proxy, and, with a scripted `call`, every limit
 * (time, tool calls, concurrency, memory, result size) and hostile scripts (loop, allocation,
 * huge strings, deep recursion, recursive run_code).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { CallToolResult, Tool } from "@modelcontextprotocol/client"
import { registerSecret, silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/index.ts"
import { createRunCodeTool, RUN_CODE_DEFAULT_LIMITS, runCodeDescription, type RunCodeDeps, type RunCodeLimits } from "../../src/mcp/tools/run-code.ts"
import { createProxy, type Proxy } from "../../src/proxy/index.ts"
import { codeRunStats, MAX_CONCURRENT_RUNS, runCode } from "../../src/sandbox/index.ts"
import { config, ctx, FILESYSTEM, MEMORY, until } from "../proxy/helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the values registered here (by hand or by what runs: configured headers) are not left for later files
secretsRestoredAfterFile()

type Structured = { result: unknown; logs?: string[]; calls: number; queued: number; ms: number }

/** Call run_code the way the face does: through OwnTools (argument validation, error mapping). */
async function run(deps: RunCodeDeps, code: string, input?: Record<string, unknown>, signal = new AbortController().signal): Promise<CallToolResult> {
  const tools = new OwnTools([createRunCodeTool(deps)])
  return tools.call("run_code", { code, ...(input ? { input } : {}) }, { signal, log: silentLogger, progress: async () => {} }, silentLogger)
}
const text = (r: CallToolResult): string => (r.content[0] as { text: string }).text
const structured = (r: CallToolResult): Structured => r.structuredContent as unknown as Structured

/** Word-overlap ranking, standing in for the search index (the caller supplies the real one). */
function naiveSearch(tools: () => Tool[]) {
  return (query: string, limit: number) => {
    const words = query.toLowerCase().split(/\W+/).filter(Boolean)
    return tools()
      .map((t) => ({ t, s: words.filter((w) => `${t.name} ${t.description ?? ""}`.toLowerCase().includes(w)).length }))
      .filter((x) => x.s > 0)
      .sort((a, b) => b.s - a.s || a.t.name.localeCompare(b.t.name))
      .slice(0, limit)
      .map((x) => ({ name: x.t.name, description: x.t.description?.split("\n")[0] }))
  }
}

describe("run_code over real servers (server-memory, server-filesystem)", () => {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-runcode-"))
  const root = join(dir, "files")
  let proxy: Proxy
  let listed: Tool[] = []
  let deps: RunCodeDeps

  beforeAll(async () => {
    mkdirSync(root, { recursive: true })
    writeFileSync(join(root, "alpha.txt"), "alpha notes\n")
    writeFileSync(join(root, "beta.md"), "# beta\n")
    writeFileSync(join(root, "gamma.json"), '{"g":1}\n')
    proxy = createProxy({
      config: config({
        servers: {
          memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, "memory.jsonl") } },
          fs: { command: "node", args: [FILESYSTEM, root] },
        },
      }),
      log: silentLogger,
      closeGraceMs: 500,
    })
    listed = await proxy.listTools()
    deps = {
      call: (name, args, signal) => proxy.callTool(name, args, { ...ctx(), signal }),
      search: naiveSearch(() => listed),
      reachable: () => listed,
      limits: RUN_CODE_DEFAULT_LIMITS,
    }
  })
  afterAll(async () => {
    await proxy[Symbol.asyncDispose]()
  })

  test("parallel calls to two servers (Promise.all), both property and bracket access", async () => {
    const r = await run(
      deps,
      `const [dir, graph, file] = await Promise.all([
        tools.fs__list_directory({ path: input.root }),
        tools["memory__read_graph"]({}),
        tools.fs__read_text_file({ path: input.root + "/alpha.txt" }),
      ])
      return { dir, entities: graph.entities.length, file }`,
      { root },
    )
    expect(r.isError).toBeUndefined()
    const v = structured(r).result as { dir: unknown; entities: number; file: unknown }
    expect(JSON.stringify(v.dir)).toContain("alpha.txt")
    expect(JSON.stringify(v.dir)).toContain("gamma.json")
    expect(v.entities).toBe(0)
    expect(JSON.stringify(v.file)).toContain("alpha notes")
    expect(structured(r).calls).toBe(3)
  })

  test("a multi-step task: entities from a directory's files, then the graph, in one run", async () => {
    const r = await run(
      deps,
      `const listing = await tools.fs__list_directory({ path: input.root })
      const text = typeof listing === "string" ? listing : listing.content
      const files = text.split("\\n").filter((l) => l.startsWith("[FILE]")).map((l) => l.slice(7).trim())
      await tools.memory__create_entities({ entities: files.map((f) => ({ name: f, entityType: "file", observations: ["in " + input.root] })) })
      const graph = await tools.memory__read_graph({})
      return graph.entities.map((e) => e.name).sort()`,
      { root },
    )
    expect(r.isError).toBeUndefined()
    expect(structured(r).result).toEqual(["alpha.txt", "beta.md", "gamma.json"])
    // and the entities really are in server-memory, seen by a direct call
    const direct = await proxy.callTool("memory__read_graph", {}, ctx())
    expect(JSON.stringify(direct.structuredContent)).toContain("gamma.json")
  })

  test("a failing call (isError) rejects with its text; the script catches it and goes on", async () => {
    const r = await run(
      deps,
      `let caught = null
      try { await tools.fs__read_text_file({ path: "/etc/passwd" }) } catch (e) { caught = e.message }
      const ok = await tools.fs__list_allowed_directories({})
      return { caught, ok }`,
    )
    expect(r.isError).toBeUndefined()
    const v = structured(r).result as { caught: string | null; ok: unknown }
    const direct = await proxy.callTool("fs__read_text_file", { path: "/etc/passwd" }, ctx())
    expect(direct.isError).toBe(true)
    expect(v.caught).toBe((direct.content[0] as { text: string }).text)
    expect(JSON.stringify(v.ok)).toContain(root)
  })

  test("an uncaught tool failure in a Promise.all names the call that failed (QA 13)", async () => {
    // server-filesystem's refusal does not name the tool: among parallel calls the model could not tell which one
    const r = await run(deps, `return await Promise.all([tools.fs__list_allowed_directories({}), tools.fs__read_text_file({ path: "/etc/passwd" }), tools.memory__read_graph({})])`)
    expect(r.isError).toBe(true)
    const direct = await proxy.callTool("fs__read_text_file", { path: "/etc/passwd" }, ctx())
    expect(text(r)).toBe(`run_code failed: tools["fs__read_text_file"] failed and the script did not catch it: ${(direct.content[0] as { text: string }).text} (line 1)`)
    // the script's own error is not taken for a tool's, though a tool failed and was caught before
    const own = await run(deps, `try { await tools.fs__read_text_file({ path: "/etc/passwd" }) } catch {}\nthrow new Error("mine")`)
    expect(text(own)).toBe("run_code failed: the script threw Error: mine (line 2)")
  })

  test("an uncaught refusal of the arguments gives the tool's argument signature (QA 13)", async () => {
    const r = await run(deps, `return await tools.memory__create_entities({ entities: [{ name: "x" }] })`)
    expect(r.isError).toBe(true)
    expect(text(r)).toStartWith('run_code failed: tools["memory__create_entities"] failed and the script did not catch it: ')
    expect(text(r)).toEndWith('(line 1); tools["memory__create_entities"] takes (entities: { name: string; entityType: string; observations: string[] }[]); describe_tools gives its full schema')
    // another failure of the same tool (not about its arguments) gets no signature
    const other = await run(deps, `return await tools.fs__read_text_file({ path: "/etc/passwd" })`)
    expect(text(other)).not.toContain(" takes (")
  })

  test("TypeScript input and console.log capture", async () => {
    const r = await run(
      deps,
      `interface Entry { name: string; size?: number }
      const names: Entry[] = ["a", "b"].map((n): Entry => ({ name: n }))
      console.log("names", names.length, { first: names[0]!.name })
      console.warn("careful")
      const upper = <T extends Entry>(e: T): string => e.name.toUpperCase()
      return names.map(upper)`,
    )
    expect(r.isError).toBeUndefined()
    expect(structured(r).result).toEqual(["A", "B"])
    expect(structured(r).logs).toEqual(['names 2 {"first":"a"}', "[warn] careful"])
    expect(text(r)).toBe('["A","B"]\n\nconsole:\nnames 2 {"first":"a"}\n[warn] careful')
  })

  test("search() returns the caller's ranking; input is the input argument", async () => {
    const r = await run(deps, `return { hits: await search("read graph", 2), input }`, { x: [1, 2] })
    const v = structured(r).result as { hits: Array<{ name: string }>; input: unknown }
    expect(v.hits.length).toBe(2)
    expect(v.hits[0]!.name).toBe("memory__read_graph")
    expect(v.input).toEqual({ x: [1, 2] })
  })

  test("sloppy arguments: a query that is no string is refused, not searched as \"[object Object]\"; args as JSON text are the object they hold, other non-objects refused naming what they were", async () => {
    const r = await run(
      deps,
      `const out = []
      for (const [q, l] of [[{ task: "read graph" }, 2], [42], [undefined], ["read graph", "2"]]) {
        try { out.push(await search(q, l)) } catch (e) { out.push(e.name + ": " + e.message) }
      }
      out.push(Object.keys(await tools.memory__read_graph('{}')))
      for (const a of ["not json", "[1]", 7, [1]]) {
        try { await tools.memory__read_graph(a); out.push("called") } catch (e) { out.push(e.message) }
      }
      return out`,
    )
    const v = structured(r).result as string[]
    expect(v.slice(0, 4)).toEqual([
      'TypeError: search(query, limit?): the query must be a string (the task in words, e.g. search("read a file")), got an object',
      'TypeError: search(query, limit?): the query must be a string (the task in words, e.g. search("read a file")), got a number',
      'TypeError: search(query, limit?): the query must be a string (the task in words, e.g. search("read a file")), got undefined',
      "TypeError: search(query, limit?): limit must be a number (1 to 50), got a string",
    ])
    expect(v[4]).toEqual(["entities", "relations"] as never)
    expect(v[5]).toContain("args must be an object, got a string that is not a JSON object")
    expect(v[6]).toContain("args must be an object, got a string that is not a JSON object")
    expect(v[7]).toContain("args must be an object, got a number: pass the arguments as an object")
    expect(v[8]).toContain('args must be an object, got an array: pass the arguments as an object, e.g. tools["memory__read_graph"]({ key: value })')
    // only the JSON-text call reached the server
    expect(structured(r).calls).toBe(1)
  })

  test("run_code is not reachable from inside run_code, nor is an unknown tool", async () => {
    const r = await run(
      deps,
      `const out = []
      for (const n of ["run_code", "nope__missing"]) {
        try { await tools[n]({ code: "return 1" }); out.push("called " + n) } catch (e) { out.push(e.message) }
      }
      return out`,
    )
    expect(structured(r).result).toEqual([
      "run_code cannot be called from inside run_code",
      'tool "nope__missing" is not reachable from run_code; find tool names with search(query)',
    ])
    // refused calls count against maxCalls: a script looping over bad names ends at the cap
    expect(structured(r).calls).toBe(2)
    const flood = await run({ ...deps, limits: { ...deps.limits, maxCalls: 20 } }, `for (;;) await tools.nope__x({}).catch(() => {})`)
    expect(text(flood)).toBe("run_code failed: tool call limit reached: a run may make at most 20 tool calls (codeMode.maxCalls)")
  })

  test("a tool name in another spelling is answered with the exposed name it stands for (QA 9b)", async () => {
    const r = await run(deps, `const out = []
      for (const n of ["memory_read_graph", "Memory__Read_Graph", "mcp__memory__read-graph"]) {
        try { await tools[n]({}); out.push("called " + n) } catch (e) { out.push(e.message) }
      }
      return out`)
    const hint = (n: string) => `tool "${n}" is not reachable from run_code (did you mean tools["memory__read_graph"]?); find tool names with search(query)`
    expect(structured(r).result).toEqual([hint("memory_read_graph"), hint("Memory__Read_Graph"), hint("mcp__memory__read-graph")])
  })

  test("a typo of a tool name is answered with the exposed name it stands for (QA 13)", async () => {
    const r = await run(deps, `const out = []
      for (const n of ["memory__read_grap", "fs__raed_file", "memory__nothing_like_it"]) {
        try { await tools[n]({}); out.push("called " + n) } catch (e) { out.push(e.message) }
      }
      return out`)
    expect(structured(r).result).toEqual([
      'tool "memory__read_grap" is not reachable from run_code (did you mean tools["memory__read_graph"]?); find tool names with search(query)',
      'tool "fs__raed_file" is not reachable from run_code (did you mean tools["fs__read_file"]?); find tool names with search(query)',
      'tool "memory__nothing_like_it" is not reachable from run_code; find tool names with search(query)',
    ])
  })

  test("a name with a dash after tools. (read as a subtraction) is explained with the call to write instead (QA 13)", async () => {
    const dashed: RunCodeDeps = { ...deps, reachable: () => [...listed, { name: "memory__read-graph", inputSchema: { type: "object" } }] }
    const r = await run(dashed, `const g = await tools.memory__read-graph({})\nreturn g`)
    expect(r.isError).toBe(true)
    expect(text(r)).toBe(
      "run_code failed: the script threw ReferenceError: 'graph' is not defined (line 1); tools.memory__read-graph is read as a subtraction (tools.memory__read - graph) because the name is not a JavaScript identifier: write tools[\"memory__read-graph\"](args)",
    )
    // a ReferenceError of the script's own is left as it is
    const own = await run(deps, `const n = 1\nreturn graph + n`)
    expect(text(own)).toBe("run_code failed: the script threw ReferenceError: 'graph' is not defined (line 2)")
  })

  test("a script that returns nothing says so next to the null; an explicit null is just null (QA 13)", async () => {
    const none = await run(deps, `await tools.memory__read_graph({})`)
    expect(none.isError).toBeFalsy()
    expect(text(none)).toBe("null (the script returned nothing: `return` the value you want as the result)")
    expect(structured(none).result).toBeNull()
    const nul = await run(deps, `await tools.memory__read_graph({}); return null`)
    expect(text(nul)).toBe("null")
  })

  test("the description lists signatures of the reachable tools while they fit, else points at search", () => {
    const small = runCodeDescription(listed, RUN_CODE_DEFAULT_LIMITS, 4000)
    expect(small).toContain("memory__create_entities(args: { entities: { name: string; entityType: string; observations: string[] }[] })")
    expect(small).toContain("fs__read_text_file(args: { path: string; tail?: number; head?: number })")
    // with room, declared output schemas show what a call resolves to
    const roomy = runCodeDescription(listed, RUN_CODE_DEFAULT_LIMITS, 20_000)
    expect(roomy).toContain("Tools (`: type` = the structuredContent a call resolves to):")
    expect(roomy).toContain("memory__read_graph(args?: object): { entities: { name: string; entityType: string; observations: string[] }[]; relations: { from: string; to: string; relationType: string }[] }")
    const tight = runCodeDescription(listed, RUN_CODE_DEFAULT_LIMITS, 200)
    expect(tight).not.toContain("memory__create_entities")
    expect(tight).toContain(`${listed.length} tools are reachable: find names and arguments with search(query)`)
    expect(tight).toContain("30s, 50 tool calls (8 at once, more wait), 64 MiB memory, 1 MiB result")
    // the tool's description is computed from reachable() when read
    const tool = createRunCodeTool({ ...deps, signatureBudgetChars: 200 })
    expect(tool.description).toBe(tight)
  })
})

/** A scripted downstream: each call waits `delayMs`, counts concurrency, and records its abort. */
function fake(limits: Partial<RunCodeLimits>, delayMs = 5) {
  const state = { calls: 0, inFlight: 0, peak: 0, aborted: 0 }
  const deps: RunCodeDeps = {
    async call(name, args, signal) {
      state.calls++
      state.inFlight++
      state.peak = Math.max(state.peak, state.inFlight)
      try {
        await new Promise<void>((resolve, reject) => {
          if (name === "slow__forever") {
            signal.addEventListener("abort", () => (state.aborted++, reject(new Error("aborted"))))
            return
          }
          setTimeout(resolve, delayMs)
        })
        return { content: [{ type: "text", text: `ok ${name} ${JSON.stringify(args)}` }] }
      } finally {
        state.inFlight--
      }
    },
    search: () => [],
    reachable: () => [{ name: "t__echo" }, { name: "slow__forever" }],
    limits: { ...RUN_CODE_DEFAULT_LIMITS, ...limits },
  }
  return { deps, state }
}

describe("run_code limits, each reported by name", () => {
  test("wall time: an infinite loop is interrupted at the deadline", async () => {
    const { deps } = fake({ timeoutMs: 1000 })
    const r = await run(deps, `let i = 0\nwhile (true) { i++ }`)
    expect(r.isError).toBe(true)
    expect(text(r)).toBe("run_code failed: time limit: the run did not finish within 1s (codeMode.timeout)")
  })

  test("wall time: a script waiting on a tool call is stopped and the call is aborted", async () => {
    const { deps, state } = fake({ timeoutMs: 2000 })
    const r = await run(deps, `console.log("before"); await Promise.all([tools.slow__forever({}), tools.t__echo({})]); return "never"`)
    expect(r.isError).toBe(true)
    // the time went to the call, not the script: which call, for how long, and what to do (the quick call that answered is not named)
    expect(text(r)).toMatch(
      /^run_code failed: time limit: the run did not finish within 2s \(codeMode\.timeout\); it was waiting for tools\["slow__forever"\] \(waiting [\d.]+s\), cancelled with the run: a tool that takes this long needs a longer codeMode\.timeout, or call it outside run_code \(its own name or call_tool\), where the server's own timeout applies\n\nconsole:\nbefore$/,
    )
    expect(state.aborted).toBe(1)
  })

  test("tool calls per run: the call past maxCalls ends the run", async () => {
    const { deps, state } = fake({ maxCalls: 5 })
    const r = await run(deps, `for (let i = 0; i < 10; i++) { try { await tools.t__echo({ i }) } catch (e) { console.log("caught", e.message) } }\nreturn "done"`)
    expect(r.isError).toBe(true)
    expect(text(r)).toBe("run_code failed: tool call limit reached: a run may make at most 5 tool calls (codeMode.maxCalls)")
    expect(state.calls).toBe(5)
  })

  test("concurrent calls: at most maxConcurrentCalls in flight, the rest queue and all complete", async () => {
    const { deps, state } = fake({ maxConcurrentCalls: 3 }, 20)
    const r = await run(deps, `const xs = await Promise.all(Array.from({ length: 10 }, (_, i) => tools.t__echo({ i })))\nreturn xs`)
    expect(r.isError).toBeUndefined()
    expect(state.peak).toBe(3)
    expect(structured(r).result).toEqual(Array.from({ length: 10 }, (_, i) => `ok t__echo {"i":${i}}`))
    expect(structured(r).calls).toBe(10)
    expect(structured(r).queued).toBe(7)
  })

  test("memory: an allocation bomb hits the sandbox cap", async () => {
    const { deps } = fake({ memoryBytes: 16 * 1024 * 1024 })
    const r = await run(deps, `const keep = []\nwhile (true) keep.push(new Array(100000).fill(keep.length))`)
    expect(r.isError).toBe(true)
    expect(text(r)).toStartWith("run_code failed: memory limit: the script used more than 16 MiB (codeMode.memory)")
  })

  test("memory: a doubling string is refused", async () => {
    const { deps } = fake({ memoryBytes: 16 * 1024 * 1024 })
    const r = await run(deps, `let s = "x"\nwhile (true) s = s + s`)
    expect(r.isError).toBe(true)
    expect(text(r)).toStartWith("run_code failed: memory limit: the script used more than 16 MiB (codeMode.memory)")
  })

  test("memory: a huge tool result entering the sandbox hits the cap, not the host", async () => {
    const { deps } = fake({ memoryBytes: 16 * 1024 * 1024 })
    const huge: RunCodeDeps = { ...deps, call: async () => ({ content: [{ type: "text", text: "x".repeat(40 * 1024 * 1024) }] }) }
    const r = await run(huge, `const s = await tools.t__echo({})\nreturn s.length`)
    expect(r.isError).toBe(true)
    // longer than the cap: refused before it is copied for the sandbox, naming the call (QA 335)
    expect(text(r)).toStartWith(`run_code failed: the script threw Error: tools["t__echo"]: its result is 41943042 characters of JSON, more than the script's memory (16 MiB, codeMode.memory) can take in`)
  })

  test("result size: a returned value over maxResultBytes", async () => {
    const { deps } = fake({ maxResultBytes: 4096 })
    const ok = await run(deps, `return "é".repeat(1000)`)
    expect(ok.isError).toBeUndefined()
    const r = await run(deps, `return "é".repeat(3000)`)
    expect(r.isError).toBe(true)
    expect(text(r)).toBe("run_code failed: result too large: the returned value is 6008 bytes of JSON (limit 4096) (codeMode.maxResultBytes = 4 KiB)")
  })

  test("a returned value that is not JSON data (BigInt, symbol, a cycle) is named as such, not as too large", async () => {
    const { deps } = fake({})
    for (const [code, says] of [
      ["return 10n", /BigInt/i],
      ["return { id: Symbol('x') }", /symbol at key 'id'/],
      ["const a = {}; a.self = a; return a", /circular/i],
    ] as const) {
      const r = await run(deps, code)
      expect(r.isError).toBe(true)
      expect(text(r)).toStartWith("run_code failed: the returned value is not JSON data: ")
      expect(text(r)).toMatch(says)
      expect(text(r)).not.toContain("too large")
    }
  })

  test("an object thrown without a message is shown as what it is, never '[object Object]' or '{}'", async () => {
    const { deps } = fake({})
    for (const [code, says] of [
      [`throw { code: 1, error: "bad" }`, `the script threw {"code":1,"error":"bad"}, a value that is not an Error`],
      [`throw { a: "x".repeat(100000), b: 1 }`, "the script threw an object with the keys a, b (its JSON is over 4096 characters or has a cycle), a value that is not an Error"],
      [`const a = { self: null }; a.self = a; throw a`, "the script threw an object with the keys self (its JSON is over 4096 characters or has a cycle)"],
      [`throw Promise.resolve(1)`, "the script threw a Promise (a tool call or async function that was not awaited: write await)"],
      [`throw { message: "plain" }`, "the script threw an error: plain"],
    ] as const) {
      const r = await run(deps, code)
      expect(r.isError).toBe(true)
      expect(text(r)).toContain(says)
      expect(text(r)).not.toContain("[object Object]")
    }
  })

  test("a thrown value whose message getter never returns is a time limit, not 'threw [object Object]'", async () => {
    const { deps } = fake({ timeoutMs: 1000 })
    const r = await run(deps, `throw { get message() { while (true) {} } }`)
    expect(r.isError).toBe(true)
    expect(text(r)).toStartWith("run_code failed: time limit")
  })

  test("configured secrets are redacted before they enter the sandbox (thrown errors, isError and successful results): a script cannot return them reversed", async () => {
    const SECRET = "runcode-secret-0123456789abcdef"
    registerSecret(SECRET, "test-run-code")
    const { deps } = fake({})
    const leaky: RunCodeDeps = {
      ...deps,
      call: async (name) => {
        if (name === "t__echo") throw new Error(`downstream failed with key ${SECRET}`)
        return { content: [{ type: "text", text: `key=${SECRET}` }], isError: true }
      },
      reachable: () => [{ name: "t__echo" }, { name: "slow__forever" }],
    }
    const reversed = (s: string) => s.split("").reverse().join("")
    const r = await run(leaky, `const out = []
for (const t of ["t__echo", "slow__forever"]) { try { await tools[t]({}) } catch (e) { out.push(String(e.message).split("").reverse().join("")) } }
return out`)
    expect(r.isError).toBeUndefined()
    const text2 = JSON.stringify(structured(r).result)
    expect(text2).toContain(reversed("[REDACTED]"))
    expect(text2).not.toContain(reversed(SECRET))
    const ok: RunCodeDeps = { ...deps, call: async () => ({ content: [{ type: "text", text: `key=${SECRET}` }], structuredContent: { key: SECRET } }) }
    const r2 = await run(ok, `const v = await tools.t__echo({}); return JSON.stringify(v).split("").reverse().join("")`)
    expect(JSON.stringify(structured(r2).result)).not.toContain(reversed(SECRET))
    expect(JSON.stringify(structured(r2).result)).toContain(reversed("[REDACTED]"))
  })

  test("an image's or audio's data handed to the script has a configured secret's bytes redacted, as a blob's (QA 38)", async () => {
    const SECRET = "runcode-pixels-secret-9876543210fedcba"
    registerSecret(SECRET, "test-run-code-image")
    const { deps } = fake({})
    const b64 = (s: string) => Buffer.from(s).toString("base64")
    const leaky: RunCodeDeps = {
      ...deps,
      call: async () => ({
        content: [
          { type: "image", mimeType: "image/png", data: b64(`PNG....${SECRET}....`) },
          { type: "audio", mimeType: "audio/wav", data: b64(`RIFF${SECRET}`) },
          { type: "resource", resource: { uri: "file:///x", blob: b64(`blob ${SECRET}`) } },
        ],
      }),
      reachable: () => [{ name: "t__shot" }],
    }
    // a script decodes the bytes itself (no atob in the sandbox) and returns them reversed, past any redaction of its output
    const r = await run(leaky, `const r = await tools.t__shot({})
const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const dec = (s) => { let bits = 0, n = 0, out = ""; for (const ch of s.replace(/=+$/, "")) { n = (n << 6) | A.indexOf(ch); bits += 6; if (bits >= 8) { bits -= 8; out += String.fromCharCode((n >> bits) & 255) } } return out }
return r.content.map((c) => dec(c.data ?? c.resource.blob).split("").reverse().join(""))`)
    expect(r.isError).toBeUndefined()
    const out = structured(r).result as string[]
    expect(out).toHaveLength(3)
    const reversed = SECRET.split("").reverse().join("")
    for (const s of out) expect(s).not.toContain(reversed)
    expect(out[0]).toContain("]DETCADER[")
  })

  test("search() hands the script definitions as search_tools shows them: a configured key or a token in a description is redacted (qa85)", async () => {
    const SECRET = "runcode-search-secret-5a6b7c8d9e0f"
    const SHAPED = `ghp_${"Q7".repeat(12)}`
    registerSecret(SECRET, "test-run-code-search")
    const { deps } = fake({})
    const leaky: RunCodeDeps = {
      ...deps,
      search: async () => [{ name: "t__described", description: `Call with api key ${SECRET} or ${SHAPED}`, args: `(key?: string = "${SECRET}")` }],
    }
    // reversed in the sandbox, past any redaction of the run's output
    const r = await run(leaky, `return (await search("api key", 5)).map((h) => JSON.stringify(h).split("").reverse().join(""))`)
    expect(r.isError).toBeUndefined()
    const out = JSON.stringify(structured(r).result)
    const reversed = (v: string) => v.split("").reverse().join("")
    expect(out).not.toContain(reversed(SECRET))
    expect(out).not.toContain(reversed(SHAPED))
    expect(out).toContain(reversed("t__described"))
    expect(out).toContain(reversed("[REDACTED]"))
  })

  test("deep recursion overflows the sandbox stack, not ours", async () => {
    const { deps } = fake({})
    const r = await run(deps, `function down(n) { return down(n + 1) + 1 }\nreturn down(0)`)
    expect(r.isError).toBe(true)
    expect(text(r)).toBe("run_code failed: stack limit: recursion too deep (stack overflow) (line 1)")
  })

  test("a script error names its line; a promise that can never settle is reported", async () => {
    const { deps } = fake({})
    const r = await run(deps, `const a = 1\n\nnull.x`)
    expect(text(r)).toBe("run_code failed: the script threw TypeError: cannot read property 'x' of null (line 3)")
    const never = await run(deps, `await new Promise(() => {})`)
    expect(text(never)).toContain("can never settle")
  })

  test("a syntax error is placed in the script as written: columns of line 1 from its start, an early end at its last line (QA 13)", async () => {
    const { deps } = fake({})
    // the script is wrapped in a function that opens on its first line and closes after its last
    expect(text(await run(deps, "return `open"))).toBe("run_code failed: the script threw SyntaxError: Unterminated string literal (column 8) (line 1)")
    const early = "run_code failed: the script threw SyntaxError: the script does not end as it should: a bracket, brace, parenthesis or string is left open, an expression is cut short, or a } too many closes it early"
    expect(text(await run(deps, "return 1 +"))).toBe(`${early} (line 1)`)
    expect(text(await run(deps, "const a = 1\nif (a) {\n  return a\n\n"))).toBe(`${early} (line 3)`)
    expect(text(await run(deps, "return 1 }\nconst b = 2"))).toBe(`${early} (line 2)`)
    // an error inside the script keeps the parser's words and position (columns count from 1)
    expect(text(await run(deps, "const a = 1\nconst b = ;\nreturn a"))).toBe("run_code failed: the script threw SyntaxError: Unexpected ; (column 11) (line 2)")
  })

  test("faults stay in their run: a hostile run and a normal one side by side", async () => {
    const { deps } = fake({ timeoutMs: 20_000, memoryBytes: 16 * 1024 * 1024 })
    const [loop, bomb, good] = await Promise.all([
      run({ ...deps, limits: { ...deps.limits, timeoutMs: 1500 } }, `while (true) {}`),
      run(deps, `const k = []\nwhile (true) k.push("y".repeat(1e5) + k.length)`),
      run(deps, `const r = await tools.t__echo({ n: 1 })\nreturn r`),
    ])
    expect(text(loop)).toContain("time limit")
    expect(text(bomb)).toContain("memory limit")
    expect(good.isError).toBeUndefined()
    expect(structured(good).result).toBe('ok t__echo {"n":1}')
  })

  test(`at most ${MAX_CONCURRENT_RUNS} runs hold a sandbox at once; the others wait, then run`, async () => {
    const gate: Array<() => void> = []
    const { deps, state } = fake({})
    const gated: RunCodeDeps = {
      ...deps,
      call: async (name, args, signal) => {
        state.calls++
        await new Promise<void>((r) => gate.push(r))
        return { content: [{ type: "text", text: String((args as { i: number }).i) }] }
      },
    }
    const runs = Array.from({ length: MAX_CONCURRENT_RUNS + 2 }, (_, i) => run(gated, `return await tools.t__echo({ i: ${i} })`))
    expect(await until(() => state.calls === MAX_CONCURRENT_RUNS && codeRunStats().waiting === 2, 20_000)).toBe(true)
    expect(codeRunStats().running).toBe(MAX_CONCURRENT_RUNS)
    // release calls as they come until every run is through
    const drained = until(() => {
      while (gate.length) gate.shift()!()
      return state.calls === MAX_CONCURRENT_RUNS + 2 && gate.length === 0
    }, 20_000)
    const results = await Promise.all(runs)
    expect(await drained).toBe(true)
    expect(results.map((r) => structured(r).result)).toEqual(["0", "1", "2", "3", "4", "5"])
    // a slot is free once its worker's thread has ended, a moment after the run's answer
    expect(await until(() => codeRunStats().running === 0, 5_000)).toBe(true)
    expect(codeRunStats()).toEqual({ running: 0, waiting: 0 })
  })

  test("a run stopped inside one long native operation keeps its sandbox slot until its thread really ends", async () => {
    const host = { call: async () => null, search: async () => null }
    const limits = { timeoutMs: 100, memoryBytes: 32 * 1024 * 1024, stackBytes: 256 * 1024, maxResultBytes: 1024, nativeGuards: false as const }
    // the sandbox threads of this process (Bun names a Worker's thread "Worker")
    const workers = (): number => readdirSync("/proc/self/task").filter((t) => {
      try {
        return readFileSync(`/proc/self/task/${t}/comm`, "utf8").trim() === "Worker"
      } catch {
        return false // ended meanwhile
      }
    }).length
    const before = workers()
    // unguarded, lastIndexOf walks 2e8 indexes in native code the interrupt handler never sees:
    // terminate() may or may not stop it at once (the engine runs as WebAssembly, whose loops the
    // host stops in some tiers only), so the slot is checked against the thread itself: while the
    // run's thread lives on, its slot stays taken (a slot freed with the thread still spinning for
    // over half a second fails), and it is freed once the thread has ended
    const r = await runCode({ code: `return Array.prototype.lastIndexOf.call({ length: 2e8 }, 1)`, limits, host })
    expect(r).toMatchObject({ ok: false, fault: { kind: "timeout" } })
    let freedWhileAlive = 0
    const t0 = performance.now()
    while (performance.now() - t0 < 120_000 && (codeRunStats().running > 0 || workers() > before)) {
      freedWhileAlive = codeRunStats().running === 0 && workers() > before ? freedWhileAlive + 1 : 0
      expect(freedWhileAlive * 20).toBeLessThan(500)
      await Bun.sleep(20)
    }
    expect(codeRunStats().running).toBe(0)
  }, 150_000)

  test("a string search that would compare for minutes in native code ends with the run: its thread does not stay stuck (qa48)", async () => {
    const host = { call: async () => null, search: async () => null }
    const limits = { timeoutMs: 500, memoryBytes: 32 * 1024 * 1024, stackBytes: 256 * 1024, maxResultBytes: 1024 }
    for (const search of ["h.indexOf(t)", "h.lastIndexOf(t)", "h.split(t).length", "h.replaceAll(t, 'x').length"]) {
      // 2e6 positions × 1e5 characters: before, one native call that ignored the deadline and
      // terminate(), holding a sandbox slot and a core for minutes
      const r = await runCode({ code: `const h = "a".repeat(2e6), t = "a".repeat(1e5) + "b"\nreturn ${search}`, limits, host })
      expect(r).toMatchObject({ ok: false, fault: { kind: "timeout" } })
      expect(await until(() => codeRunStats().running === 0, 30_000)).toBe(true)
    }
  }, 180_000)

  test("the tools object is not mistaken for a thenable, JSON or a string", async () => {
    const { deps, state } = fake({})
    const r = await run(deps, `const t = await tools\nreturn { same: t === tools, json: JSON.stringify({ tools }), str: typeof tools.toString }`)
    expect(structured(r).result).toEqual({ same: true, json: '{"tools":{}}', str: "undefined" })
    expect(state.calls).toBe(0)
  })

  test("a client cancel ends the run", async () => {
    const { deps, state } = fake({})
    const ac = new AbortController()
    const pending = run(deps, `await tools.slow__forever({})`, undefined, ac.signal)
    expect(await until(() => state.calls === 1, 10_000)).toBe(true)
    ac.abort()
    const r = await pending
    expect(r.isError).toBe(true)
    expect(text(r)).toBe("run_code failed: cancelled: cancelled by the client")
    expect(state.aborted).toBe(1)
  })
})

describe("run_code's guess after an unknown name follows proxy.separator", () => {
  const listed = [{ name: "everything.echo", inputSchema: { type: "object" as const } }, { name: "everything.add", inputSchema: { type: "object" as const } }]
  const deps = (separator: (() => string | undefined) | undefined): RunCodeDeps => ({
    call: async () => ({ content: [{ type: "text", text: "ok" }] }),
    search: () => [],
    reachable: () => listed,
    limits: RUN_CODE_DEFAULT_LIMITS,
    ...(separator ? { separator } : {}),
  })

  test("a server's own tool name is matched to the name exposed with the configured separator", async () => {
    const r = await run(deps(() => "."), `return await tools.echo({})`)
    expect(r.isError).toBe(true)
    expect(text(r)).toContain(`did you mean tools["everything.echo"]?`)
  })

  test("without the separator (the default '__' assumed, or names passed through) no own-name guess is made from it", async () => {
    for (const sep of [undefined, () => undefined]) {
      const r = await run(deps(sep), `return await tools.echo({})`)
      expect(r.isError).toBe(true)
      expect(text(r)).not.toContain(`tools["everything.echo"]`)
    }
  })
})
