/**
 * Downstream tool schemas a model API refuses never reach the client with `proxy.portableSchemas:
 * true` (off by default: the spec keeps them, see below): clients hand the aggregated tools/list to the provider as it is, and one refused
 * schema fails the whole request — every tool of every server gone. Through the compiled binary
 * with the SDK v1 Client, a raw downstream listing valid schemas with `$ref`/`$defs` (nested,
 * recursive, to the root, to a sibling property), `propertyNames`, a top-level `anyOf`/`oneOf` and
 * `const` (servers/provider-shapes-server.ts) next to server-everything:
 * - every exposed input schema has none of those keywords, an object root, and still compiles in
 *   Ajv 2020-12; what the `$ref`s pointed to is inlined; describe_tools shows the same schema;
 * - calls are forwarded with the arguments as the client sent them;
 * - server-everything's tools are the same with the option off, and with it off the downstream's
 *   schemas are listed as it sent them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import Ajv2020 from "ajv/dist/2020"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { SHAPES } from "./servers/provider-shapes-server.ts"

const SERVER = join(import.meta.dir, "servers", "provider-shapes-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
/** Keywords some model API refuses in a function's parameters (Gemini: all of them). */
const REFUSED = ["$ref", "$defs", "definitions", "propertyNames", "const", "$dynamicRef", "$anchor"]

type Tool = { name: string; description?: string; inputSchema: Record<string, unknown> }

/** Where in a schema a refused keyword is (keys of `properties` are names, values under `enum`/`default`/`examples` data). */
function refused(s: unknown, path = ""): string[] {
  if (Array.isArray(s)) return s.flatMap((x, i) => refused(x, `${path}/${i}`))
  if (s === null || typeof s !== "object") return []
  return Object.entries(s as Record<string, unknown>).flatMap(([k, v]) => {
    if (["enum", "default", "examples"].includes(k)) return []
    if (k === "properties" && v !== null && typeof v === "object") return Object.entries(v).flatMap(([name, sub]) => refused(sub, `${path}/properties/${name}`))
    return [...(REFUSED.includes(k) ? [`${path}/${k}`] : []), ...refused(v, `${path}/${k}`)]
  })
}

async function start(portableSchemas?: boolean): Promise<{ c: Connected; tools: Tool[] }> {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.json")
  const servers = { shapes: { command: process.execPath, args: [SERVER] }, ev: { command: process.execPath, args: [EVERYTHING, "stdio"] } }
  const proxy = portableSchemas === undefined ? {} : { proxy: { portableSchemas } }
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, warm: ["shapes", "ev"], ...proxy }))
  const c = await connectBinary(["serve", "--config", cfg], env)
  await listUntil(c.client, "shapes__plain")
  await listUntil(c.client, "ev__echo")
  return { c, tools: (await c.client.listTools()).tools as unknown as Tool[] }
}

let on: { c: Connected; tools: Tool[] }
let off: { c: Connected; tools: Tool[] }
const shapes = (tools: Tool[]): Tool[] => tools.filter((t) => t.name.startsWith("shapes__"))
const byName = (tools: Tool[], name: string): Tool => tools.find((t) => t.name === name)!

beforeAll(async () => {
  await ensureBuilt()
  ;[on, off] = await Promise.all([start(true), start()])
}, 90_000)
afterAll(async () => {
  await on?.c.close()
  await off?.c.close()
})

