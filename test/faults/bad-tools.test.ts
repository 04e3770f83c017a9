/**
 * One bad downstream never breaks the others (issue 11 §4): a server listing malformed tools,
 * prompts and resources among good ones, driven through the compiled binary with the SDK's real
 * Client. The figure: `listTools()` succeeds (straight against the fixture it throws), every good
 * and repairable tool is there, the rest is named in orchestrator_status and in a warning; schemas
 * lose their draft-04/07 `$schema`; no hidden code point (Cf / default-ignorable, selector runs, tag
 * characters) reaches the client, while ordinary emoji survive.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { join } from "node:path"
import Ajv2020 from "ajv/dist/2020"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { normalizeSchema, stripInvisible } from "../../src/catalog/index.ts"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"
import { SMALL_ICON } from "./servers/bad-tools-server.ts"

const BAD = join(import.meta.dir, "servers", "bad-tools-server.ts")
const FAULT = join(import.meta.dir, "..", "fixtures", "servers", "fault-server.ts")

/** Invisible code points a client must not get: every Cf / default-ignorable one except a single VS after a base and a ZWJ between pictographs. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu
const ALLOWED_INVISIBLE = /^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u200D]$/u

function hiddenLeft(text: string): string[] {
  return [...text.matchAll(INVISIBLE)].map((m) => m[0]).filter((c) => !ALLOWED_INVISIBLE.test(c))
}

let env: Record<string, string>
let configPath: string

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  configPath = writeConfig(env, {
    toolkit: { enabled: "off" },
    warm: ["bad", "f"],
    servers: { bad: { command: process.execPath, args: [BAD] }, f: { command: process.execPath, args: [FAULT] } },
  })
})

describe("a malformed tool among good ones", () => {
  test("control: the SDK Client talking to the fixture directly rejects the whole tools/list", async () => {
    const client = new Client({ name: "control", version: "1.0.0" })
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BAD], stderr: "pipe" }))
    try {
      await expect(client.listTools()).rejects.toThrow()
    } finally {
      await client.close()
    }
  }, 20_000)

  describe("through the binary", () => {
    let c: Connected
    beforeAll(async () => {
      c = await connectBinary(["serve", "--config", configPath], env)
    })
    afterAll(async () => {
      await c?.close()
    })

    test("listTools() succeeds with the good and the repaired tools; the invalid ones are gone; the other server is untouched", async () => {
      const { tools } = await c.client.listTools()
      const names = tools.map((t) => t.name).sort()
      const bad = names.filter((n) => n.startsWith("bad__"))
      expect(bad).toEqual(
        ["good", "no_schema", "number_description", "untyped_schema", "array_output", "broken_output", "draft07", "draft04", "hidden_text", "bad_annotations", "big_icon", "big_meta", "huge_schema"].map((n) => `bad__${n}`).sort(),
      )
      expect(names).toContain("f__echo")
      const by = (n: string) => tools.find((t) => t.name === `bad__${n}`)!
      expect(by("no_schema").inputSchema).toEqual({ type: "object" })
      expect(by("number_description").description).toBeUndefined()
      expect(by("untyped_schema").inputSchema).toEqual({ type: "object", properties: { a: { type: "number" } }, required: ["a"] })
      expect(by("array_output").outputSchema).toBeUndefined()
      // a keyword the meta-schemas refuse (type "strng") is removed, the rest of the schema kept (catalog/schema-compile)
      expect(by("broken_output").outputSchema).toEqual({ type: "object", properties: { a: {} } })
      expect(by("bad_annotations").annotations).toBeUndefined()
      // decorations too big to pass on (a 5 MB icon, a 1 MB _meta) are removed: they went to every client in every list
      expect(by("big_icon").icons).toEqual([SMALL_ICON])
      expect(by("big_meta")._meta).toBeUndefined()
      // a 1 MB inputSchema is not passed on: the tool stays, callable with any arguments (only its schema was at fault)
      // (toEqual, not toMatchObject: Bun 1.4.5's toMatchObject writes its asymmetric matchers into the object it checks)
      expect([by("huge_schema").description, by("huge_schema").inputSchema]).toEqual(["A 1 MB inputSchema.", { type: "object", description: expect.stringContaining("any arguments are accepted") }])
      expect(JSON.stringify((await c.client.callTool({ name: "bad__huge_schema", arguments: { p1: "x" } })).content)).toContain("called huge_schema")
      expect(JSON.stringify(tools).length).toBeLessThan(200_000)
      // schema normalisation: no draft-04/07 declaration left; draft-04 boolean bounds in 2020-12 form
      expect(JSON.stringify(tools)).not.toMatch(/json-schema\.org\/draft-0/)
      expect(by("draft07").inputSchema).toEqual({ type: "object", properties: { n: { type: "number", minimum: 0 } }, additionalProperties: false })
      expect(by("draft07").outputSchema).toEqual({ type: "object", properties: { ok: { type: "boolean" } } })
      expect(by("draft04").inputSchema).toEqual({ type: "object", properties: { n: { type: "number", exclusiveMinimum: 1 } } })
      // every schema the client got compiles in a 2020-12-only validator (what Claude Desktop/Code use)
      const ajv = new Ajv2020({ logger: false })
      for (const t of tools) for (const schema of [t.inputSchema, t.outputSchema].filter(Boolean)) expect(() => ajv.compile(schema as object)).not.toThrow()
      // a repaired tool is callable
      const r = await c.client.callTool({ name: "bad__no_schema", arguments: {} })
      expect(r.content).toEqual([{ type: "text", text: "called no_schema" }])
    }, 30_000)

    test("hidden Unicode: nothing invisible survives but one selector after an emoji and a ZWJ between pictographs", async () => {
      const { tools } = await c.client.listTools()
      expect(hiddenLeft(JSON.stringify(tools))).toEqual([])
      const hidden = tools.find((t) => t.name === "bad__hidden_text")!
      expect(hidden.title).toBe("Hidden text")
      expect(hidden.description).toBe("Visible start middle ❤\uFE0F end. Family 👩\u200D💻 stays.")
      expect((hidden.inputSchema.properties as Record<string, { description: string }>).q!.description).toBe("query")
    }, 30_000)

    test("prompts and resources: bad entries dropped or repaired, the lists still parse", async () => {
      const listed = (await c.client.listPrompts()).prompts
      const prompts = listed.map((p) => p.name)
      expect(prompts).toContain("bad__good_prompt")
      // an argument no client can fill in (no name, not an object) goes, not the prompt
      expect(listed.find((p) => p.name === "bad__nameless_argument")?.arguments).toEqual([{ name: "ok" }])
      const resources = (await c.client.listResources()).resources
      expect(resources.map((r) => [r.uri, r.name]).sort()).toEqual([
        ["bad://big_meta", "big meta"],
        ["bad://good", "good resource"],
        ["bad://nameless", "bad://nameless"],
      ])
      const big = resources.find((r) => r.uri === "bad://big_meta")!
      expect([big._meta, big.icons]).toEqual([undefined, undefined])
      expect((await c.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual(["bad://t/{id}"])
    }, 30_000)

    test("orchestrator_status names every dropped and repaired item of that server; the log warns naming server and tool", async () => {
      const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
      const s = r.structuredContent as { servers: { name: string; dropped?: { kind: string; name: string; why: string }[]; repaired?: { kind: string; name: string; why: string }[] }[] }
      const bad = s.servers.find((x) => x.name === "bad")!
      expect(bad.dropped!.map((d) => `${d.kind}:${d.name}`).sort()).toEqual(
        ["tool:#2", "tool:string_schema", "tool:array_schema", "tool:#12", "prompt:#2", "resource:#2", "template:#1"].sort(),
      )
      expect(bad.dropped!.find((d) => d.name === "string_schema")!.why).toContain("inputSchema is string")
      expect(bad.repaired!.find((d) => d.name === "huge_schema")!.why).toMatch(/^inputSchema not read \(it is \d+ KiB of JSON, over the 512 KiB/)
      expect(bad.repaired!.map((d) => `${d.kind}:${d.name}`).sort()).toEqual(
        ["tool:no_schema", "tool:number_description", "tool:untyped_schema", "tool:array_output", "tool:broken_output", "tool:bad_annotations", "tool:big_icon", "tool:big_meta", "tool:huge_schema", "prompt:nameless_argument", "resource:bad://nameless", "resource:bad://big_meta"].sort(),
      )
      expect(s.servers.find((x) => x.name === "f")!.dropped).toBeUndefined()
      const text = (r.content as { text: string }[])[0]!.text
      expect(text).toContain("dropped (invalid): ")
      expect(text).toContain("tool #2 (missing or empty name)")
      expect(text).toContain("tool string_schema (inputSchema is string, not an object)")
      const warnings = c
        .stderr()
        .split("\n")
        .filter((l) => l.includes("dropped: its definition is invalid"))
        .map((l) => JSON.parse(l) as { level: string; server: string; name: string })
      expect(warnings).toContainEqual(expect.objectContaining({ level: "warn", server: "bad", name: "string_schema" }))
    }, 30_000)
  })
})

describe("units", () => {
  test("stripInvisible: no Cf / default-ignorable code point survives except one VS after a visible base and a ZWJ between pictographs (fast-check)", () => {
    const invisible = fc.constantFrom("\u2060", "\u2061", "\u2064", "\u061C", "\u180E", "\uFE0F", "\uFE00", "\u{E0100}", "\u{E0041}", "\u{E007F}", "\u200D", "\u200B", "\u00AD", "\uFEFF", "\u202E", "\u3164", "\u034F")
    const visible = fc.constantFrom("a", "Z", " ", "❤", "👩", "💻", "字", "é")
    fc.assert(
      fc.property(fc.array(fc.oneof(visible, invisible), { maxLength: 40 }), (parts) => {
        const { text, removed } = stripInvisible(parts.join(""))
        expect(hiddenLeft(text)).toEqual([])
        // no two selectors in a row, no selector or ZWJ first
        expect(text).not.toMatch(/[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]{2}/u)
        expect(text).not.toMatch(/^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u200D]/u)
        // visible text kept in order
        expect(text.replace(/[\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u200D]/gu, "")).toBe(parts.filter((p) => !/[\p{Cf}\p{Default_Ignorable_Code_Point}]/u.test(p)).join(""))
        expect(removed).toBe([...parts.join("")].length - [...text].length)
      }),
      { numRuns: 3000 },
    )
  })

  test("stripInvisible keeps ordinary emoji sequences whole", () => {
    for (const e of ["❤️", "👩‍💻", "👨‍👩‍👧", "👍🏽", "👩🏽‍💻", "❤️‍🔥", "1️⃣", "plain text"]) expect(stripInvisible(e)).toEqual({ text: e, removed: 0 })
    expect(stripInvisible("🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}").text).toBe("🏴")
  })

  test("normalizeSchema: non-2020-12 $schema removed at any depth, draft-04 bounds converted, data and property names untouched", () => {
    const s = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: {
        $schema: { type: "string", default: { $schema: "http://json-schema.org/draft-04/schema#" } },
        n: { type: "number", minimum: 2, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false },
        sub: { $schema: "http://json-schema.org/draft-04/schema#", type: "object" },
      },
      definitions: { x: { type: "string" } },
    }
    expect(normalizeSchema(s)).toEqual({
      type: "object",
      properties: {
        $schema: { type: "string", default: { $schema: "http://json-schema.org/draft-04/schema#" } },
        n: { type: "number", exclusiveMinimum: 2, maximum: 9 },
        sub: { type: "object" },
      },
      definitions: { x: { type: "string" } },
    })
    const modern = { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" }
    expect(normalizeSchema(modern)).toBe(modern)
  })

  test("normalised draft-04/07 schemas compile under a 2020-12-only validator (Ajv2020, as strict clients use); the raw ones do not", () => {
    const draft04 = {
      $schema: "http://json-schema.org/draft-04/schema#",
      type: "object",
      properties: {
        pair: { type: "array", items: [{ type: "string" }, { type: "number" }], additionalItems: false },
        n: { type: "number", minimum: 0, exclusiveMinimum: true },
        ref: { $ref: "#/definitions/x" },
        a: { type: "string" },
        b: { type: "string" },
      },
      dependencies: { a: ["b"], b: { required: ["a"] } },
      definitions: { x: { type: "string" } },
      additionalProperties: false,
    }
    const draft07 = { $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: { x: { type: "string" } }, required: ["x"] }
    const compiles = (schema: object): boolean => {
      try {
        new Ajv2020({ logger: false }).compile(schema)
        return true
      } catch {
        return false
      }
    }
    expect([compiles(draft04), compiles(draft07)]).toEqual([false, false])
    const n04 = normalizeSchema(draft04)
    expect([compiles(n04), compiles(normalizeSchema(draft07))]).toEqual([true, true])
    expect(n04).toMatchObject({
      properties: { pair: { prefixItems: [{ type: "string" }, { type: "number" }], items: false }, n: { exclusiveMinimum: 0 } },
      dependentRequired: { a: ["b"] },
      dependentSchemas: { b: { required: ["a"] } },
    })
    const v = new Ajv2020({ logger: false }).compile(n04)
    expect(v({ pair: ["a", 1], n: 1, a: "x", b: "y" })).toBe(true)
    expect(v({ n: 0 })).toBe(false) // exclusive bound kept
    expect(v({ a: "x" })).toBe(false) // dependency kept
    expect(v({ pair: ["a", 1, 2] })).toBe(false) // no additional items
  })
})
