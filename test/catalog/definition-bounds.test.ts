/**
 * One definition never fails a listing (catalog/validate, proxy/fetch-list): a field nesting past
 * MAX_NESTING is not read before anything walks it recursively (a tool keeps any arguments), any exception while checking or
 * pinning one definition drops that definition only, and a list answer that is no list fails the
 * listing instead of reading as empty. Keys named like Object.prototype members stay plain data.
 */
import { describe, expect, test } from "bun:test"
import { checkList, checkTools, MAX_ICON_SRC, MAX_META_BYTES, MAX_SCHEMA_BYTES, normalizeSchema, sanitizeItem } from "../../src/catalog/index.ts"
import { MAX_NESTING, nestsDeeper } from "../../src/catalog/schema-normalize.ts"
import { DownstreamError } from "../../src/core/index.ts"
import type { Pool } from "../../src/pool/index.ts"
import { fetchList, refreshLists } from "../../src/proxy/fetch-list.ts"
import type { ServerLists } from "../../src/proxy/surface.ts"
import type { Tool } from "../../src/proxy/types.ts"

/** JSON nesting of `v`, recursively (for checking the fixture; small values only). */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== "object") return 0
  return 1 + Math.max(0, ...(Array.isArray(v) ? v : Object.values(v)).map(depthOf))
}

describe("nesting bound", () => {
  test(`a definition ${MAX_NESTING} levels deep is read; one level more keeps the tool, its inputSchema not read (any arguments, named why)`, async () => {
    const within = { name: "within", inputSchema: nest(MAX_NESTING - 1) }
    const past = { name: "past", description: "Past the bound.", inputSchema: nest(MAX_NESTING) }
    expect(depthOf(within)).toBe(MAX_NESTING)
    expect(depthOf(past)).toBe(MAX_NESTING + 1)
    const r = await checkTools<Tool>([within, past, { name: "ok", inputSchema: { type: "object" } }])
    expect(r.items.map((t) => t.name)).toEqual(["within", "past", "ok"])
    const kept = r.items[1]!
    expect(kept.description).toBe("Past the bound.")
    expect(kept.inputSchema).toEqual({ type: "object", description: expect.stringContaining("any arguments are accepted") })
    expect(r.issues).toEqual([{ kind: "tool", name: "past", action: "repaired", why: expect.stringContaining(`inputSchema nests more than ${MAX_NESTING} levels deep`) }])
    // what pins hash stands for the definition as sent: bounded, and telling two deep schemas apart
    expect(depthOf(r.sources[1])).toBeLessThanOrEqual(3)
    const other = await checkTools<Tool>([{ ...past, inputSchema: nest(MAX_NESTING, { type: "number" }) }])
    expect(JSON.stringify(other.sources[0])).not.toBe(JSON.stringify(r.sources[1]))
  })

  test("only a name, URI or template nesting past the bound drops the item; any other field is removed, the item kept", () => {
    const deep = nest(MAX_NESTING)
    const r = checkList<Record<string, unknown>>("tool", [
      { name: deep, inputSchema: { type: "object" } },
      { name: "meta", inputSchema: { type: "object" }, _meta: { x: deep }, outputSchema: deep },
    ])
    expect(r.items.map((t) => t.name)).toEqual(["meta"])
    expect(r.items[0]).toEqual({ name: "meta", inputSchema: { type: "object" } })
    expect(r.issues.map((i) => [i.name, i.action])).toEqual([
      ["#0", "dropped"],
      ["meta", "repaired"],
    ])
    expect(r.issues[1]!.why).toMatch(/_meta nests more than \d+ levels deep.*: removed; outputSchema nests more than/)
    const res = checkList<Record<string, unknown>>("resource", [{ uri: "x://r", name: "r", annotations: deep }])
    expect(res.items).toEqual([{ uri: "x://r", name: "r" }])
  })

  test("nestsDeeper walks without recursion: a million levels, and a cycle, end", () => {
    let v: unknown = []
    for (let i = 0; i < 1_000_000; i++) v = [v]
    expect(nestsDeeper(v, MAX_NESTING)).toBe(true)
    const cycle: Record<string, unknown> = { type: "object" }
    cycle.self = cycle
    expect(nestsDeeper(cycle, MAX_NESTING)).toBe(true)
    expect(nestsDeeper({ a: [{ b: 1 }] }, 3)).toBe(false)
    expect(nestsDeeper({ a: [{ b: {} }] }, 3)).toBe(true)
  })

  test("a schema nested 5 000 levels (what overflowed the SDK's schema and the pin hash) is not read, not thrown: the tool stays, the other kinds lose that field", async () => {
    const s = '{"type":"object","properties":{"a":'.repeat(5000) + '{"type":"string"}' + "}}".repeat(5000)
    const deep = { name: "deep", inputSchema: JSON.parse(s) }
    for (const kind of ["tool", "prompt", "resource"] as const) {
      const r = checkList<Record<string, unknown>>(kind, [kind === "resource" ? { uri: "x://deep", ...deep } : deep])
      expect(r.items.length).toBe(1)
      expect(r.items[0]!.name).toBe("deep")
      expect([r.issues[0]!.action, r.issues[0]!.why]).toEqual(["repaired", expect.stringContaining("nests more than")])
    }
    const tool = (await checkTools<Tool>([deep])).items[0]!
    expect(tool.inputSchema.type).toBe("object")
    expect(tool.inputSchema.properties).toBeUndefined()
  })

  test("sanitizing and normalising reach every level a definition may have", async () => {
    const tool = { name: "t", inputSchema: nest(MAX_NESTING - 1, { $schema: "http://json-schema.org/draft-07/schema#", type: "string", description: "deep\u200b" }) }
    const checked = (await checkTools<Tool>([tool])).items[0]!
    expect(JSON.stringify(checked)).not.toContain("draft-07")
    const clean = sanitizeItem(checked, { maxDescription: 2000 }, { hidden: 0, truncated: 0 })
    expect(JSON.stringify(clean)).not.toContain("\u200b")
    expect(JSON.stringify(clean)).toContain('"description":"deep"')
  })
})

