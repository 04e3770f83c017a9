/**
 * @module test/proxy/reserved-names
 * The names of the orchestrator's own tools (and built-in prompts) are reserved in the naming
 * table: under `proxy.separator: "_"` a server `call` with a tool `tool` would be `call_tool`, which
 * the client's call reaches the own tool by. It gets the hash suffix instead, with a warning, and
 * search, describe and calls use that name. Real downstream processes (named-tools-server), the
 * real proxy; the reserved list is checked against the own tools' definitions.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { buildSurface } from "../../src/app/surface-tools.ts"
import type { ToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { OWN_TOOL_NAMES, statusTool } from "../../src/mcp/index.ts"
import { BUILTIN_PROMPTS } from "../../src/plugin/index.ts"
import { createProxy, type Proxy } from "../../src/proxy/index.ts"
import { BUN, captureLog, config, ctx, ROOT } from "./helpers.ts"

const NAMED = join(ROOT, "test", "fixtures", "servers", "named-tools-server.ts")
const named = (label: string, tools: string[], prompts: string[] = []) => ({ command: BUN, args: [NAMED, "--label", label, "--tools", tools.join(","), ...(prompts.length ? ["--prompts", prompts.join(",")] : [])] })
const text = (r: { content?: unknown }): string => ((r.content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? "").join("")
const SUFFIXED = (plain: string): RegExp => new RegExp(`^${plain}_[0-9a-f]{6}$`)

const { log, records } = captureLog()
let proxy: Proxy

beforeAll(() => {
  proxy = createProxy({
    config: config({
      servers: {
        call: named("call", ["tool", "other"]),
        search: named("search", ["tools"]),
        config: named("config", ["get"]),
        find: named("find", ["x"], ["tool"]),
      },
      proxy: { separator: "_" },
    }),
    log,
    reservedNames: { tools: OWN_TOOL_NAMES, prompts: BUILTIN_PROMPTS.map((p) => p.name) },
    closeGraceMs: 300,
  })
})

afterAll(async () => {
  await proxy?.[Symbol.asyncDispose]()
})

describe("own tool names are reserved (separator _)", () => {
  test("a downstream tool whose exposed name would be an own tool's gets the hash suffix; the others keep their plain names", async () => {
    const names = (await proxy.listTools()).map((t) => t.name)
    for (const own of OWN_TOOL_NAMES) expect(names).not.toContain(own)
    expect(names).toContain("call_other")
    expect(names.find((n) => SUFFIXED("call_tool").test(n))).toBeDefined()
    expect(names.find((n) => SUFFIXED("search_tools").test(n))).toBeDefined()
    expect(names.find((n) => SUFFIXED("config_get").test(n))).toBeDefined()
  }, 20_000)

  test("each is logged as adjusted (a warning naming the server, its tool and the exposed name)", () => {
    const adjusted = records.filter((r) => r.level === "warn" && r.msg.startsWith("tool name adjusted")).map((r) => `${String(r.server)}/${String(r.name)}`)
    expect(adjusted.sort()).toEqual(["call/tool", "config/get", "search/tools"])
  })

  test("the suffixed name is called, searched and described as listed", async () => {
    const exposed = (await proxy.listTools()).map((t) => t.name).find((n) => SUFFIXED("call_tool").test(n))!
    expect(text(await proxy.callTool(exposed, { a: 1 }, ctx()))).toBe('call:tool {"a":1}')
    const cat = await proxy.catalog!()
    const hits = cat.search("call tool", { limit: 5 }).map((h) => h.tool.name)
    expect(hits).toContain(exposed)
    expect(hits).not.toContain("call_tool")
    expect(cat.get(exposed)?.description).toBe("call tool tool")
    expect(cat.get("call_tool")).toBeUndefined()
  }, 20_000)

  test("a built-in prompt's name is reserved for prompts the same way", async () => {
    const prompts = (await proxy.listPrompts()).map((p) => p.name)
    expect(prompts).not.toContain("find_tool")
    const exposed = prompts.find((n) => SUFFIXED("find_tool").test(n))
    expect(exposed).toBeDefined()
    const got = await proxy.getPrompt(exposed!, {}, ctx())
    expect(JSON.stringify(got.messages)).toContain("find:tool")
  }, 20_000)
})

describe("the reserved list", () => {
  test("holds every own tool: orchestrator_status, each meta-tool of every expose mode, each Toolkit tool", () => {
    const own = new Set(OWN_TOOL_NAMES)
    const cfg = config({ proxy: { expose: "all" } })
    const meta = buildSurface(cfg, { upstream: proxy }).meta.map((t) => t.name)
    expect(meta.length).toBeGreaterThanOrEqual(4)
    const kit = toolkitTools({} as ToolkitDriver).map((t) => t.name)
    expect(kit.length).toBeGreaterThan(5)
    for (const n of [statusTool(async () => ({}) as never).name, ...meta, ...kit]) expect(own.has(n)).toBe(true)
  })
})
