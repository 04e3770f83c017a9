/**
 * QA 104: clients that turn MCP tools into model function-calling tools (Vercel AI SDK, LangChain's
 * MultiServerMCPClient, mcp-use, Cursor with a Gemini model) send each tool's name and inputSchema
 * to the model API, which takes a subset of JSON Schema: an object at the top (no top-level
 * anyOf/oneOf/allOf/not, no $ref), names of at most 64 characters from [A-Za-z0-9_.-] starting with a
 * letter or `_`, and Gemini's function declarations refuse any keyword outside its OpenAPI subset
 * (`Unknown name "propertyNames"`: HTTP 400 for the whole request, every tool lost). Our own tools'
 * schemas come from zod, whose `z.record(z.string(), …)` adds `propertyNames: {type: "string"}`
 * (call_tool's and run_code's free-form arguments): listed so, the meta-tools of expose
 * search/code, the only way to reach a tool there, broke the session for such clients. Every own
 * tool, in every expose mode, the Toolkit's management tools too (the fake docker), is
 * checked against that subset here, over the binary's real tools/list.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { writeFileSync } from "node:fs"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

/** Keywords Gemini's function declarations take (OpenAPI 3.0 subset), plus `additionalProperties` and `title`, which the clients' Gemini converters strip and OpenAI/Anthropic take. */
const SUBSET = new Set(["type", "description", "properties", "required", "items", "enum", "format", "nullable", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength", "pattern", "anyOf", "default", "title", "additionalProperties", "minProperties", "maxProperties", "propertyOrdering", "example"])
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/

/** Where a schema leaves the subset: "path: keyword" for each keyword outside it. */
function outside(schema: unknown, path = ""): string[] {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return []
  const out: string[] = []
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (!SUBSET.has(k)) out.push(`${path || "/"}: ${k}`)
    if (k === "properties" && v && typeof v === "object") for (const [p, s] of Object.entries(v)) out.push(...outside(s, `${path}/properties/${p}`))
    else if (k === "items" || (k === "additionalProperties" && typeof v === "object")) out.push(...outside(v, `${path}/${k}`))
    else if (k === "anyOf" && Array.isArray(v)) v.forEach((s, i) => out.push(...outside(s, `${path}/anyOf/${i}`)))
  }
  return out
}

let fake: FakeDocker
beforeAll(async () => {
  await ensureBuilt()
  fake = makeFakeDocker({ version: "v0.43.3" })
})
afterAll(() => fake?.cleanup())

describe("own tools' names and input schemas stay within what model function-calling APIs take", () => {
  for (const expose of ["all", "search", "code"] as const) {
    test(`expose ${expose}`, async () => {
      const env = sandboxEnv({ PATH: fake.env.PATH!, DOCKER_CONFIG: fake.env.DOCKER_CONFIG!, MCPO_PROXY_EXPOSE: expose })
      const cfg = join(env.HOME!, "config.yaml")
      writeFileSync(cfg, "servers: {}\n")
      const c = await connectBinary(["serve", "--config", cfg], env)
      try {
        const own = (await c.client.listTools()).tools.filter((t) => !t.name.includes("__"))
        // the meta-tools of this mode are among them, and with expose all the Toolkit's management tools
        expect(own.map((t) => t.name)).toEqual(expect.arrayContaining(expose === "code" ? ["search_tools", "run_code"] : ["search_tools", "call_tool"]))
        if (expose === "all") expect(own.map((t) => t.name)).toEqual(expect.arrayContaining(["config_set", "server_enable"]))
        const problems = own.flatMap((t) => {
          const s = t.inputSchema as Record<string, unknown>
          const p: string[] = []
          if (!NAME.test(t.name)) p.push(`${t.name}: name`)
          if (s.type !== "object") p.push(`${t.name}: top-level type ${JSON.stringify(s.type)}`)
          for (const k of ["anyOf", "oneOf", "allOf", "not", "$ref", "enum"]) if (k in s) p.push(`${t.name}: top-level ${k}`)
          if (JSON.stringify(s).includes('"$ref"')) p.push(`${t.name}: $ref`)
          return [...p, ...outside(s).map((o) => `${t.name} ${o}`)]
        })
        expect(problems).toEqual([])
      } finally {
        await c.close()
      }
    }, 60_000)
  }
})
