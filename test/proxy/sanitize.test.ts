/**
 * Tool-poisoning defence: hidden characters are removed from downstream descriptions (also inside
 * input schemas), oversized descriptions are capped, clean items are passed through untouched,
 * and the warning names the server and tool; an item with hidden characters in a value its server
 * matches exactly (an enum member, a property name…) is withheld and named in the status.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { join } from "node:path"
import { cleanText, sanitizeItem } from "../../src/catalog/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { BUN, captureLog, config, ROOT } from "./helpers.ts"

const POISONED = join(ROOT, "test", "fixtures", "servers", "poisoned-server.ts")
const HOSTILE = join(ROOT, "test", "faults", "servers", "poisoned-definitions-server.ts")
const HIDDEN = /[\u{E0000}-\u{E007F}\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u00AD]/u

describe("sanitizer", () => {
  test("no hidden character survives, visible text is kept in order (fast-check)", () => {
    const hiddenChar = fc.constantFrom("\u{E0041}", "\u{E007F}", "\u200B", "\u200F", "\u202E", "\u2066", "\uFEFF", "\u00AD")
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), hiddenChar)), (parts) => {
        const text = parts.join("")
        const out = cleanText(text, 1_000_000, { hidden: 0, truncated: 0 })
        expect(HIDDEN.test(out)).toBe(false)
        expect(out).toBe(text.replace(new RegExp(HIDDEN.source, "gu"), ""))
      }),
      { numRuns: 2000 },
    )
  })

  test("a clean item is the same object; a dirty one is a copy with nested descriptions cleaned", () => {
    const clean = { name: "t", description: "ok", inputSchema: { type: "object", properties: { a: { type: "string", description: "fine" } } } }
    expect(sanitizeItem(clean, { maxDescription: 100 }, { hidden: 0, truncated: 0 })).toBe(clean)
    const dirty = { name: "t", description: "ok", inputSchema: { type: "object", properties: { a: { type: "string", description: "fi\u200Bne" }, description: { type: "string" } } } }
    const report = { hidden: 0, truncated: 0 }
    const out = sanitizeItem(dirty, { maxDescription: 100 }, report)
    expect(out).not.toBe(dirty)
    expect(out.inputSchema.properties.a.description).toBe("fine")
    expect(out.inputSchema.properties.description).toEqual({ type: "string" })
    expect(dirty.inputSchema.properties.a.description).toBe("fi\u200Bne") // the original is not mutated
    expect(report.hidden).toBe(1)
  })
})

describe("through the proxy, against a poisoned server", () => {
  test("descriptions reach the client clean and capped; the warning names server and tool", async () => {
    const { log, records } = captureLog()
    await using proxy = createProxy({ config: config({ servers: { p: { command: BUN, args: [POISONED] } } }), log })
    const tools = await proxy.listTools()
    const add = tools.find((t) => t.name === "p__add")!
    expect(add.description).toBe("Adds two numbers.")
    expect(JSON.stringify(add.inputSchema)).not.toMatch(HIDDEN)
    expect((add.inputSchema.properties as Record<string, { description?: string }>).a!.description).toBe("first number")
    const verbose = tools.find((t) => t.name === "p__verbose")!
    expect(verbose.description!.length).toBeLessThan(4200)
    expect(verbose.description).toContain("[truncated by mcp-orchestrator: 20000 characters]")
    expect(tools.find((t) => t.name === "p__clean")!.description).toBe("Nothing to see here.")
    const warn = records.find((r) => r.msg.includes("possible tool poisoning"))
    expect(warn).toMatchObject({ level: "warn", server: "p", name: "add" })
  }, 20_000)

  test("a tool, prompt, resource or template poisoned in a value its server matches exactly is withheld, warned about and in the status", async () => {
    const { log, records } = captureLog()
    await using proxy = createProxy({ config: config({ servers: { h: { command: BUN, args: [HOSTILE] } } }), log })
    const tools = await proxy.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(["h__long_emoji", "h__strip_me"])
    const strip = tools.find((t) => t.name === "h__strip_me")!
    expect((strip.inputSchema.properties as Record<string, { default?: unknown; examples?: unknown }>).path).toMatchObject({ default: "x", examples: ["e", { nested: "n" }] })
    expect((await proxy.listPrompts()).map((p) => p.name)).toEqual(["h__clean_me"])
    expect((await proxy.listResources()).map((r) => r.uri)).toEqual(["hostile://readme"])
    expect((await proxy.listResourceTemplates()).map((t) => t.uriTemplate)).toEqual(["hostile://t/{id}"])
    expect(JSON.stringify([tools, await proxy.listPrompts(), await proxy.listResources(), await proxy.listResourceTemplates()])).not.toMatch(HIDDEN)
    const warn = records.find((r) => r.msg.includes("withheld") && r.name === "poison_enum")
    expect(warn).toMatchObject({ level: "warn", server: "h", where: "inputSchema.properties.path.enum[0]" })
    const dropped = proxy.status().servers.find((s) => s.name === "h")!.dropped!
    expect(dropped.map((d) => `${d.kind}:${d.name}`)).toContain("tool:poison_key")
    expect(dropped.find((d) => d.name === "poison_key")!.why).toBe("withheld: hidden characters in inputSchema.properties.path (possible tool poisoning)")
  }, 20_000)

  test("proxy.sanitize: false passes descriptions through unchanged", async () => {
    const { log } = captureLog()
    await using proxy = createProxy({ config: config({ servers: { p: { command: BUN, args: [POISONED] } }, proxy: { sanitize: false } }), log })
    const add = (await proxy.listTools()).find((t) => t.name === "p__add")!
    expect(add.description).toMatch(HIDDEN)
  }, 20_000)

  test("proxy.sanitize: false withholds nothing", async () => {
    const { log } = captureLog()
    await using proxy = createProxy({ config: config({ servers: { h: { command: BUN, args: [HOSTILE] } }, proxy: { sanitize: false } }), log })
    expect((await proxy.listTools()).map((t) => t.name)).toContain("h__poison_enum")
    expect(proxy.status().servers.find((s) => s.name === "h")!.dropped).toBeUndefined()
  }, 20_000)
})