/** `{type: object, properties: {a: …}}` around `leaf` (a schema of primitives), `levels` levels deep in all (the leaf counts). */
function nest(levels: number, leaf: Record<string, unknown> = { type: "string" }): Record<string, unknown> {
  // each wrapper adds two levels (the schema and its properties); an even count starts with one more
  let v: Record<string, unknown> = levels % 2 === 1 ? leaf : { type: "object", not: leaf }
  for (let d = levels % 2 === 1 ? 1 : 2; d + 2 <= levels; d += 2) v = { type: "object", properties: { a: v } }
  return v
}

describe("decorations too big to pass on", () => {
  const icon = (chars: number) => ({ src: `data:image/png;base64,${"A".repeat(chars - 22)}`, mimeType: "image/png" })
  test("an icon over MAX_ICON_SRC and a _meta over MAX_META_BYTES are removed from every kind; ones at the bound stay", () => {
    const atBound = { icons: [icon(MAX_ICON_SRC)], _meta: { k: "m".repeat(MAX_META_BYTES - 8) } }
    expect(JSON.stringify(atBound._meta).length).toBe(MAX_META_BYTES)
    const over = { icons: [icon(MAX_ICON_SRC), icon(MAX_ICON_SRC + 1)], _meta: { k: "m".repeat(MAX_META_BYTES - 7) } }
    const base = { tool: { inputSchema: { type: "object" } }, prompt: {}, resource: { uri: "x://r" }, template: { uriTemplate: "x://t/{id}" } }
    for (const kind of ["tool", "prompt", "resource", "template"] as const) {
      const r = checkList(kind, [
        { name: "small", ...base[kind], ...(kind === "resource" ? { uri: "x://small" } : kind === "template" ? { uriTemplate: "x://s/{id}" } : {}), ...atBound },
        { name: "big", ...base[kind], ...over },
      ])
      const [small, big] = r.items as Record<string, unknown>[]
      expect(small).toMatchObject(atBound)
      expect(big!.icons).toEqual([icon(MAX_ICON_SRC)])
      expect(big!._meta).toBeUndefined()
      expect(r.issues.map((i) => [i.name, i.action, i.why])).toEqual([[kind === "tool" || kind === "prompt" ? "big" : kind === "resource" ? "x://r" : "x://t/{id}", "repaired", `icons over ${MAX_ICON_SRC / 1024} KiB removed; _meta of ${MAX_META_BYTES + 1} bytes removed (over ${MAX_META_BYTES / 1024} KiB)`]])
    }
  })
})

