/**
 * Lists and definitions a downstream gets wrong, through the compiled binary with the SDK (v1)
 * Client (test/faults/servers/list-shape-server.ts):
 * - an answer that is no list (`{"tools":"nope"}`, `{"tools":{}}`, `{}` from a server declaring
 *   tools, a null result; prompts too) is a failure: counted with lastError, warned, retried, and
 *   the server's previous list stays (it used to empty the server's tools silently);
 * - a schema nested thousands of levels deep is not read (that tool stays with any arguments, named
 *   with why) instead of failing the server's whole listing ("Maximum call stack size exceeded", then
 *   a dropped tool); a deep but allowed schema is
 *   sanitized to its last level and described without indentation growing with its depth;
 * - tools and servers named like Object.prototype members (`constructor`, `toString`,
 *   `hasOwnProperty`, `__proto__`) are pinned like any other: not blocked as a rug pull at first
 *   sight, written to pins.json, a later change detected;
 * - a server→client request over proxy.maxMessageBytes is answered with an error at once;
 * - an initialize result without a protocolVersion is reported as such.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { CreateMessageRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

const SERVER = join(import.meta.dir, "servers", "list-shape-server.ts")
const BUN = process.execPath
const srv = (...flags: string[]) => ({ command: BUN, args: [SERVER, ...flags] })
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

interface Row {
  name: string
  state: string
  tools: number
  failures: number
  lastError?: string
  dropped?: { kind: string; name: string; why: string }[]
}

beforeAll(ensureBuilt, 120_000)

async function start(config: Record<string, unknown>, env = sandboxEnv(), capabilities: Record<string, object> = {}): Promise<Connected & { env: Record<string, string> }> {
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, ...config }))
  const c = await connectBinary(["serve", "--config", cfg], env, capabilities)
  return Object.assign(c, { env })
}

async function status(c: Connected): Promise<Row[]> {
  const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
  return (r.structuredContent as { servers: Row[] }).servers
}

const names = async (c: Connected, prefix: string): Promise<string[]> =>
  (await c.client.listTools()).tools
    .map((t) => t.name)
    .filter((n) => n.startsWith(prefix))
    .sort()

describe("a list answer that is no list", () => {
  const SHAPES = ["string", "object", "missing", "null"] as const
  let c: Connected
  beforeAll(async () => {
    const servers: Record<string, unknown> = Object.fromEntries(SHAPES.map((s) => [s, srv("--bad", s)]))
    servers.first = srv("--bad", "string", "--bad-now")
    servers.quiet = srv("--bad", "missing", "--bad-now", "--no-tools-cap")
    c = await start({ servers, warm: Object.keys(servers), pool: { restartDelay: 200, restartDelayMax: 400 } })
    for (const s of SHAPES) expect(await until(async () => (await names(c, `${s}__`)).length === 3, 10_000)).toBe(true)
    for (const s of SHAPES) expect(text(await c.client.callTool({ name: `${s}__flip`, arguments: {} }))).toBe("flipped")
    // each server's relist after its list_changed has failed (and been retried) by then
    expect(await until(async () => (await status(c)).filter((r) => SHAPES.includes(r.name as (typeof SHAPES)[number]) && r.failures >= 2).length === SHAPES.length, 15_000)).toBe(true)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("keeps the server's previous tools, callable; counts a failure whose lastError says what was wrong", async () => {
    const rows = await status(c)
    const why: Record<string, RegExp> = {
      string: /its tools is "nope", not a list/,
      object: /its tools is \{\}, not a list/,
      missing: /it has no tools list, though the server declares tools/,
      null: /its result is null, not an object/,
    }
    for (const s of SHAPES) {
      expect(await names(c, `${s}__`)).toEqual([`${s}__flip`, `${s}__ok`, `${s}__sample`])
      expect(text(await c.client.callTool({ name: `${s}__ok`, arguments: {} }))).toBe("ok called")
      const row = rows.find((r) => r.name === s)!
      expect(row.tools).toBe(3)
      expect(row.lastError).toMatch(/^tools\/list failed: (server null: )?its answer to tools\/list is not valid MCP: /)
      expect(row.lastError).toMatch(why[s]!)
    }
  })

  test("a first listing that is no list is a failure, not an empty server; {} from a server without tools is no tools", async () => {
    const rows = await status(c)
    const first = rows.find((r) => r.name === "first")!
    expect(first.tools).toBe(0)
    expect(first.failures).toBeGreaterThanOrEqual(1)
    expect(first.lastError).toContain('its tools is "nope", not a list')
    const quiet = rows.find((r) => r.name === "quiet")!
    expect(quiet).toMatchObject({ state: "ready", tools: 0, failures: 0 })
    expect(quiet.lastError).toBeUndefined()
  })

  test("warned and retried with the backoff; prompts answered with no list keep the previous prompts", async () => {
    const warned = c
      .stderr()
      .split("\n")
      .filter((l) => l.includes('"level":"warn"') && l.includes("listing tools failed; trying again"))
    for (const s of SHAPES) expect(warned.some((l) => l.includes(`"server":"${s}"`))).toBe(true)
    const prompts = (await c.client.listPrompts()).prompts.map((p) => p.name)
    for (const s of SHAPES) expect(prompts).toContain(`${s}__greet`)
    expect(c.stderr()).toMatch(/"msg":"listing prompts failed","server":"string","error":"its answer to prompts\/list is not valid MCP: its prompts is \\"nope\\", not a list"/)
  })
})

describe("definitions nothing can be done with", () => {
  test("a schema nested 4 500 levels is not read: that tool stays, callable with any arguments (named, with why); the server's other tools stay", async () => {
    const c = await start({ servers: { d: srv("--deep", "4500"), g: srv() }, warm: ["d", "g"] })
    try {
      expect(await until(async () => (await names(c, "d__")).length > 0, 10_000)).toBe(true)
      expect(await names(c, "d__")).toEqual(["d__deep", "d__flip", "d__ok", "d__sample"])
      expect(text(await c.client.callTool({ name: "d__ok", arguments: {} }))).toBe("ok called")
      const deep = (await c.client.listTools()).tools.find((t) => t.name === "d__deep")!
      expect([deep.description, deep.inputSchema]).toEqual(["Deeply nested.", { type: "object", description: expect.stringContaining("any arguments are accepted") }])
      expect(text(await c.client.callTool({ name: "d__deep", arguments: { a: {} } }))).toBe("deep called")
      const d = (await status(c)).find((r) => r.name === "d")! as Row & { repaired?: { kind: string; name: string; why: string }[] }
      expect(d.failures).toBe(0)
      expect(d.lastError).toBeUndefined()
      expect(d.dropped).toBeUndefined()
      expect(d.repaired).toEqual([{ kind: "tool", name: "deep", why: expect.stringContaining("inputSchema nests more than 128 levels deep") }])
      expect(c.stderr()).not.toContain("downstream tool dropped")
      expect(c.stderr().split("\n").filter((l) => l.includes("downstream tool definition repaired") && l.includes('"name":"deep"')).length).toBe(1)
    } finally {
      await c.close()
    }
  }, 30_000)

  test("a deep schema within the bound: sanitized to its last level; describe_tools' text stays near its JSON size", async () => {
    // 50 properties deep: 103 levels of the definition, under the 128 bound
    const c = await start({ servers: { d: srv("--deep", "50") }, warm: ["d"] })
    try {
      expect(await until(async () => (await names(c, "d__")).includes("d__deep"), 10_000)).toBe(true)
      const listed = (await c.client.listTools()).tools.find((t) => t.name === "d__deep")!
      // the leaf's zero-width space (past the old 32-level walk) is gone
      expect(JSON.stringify(listed)).toContain('"description":"leaf"')
      expect(JSON.stringify(listed)).not.toContain("\u200b")
      const r = await c.client.callTool({ name: "describe_tools", arguments: { names: ["d__deep"] } })
      const described = (r.structuredContent as { tools: unknown[] }).tools
      expect(described[0]).toMatchObject({ name: "d__deep", inputSchema: listed.inputSchema })
      // indenting each level would make it ~6× its JSON; one field per line adds a few bytes
      expect(text(r).length).toBeLessThan(JSON.stringify(described).length + 200)
      expect(JSON.parse(text(r))).toEqual(described)
    } finally {
      await c.close()
    }
  }, 30_000)
})

describe("names that are Object.prototype members", () => {
  test("tools constructor, toString, hasOwnProperty, __proto__ are pinned at first sight, not blocked; a change is", async () => {
    const env = sandboxEnv()
    const pinsFile = join(env.HOME!, "pins.json")
    const c = await start({ servers: { p: srv("--proto-names") }, warm: ["p"], proxy: { pinTools: "block", pinsFile } }, env)
    const PROTO = ["constructor", "toString", "hasOwnProperty", "__proto__"]
    try {
      expect(await until(async () => (await names(c, "p__")).length >= 7, 10_000)).toBe(true)
      for (const n of PROTO) {
        expect(await names(c, "p__")).toContain(`p__${n}`)
        const r = await c.client.callTool({ name: `p__${n}`, arguments: {} })
        expect(text(r)).toBe(`${n} called`)
      }
      expect(c.stderr()).not.toContain("possible rug pull")
    } finally {
      await c.close()
    }
    // written (the shutdown writes what is due)
    const written = JSON.parse(readFileSync(pinsFile, "utf8")) as { servers: Record<string, Record<string, unknown>> }
    expect(Object.keys(written.servers.p!).sort()).toEqual(["__proto__", "constructor", "flip", "hasOwnProperty", "ok", "sample", "toString"].sort())
    // a changed definition of one of them is blocked on the next start
    const pins = JSON.parse(readFileSync(pinsFile, "utf8")) as { servers: Record<string, Record<string, { hash: string }>> }
    pins.servers.p!["toString"] = { ...pins.servers.p!["toString"]!, hash: "0".repeat(64) }
    writeFileSync(pinsFile, JSON.stringify(pins))
    const again = await start({ servers: { p: srv("--proto-names") }, warm: ["p"], proxy: { pinTools: "block", pinsFile } }, env)
    try {
      // the first answer may come from the stored lists of the first start: wait for the live listing
      expect(await until(async () => !(await names(again, "p__")).includes("p__toString"), 10_000)).toBe(true)
      const listed = await names(again, "p__")
      expect(listed).not.toContain("p__toString")
      expect(listed).toContain("p__constructor")
      expect(text(await again.client.callTool({ name: "p__toString", arguments: {} }))).toContain("[TOOL_DEFINITION_CHANGED]")
    } finally {
      await again.close()
    }
    // the CLI approves it
    const cfg = join(env.HOME!, "config.json")
    const approve = Bun.spawnSync([BIN, "pins", "approve", "p/toString", "--config", cfg], { env, cwd: env.HOME })
    expect(approve.stdout.toString()).toContain("approved 1 changed tool definition")
  }, 60_000)

  test("servers named constructor and toString have their pins written", async () => {
    const env = sandboxEnv()
    const pinsFile = join(env.HOME!, "pins.json")
    const c = await start({ servers: { constructor: srv(), toString: srv() }, warm: ["constructor", "toString"], proxy: { pinTools: "block", pinsFile } }, env)
    try {
      expect(await until(async () => (await names(c, "constructor__")).length === 3 && (await names(c, "toString__")).length === 3, 10_000)).toBe(true)
    } finally {
      await c.close()
    }
    const written = JSON.parse(readFileSync(pinsFile, "utf8")) as { servers: Record<string, Record<string, unknown>> }
    expect(Object.keys(written.servers).sort()).toEqual(["constructor", "toString"])
    expect(Object.keys(written.servers.constructor!).sort()).toEqual(["flip", "ok", "sample"])
  }, 30_000)
})

describe("a server→client request over proxy.maxMessageBytes", () => {
  test("is answered with an error naming its size at once; a warning, not 'relayed', is logged", async () => {
    const c = await start({ servers: { s: srv("--sampling-mb", "9") }, warm: ["s"], pool: { callTimeout: "10s" } }, sandboxEnv(), { sampling: {} })
    let asked = 0
    c.client.setRequestHandler(CreateMessageRequestSchema, async () => {
      asked++
      return { role: "assistant", content: { type: "text", text: "hi" }, model: "m" }
    })
    try {
      expect(await until(async () => (await names(c, "s__")).length === 3, 10_000)).toBe(true)
      const r = await c.client.callTool({ name: "s__sample", arguments: {} })
      const seen = JSON.parse(text(r)) as { ms: number; error?: { code: number; message: string } }
      expect(seen.error?.message).toMatch(/^sampling\/createMessage was not sent to the client: the request is 9\.0 MiB of JSON, over the 8\.0 MiB one message to it may carry \(proxy\.maxMessageBytes/)
      expect(seen.error?.code).toBe(-32603)
      // (answered by the orchestrator itself: had it waited for the client, the 10 s call timeout
      // would have answered the call instead, a TIMEOUT and no fixture's report to parse)
      expect(asked).toBe(0)
      // the warning reaches our stderr pipe a moment later
      expect(await until(() => c.stderr().includes('"msg":"server request not relayed: too large for the client'), 10_000)).toBe(true)
      expect(c.stderr()).not.toContain("server request relayed to the client")
    } finally {
      await c.close()
    }
  }, 30_000)
})

describe("an initialize result without a protocolVersion", () => {
  test("is reported as missing, not as 'unsupported protocol version undefined'", async () => {
    const c = await start({ servers: { v: srv("--no-version") }, warm: ["v"], pool: { restartDelay: 60_000 } })
    try {
      expect(await until(async () => (await status(c)).find((r) => r.name === "v")!.lastError !== undefined, 10_000)).toBe(true)
      const row = (await status(c)).find((r) => r.name === "v")!
      expect(row.lastError).toContain("downstream answered initialize without a protocolVersion")
      expect(row.lastError).not.toContain("undefined")
    } finally {
      await c.close()
    }
  }, 30_000)
})
