/**
 * Our own tools' listed schemas are in the spelling every client and model API maps without loss
 * (mcp/own-schema-portable), as the MCP Inspector's `--strict` lint reads them: no array `type`
 * (Gemini-style single-`type` dialects drop or refuse it), no sub-schema that constrains nothing
 * (`{}`; `additionalProperties: true` is the spelling for a free-form object). Checked on every
 * documented own tool's input and output schema, and on what the compiled binary lists, through
 * the SDK's real Client. The rewrite accepts what the zod schema accepts (Ajv on both spellings).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { writeFileSync } from "node:fs"
import Ajv2020 from "ajv/dist/2020"
import { z } from "zod"
import { documentedTools } from "../../src/app/tool-catalog.ts"
import { toJsonSchema } from "../../src/mcp/own-tools.ts"
import { portableSchema } from "../../src/mcp/own-schema-portable.ts"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

const ANNOTATIONS = new Set(["description", "title", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly"])
const ONE = ["items", "contains", "not", "propertyNames", "if", "then", "else", "additionalProperties", "unevaluatedProperties", "unevaluatedItems"]
const LIST = ["anyOf", "oneOf", "allOf", "prefixItems"]
const MAP = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]
const OPEN = new Set(["additionalProperties", "unevaluatedProperties"])

/** What the Inspector's `--strict` flags, with where it is. */
function unportable(s: unknown, path: string, keyword?: string): string[] {
  if (typeof s === "boolean") return OPEN.has(keyword ?? "") ? [] : [`${path}: bare ${s}`]
  if (s === null || typeof s !== "object" || Array.isArray(s)) return []
  const node = s as Record<string, unknown>
  const out: string[] = []
  if (Array.isArray(node.type)) out.push(`${path}: type ${JSON.stringify(node.type)}`)
  if (keyword !== "not" && Object.keys(node).every((k) => ANNOTATIONS.has(k))) out.push(`${path}: constrains nothing`)
  for (const k of ONE) if (k in node) out.push(...unportable(node[k], `${path}.${k}`, k))
  for (const k of LIST) if (Array.isArray(node[k])) (node[k] as unknown[]).forEach((x, i) => out.push(...unportable(x, `${path}.${k}[${i}]`, k)))
  for (const k of MAP) if (node[k] && typeof node[k] === "object") for (const [n, x] of Object.entries(node[k] as object)) out.push(...unportable(x, `${path}.${k}.${n}`, k))
  return out
}

describe("own tool schemas", () => {
  test("every documented tool's input and output schema is portable", () => {
    const problems: string[] = []
    for (const t of documentedTools()) {
      problems.push(...unportable(toJsonSchema(t.input, "input"), `${t.name} inputSchema`))
      if (t.output) problems.push(...unportable(toJsonSchema(t.output, "output"), `${t.name} outputSchema`))
    }
    expect(problems).toEqual([])
  })

  test("the rewrite accepts exactly what the schema accepted (nullable, free-form, unknown, enum with null)", () => {
    const schema = z.object({
      file: z.string().nullable(),
      mode: z.enum(["a", "b"]).nullable().optional(),
      args: z.record(z.string(), z.unknown()),
      result: z.unknown().describe("any value"),
      count: z.number().int().min(1).nullable(),
    })
    const before = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>
    delete before.$schema
    // zod may already spell nullables as anyOf: the array spelling is what other generators write
    before.properties = { ...(before.properties as object), legacy: { type: ["string", "null"], minLength: 2, description: "d" } }
    const after = portableSchema(before)
    expect(unportable(after, "after")).toEqual([])
    const ajv = new Ajv2020({ strict: false })
    const [a, b] = [ajv.compile(before), ajv.compile(after)]
    const samples: unknown[] = [
      { file: null, args: {}, result: 1, count: null },
      { file: "x", mode: "a", args: { k: [1] }, result: null, count: 3, legacy: "ab" },
      { file: "x", args: {}, result: "s", count: 0 },
      { file: 1, args: {}, result: {}, count: 1 },
      { file: "x", mode: "c", args: {}, result: [], count: 1 },
      { file: "x", args: {}, result: true, count: 1, legacy: "a" },
      { file: "x", args: {}, result: true, count: 1, legacy: null },
      { file: "x", args: {}, result: true, count: 1, legacy: 5 },
      { file: "x", args: [], result: 1, count: 1 },
    ]
    expect(samples.map((s) => b(s))).toEqual(samples.map((s) => a(s)))
    expect(samples.map((s) => a(s))).toContain(true)
    expect(samples.map((s) => a(s))).toContain(false)
  })
})

describe("through the binary", () => {
  let c: Connected
  beforeAll(async () => {
    await ensureBuilt()
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: {} }))
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the listed own tools' schemas are portable", async () => {
    const { tools } = await c.client.listTools()
    expect(tools.length).toBeGreaterThan(3)
    const problems = tools.flatMap((t) => [...unportable(t.inputSchema, `${t.name} inputSchema`), ...(t.outputSchema ? unportable(t.outputSchema, `${t.name} outputSchema`) : [])])
    expect(problems).toEqual([])
  })
})