describe("schemas too big to pass on", () => {
  /** An object schema of about `bytes` bytes of JSON (property schemas with an enum of 8-character values). */
  const schema = (bytes: number) => ({ type: "object", properties: { a: { type: "string", enum: Array.from({ length: Math.round(bytes / 11) }, (_, i) => `v${String(i).padStart(7, "0")}`) } } })
  test("a tool whose inputSchema is over MAX_SCHEMA_BYTES stays with any arguments, naming its size; an outputSchema over it removed; smaller ones kept", async () => {
    const small = schema(MAX_SCHEMA_BYTES - 2048)
    const big = schema(MAX_SCHEMA_BYTES + 2048)
    expect(JSON.stringify(small).length).toBeLessThanOrEqual(MAX_SCHEMA_BYTES)
    expect(JSON.stringify(big).length).toBeGreaterThan(MAX_SCHEMA_BYTES)
    const r = await checkTools<Tool>([
      { name: "fits", inputSchema: small, outputSchema: small },
      { name: "huge_input", inputSchema: big },
      { name: "huge_output", inputSchema: { type: "object" }, outputSchema: big },
    ])
    expect(r.items.map((t) => [t.name, t.outputSchema === undefined])).toEqual([
      ["fits", false],
      ["huge_input", true],
      ["huge_output", true],
    ])
    expect(JSON.stringify(r.items[1]!.inputSchema).length).toBeLessThan(1024)
    expect(r.issues.map((i) => [i.name, i.action, i.why.replace(/\d+ KiB of JSON/, "N KiB of JSON").replace(/of \d+ KiB/, "of N KiB")])).toEqual([
      ["huge_input", "repaired", `inputSchema not read (it is N KiB of JSON, over the ${MAX_SCHEMA_BYTES / 1024} KiB a tool's schema may have: it would fill the model's context at every turn): set to {"type":"object"}, any arguments`],
      ["huge_output", "repaired", `outputSchema of N KiB removed (over ${MAX_SCHEMA_BYTES / 1024} KiB)`],
    ])
  })
})

describe("an exception while checking one definition", () => {
  test("drops that definition with the exception as the reason; the others stand", () => {
    const hostile = {
      name: "hostile",
      get inputSchema(): unknown {
        throw new RangeError("Maximum call stack size exceeded.")
      },
    }
    const r = checkList<Tool>("tool", [{ name: "a", inputSchema: { type: "object" } }, hostile, { name: "b", inputSchema: { type: "object" } }])
    expect(r.items.map((t) => t.name)).toEqual(["a", "b"])
    expect(r.issues).toEqual([{ kind: "tool", name: "hostile", action: "dropped", why: "checking its definition failed: Maximum call stack size exceeded." }])
  })
})

describe("keys named like Object.prototype members", () => {
  test("normalising draft-07 dependencies keeps a property named __proto__ as data", () => {
    const s = JSON.parse('{"type":"object","dependencies":{"__proto__":["b"],"constructor":{"required":["a"]}}}') as Record<string, unknown>
    const n = normalizeSchema(s)
    expect(JSON.stringify(n)).toBe('{"type":"object","dependentRequired":{"__proto__":["b"]},"dependentSchemas":{"constructor":{"required":["a"]}}}')
    expect(Object.getPrototypeOf(n.dependentRequired)).toBe(Object.prototype)
  })
})

/** A pool answering each list method with the next of `answers` (per method). */
function stubPool(answers: Record<string, unknown[]>, capabilities: Record<string, unknown> = { tools: {} }): Pool {
  return {
    call: async (_server: string, method: string) => {
      const next = answers[method]!.shift()
      if (next instanceof Error) throw next
      return next
    },
    get: () => ({ info: { capabilities } }),
  } as unknown as Pool
}