describe("proxy.portableSchemas: true", () => {
  test("no exposed input schema has a keyword a model API refuses; each has an object root without anyOf/oneOf/allOf and compiles", () => {
    expect(shapes(on.tools).map((t) => t.name).sort()).toEqual(Object.keys(SHAPES).map((n) => `shapes__${n}`).sort())
    const problems: string[] = []
    for (const t of on.tools) {
      for (const p of refused(t.inputSchema)) problems.push(`${t.name}: ${p}`)
      if (t.inputSchema.type !== "object") problems.push(`${t.name}: root type ${JSON.stringify(t.inputSchema.type)}`)
      for (const k of ["anyOf", "oneOf", "allOf"]) if (t.inputSchema[k] !== undefined) problems.push(`${t.name}: top-level ${k}`)
      try {
        new Ajv2020({ strict: false, logger: false }).compile(t.inputSchema)
      } catch (e) {
        problems.push(`${t.name}: ${String(e)}`)
      }
    }
    expect(problems).toEqual([])
  })

  test("what the $refs pointed to is inlined; recursion cut to its type; alternatives merged into the root", () => {
    expect(byName(on.tools, "shapes__ref_defs").inputSchema).toEqual({
      type: "object",
      properties: { user: { type: "object", properties: { id: { type: "string" }, tags: { type: "array", items: { type: "string", enum: ["a", "b"] } } }, required: ["id"] } },
      required: ["user"],
    })
    const tree = byName(on.tools, "shapes__ref_recursive").inputSchema as any
    expect(tree.properties.tree.properties.value).toEqual({ type: "number" })
    expect(tree.properties.tree.properties.kids).toEqual({ type: "array", items: { type: "object", description: "A node." } })
    expect((byName(on.tools, "shapes__ref_sibling").inputSchema as any).properties.to).toEqual({ type: "object", properties: { city: { type: "string" } }, description: "Where to." })
    expect((byName(on.tools, "shapes__record").inputSchema as any).properties.labels).toEqual({ type: "object", additionalProperties: { type: "string" } })
    const any = byName(on.tools, "shapes__root_any_of").inputSchema as any
    expect(Object.keys(any.properties).sort()).toEqual(["path", "url"])
    expect(any.required).toBeUndefined()
    expect(any.description).toContain("path")
    expect((byName(on.tools, "shapes__root_one_of").inputSchema as any).properties).toMatchObject({ mode: { type: "string" }, n: { type: "integer" }, delay: { type: "number" } })
    // nothing to change: the same schema
    expect(byName(on.tools, "shapes__plain").inputSchema).toEqual(SHAPES.plain!)
  })

  test("every required name is one its schema's properties define, at every level (Gemini refuses the request otherwise)", () => {
    const undefinedRequired = (x: unknown, path = ""): string[] => {
      if (Array.isArray(x)) return x.flatMap((v, i) => undefinedRequired(v, `${path}/${i}`))
      if (x === null || typeof x !== "object") return []
      const o = x as Record<string, unknown>
      const props = o.properties !== null && typeof o.properties === "object" ? (o.properties as object) : {}
      const own = Array.isArray(o.required) ? o.required.filter((n) => typeof n !== "string" || !Object.hasOwn(props, n)).map((n) => `${path}/required: ${JSON.stringify(n)}`) : []
      return [...own, ...Object.entries(o).flatMap(([k, v]) => (["enum", "default", "examples"].includes(k) ? [] : undefinedRequired(v, `${path}/${k}`)))]
    }
    expect(on.tools.flatMap((t) => undefinedRequired(t.inputSchema, t.name))).toEqual([])
    const req = byName(on.tools, "shapes__required_undefined").inputSchema as any
    expect(req.required).toEqual(["a"])
    expect(req.properties.nested.required).toEqual(["b"])
    expect(byName(on.tools, "shapes__required_no_props").inputSchema).toEqual({ type: "object" })
  })

  test("calls are forwarded with the arguments as sent; describe_tools shows the listed schema", async () => {
    const args = { user: { id: "u1", tags: ["a"], extra: { $ref: "#/x" } } }
    const r = (await on.c.client.callTool({ name: "shapes__ref_defs", arguments: args })) as CallToolResult
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual({ name: "ref_defs", arguments: args })
    const d = await on.c.client.callTool({ name: "describe_tools", arguments: { names: ["shapes__record", "shapes__ref_recursive"] } })
    const described = (d.structuredContent as { tools: Tool[] }).tools
    expect(described.map((t) => t.inputSchema)).toEqual([byName(on.tools, "shapes__record").inputSchema, byName(on.tools, "shapes__ref_recursive").inputSchema])
  })
})

describe("proxy.portableSchemas off (the default)", () => {
  test("the downstream's schemas are listed as it sent them; server-everything's tools are the same either way", () => {
    for (const [name, schema] of Object.entries(SHAPES)) expect(byName(off.tools, `shapes__${name}`).inputSchema).toEqual(schema)
    const ev = (tools: Tool[]): Tool[] => tools.filter((t) => t.name.startsWith("ev__"))
    expect(ev(on.tools).length).toBeGreaterThan(5)
    expect(ev(on.tools)).toEqual(ev(off.tools))
  })
})