describe("fetch-list", () => {
  test("an answer that is no list fails the listing (BAD_RESPONSE), whatever page it is", async () => {
    for (const bad of [{ tools: "nope" }, { tools: {} }, {}, null, [], 7]) {
      const err = await fetchList(stubPool({ "tools/list": [bad] }), "s", "tools/list").catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DownstreamError)
      expect((err as DownstreamError).code).toBe("BAD_RESPONSE")
      expect((err as DownstreamError).message).toStartWith("its answer to tools/list is not valid MCP: ")
    }
    const second = await fetchList(stubPool({ "tools/list": [{ tools: [{ name: "a" }], nextCursor: "2" }, { tools: "nope" }] }), "s", "tools/list").catch((e: unknown) => e)
    expect((second as DownstreamError).code).toBe("BAD_RESPONSE")
  })

  test("no field from a server that does not declare the capability is no items; with it, a failure", async () => {
    expect(await fetchList(stubPool({ "tools/list": [{}] }, { prompts: {} }), "s", "tools/list")).toEqual([])
    expect(await fetchList(stubPool({ "prompts/list": [{}] }, { tools: {} }), "s", "prompts/list")).toEqual([])
    const err = await fetchList(stubPool({ "prompts/list": [{}] }, { prompts: {} }), "s", "prompts/list").catch((e: unknown) => e)
    expect((err as Error).message).toBe("its answer to prompts/list is not valid MCP: it has no prompts list, though the server declares prompts")
  })

  test("a failed listing leaves the server's previous list as it was", async () => {
    const e: ServerLists = { server: "s" }
    await refreshLists(stubPool({ "tools/list": [{ tools: [{ name: "a", inputSchema: { type: "object" } }] }] }), e, "tools")
    const before = e.tools
    expect(before!.map((t) => t.name)).toEqual(["a"])
    await expect(refreshLists(stubPool({ "tools/list": [{ tools: "nope" }] }), e, "tools")).rejects.toThrow("not a list")
    expect(e.tools).toBe(before!)
    // resources: each list stands on its own; one whose answer is no list keeps what it held
    e.resources = [{ uri: "x://a", name: "a" }]
    e.templates = [{ uriTemplate: "x://t/{x}", name: "t" }]
    const pool = stubPool({ "resources/list": [{ resources: [{ uri: "x://b", name: "b" }] }], "resources/templates/list": [{ resourceTemplates: 1 }] }, { resources: {} })
    expect(await refreshLists(pool, e, "resources")).toBe(true)
    expect(e.resources).toEqual([{ uri: "x://b", name: "b" }])
    expect(e.templates).toEqual([{ uriTemplate: "x://t/{x}", name: "t" }])
    // both failing: the listing fails, both stay
    const neither = stubPool({ "resources/list": [{ resources: "nope" }], "resources/templates/list": [{ resourceTemplates: 1 }] }, { resources: {} })
    await expect(refreshLists(neither, e, "resources")).rejects.toThrow('its resources is "nope", not a list')
    expect(e.resources).toEqual([{ uri: "x://b", name: "b" }])
    // a server that does not serve templates (an error) has none, while it has listed none
    e.templates = []
    const noTemplates = stubPool({ "resources/list": [{ resources: [] }], "resources/templates/list": [new Error("Method not found")] }, { resources: {} })
    expect(await refreshLists(noTemplates, e, "resources")).toBe(true)
    expect(e.templates).toEqual([])
  })

  test("a definition the pin gate cannot take drops that tool only (listed in the issues)", async () => {
    const e: ServerLists = { server: "s" }
    const tools = ["a", "b", "c"].map((name) => ({ name, inputSchema: { type: "object" } }))
    const gate = (_server: string, ts: Tool[]): Tool[] => {
      if (ts.some((t) => t.name === "b")) throw new RangeError("Maximum call stack size exceeded.")
      return ts
    }
    await refreshLists(stubPool({ "tools/list": [{ tools }] }), e, "tools", gate)
    expect(e.tools!.map((t) => t.name)).toEqual(["a", "c"])
    expect(e.issues?.tools).toEqual([{ kind: "tool", name: "b", action: "dropped", why: "pinning its definition failed: Maximum call stack size exceeded." }])
  })
})
