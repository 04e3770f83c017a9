/**
 * Regression (QA qa22, odd JSON Schemas): an SDK client compiles every tool's `outputSchema` in one
 * Ajv instance, which caches a compiled schema by its root `$id`. Two servers behind the
 * orchestrator whose tools' output schemas share an `$id` (built from one template, or two versions
 * of one server) but differ: the second tool's results were checked against the first one's schema,
 * and the client threw on every valid result of it ("Structured content does not match the tool's
 * output schema: data must have required property 'alpha'"). Each server had its own client before
 * the orchestrator merged them. A root `$id` nothing in the schema refers to is now removed.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { normalizeSchema } from "../../src/catalog/schema-normalize.ts"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "..", "fixtures", "servers", "output-id-server.ts")
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  const dir = tempDir("mcpo-output-id-")
  const cfg = join(dir, "config.yaml")
  const bun = JSON.stringify(process.execPath)
  writeFileSync(cfg, ["toolkit: { enabled: off }", "servers:", `  a: { command: ${bun}, args: [${JSON.stringify(FIXTURE)}, alpha] }`, `  b: { command: ${bun}, args: [${JSON.stringify(FIXTURE)}, beta] }`, ""].join("\n"))
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv({ MCPO_PROXY_LIST_WAIT: "60s" }))
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("two servers' tools whose output schemas share an $id: each one's results pass the SDK client's check", async () => {
  const names = (await c.client.listTools()).tools.map((t) => t.name)
  expect(names).toContain("a__get")
  expect(names).toContain("b__get")
  const a = await c.client.callTool({ name: "a__get", arguments: {} })
  expect(a.structuredContent).toEqual({ alpha: "ok" })
  const b = await c.client.callTool({ name: "b__get", arguments: {} })
  expect(b.isError).toBeFalsy()
  expect(b.structuredContent).toEqual({ beta: "ok" })
})

test("a root $id a $ref may name is kept; fragment refs alone do not keep it", () => {
  const named = { $id: "https://x.example/s", type: "object", properties: { a: { $ref: "https://x.example/s#/$defs/y" } }, $defs: { y: { type: "string" } } }
  expect(normalizeSchema(named).$id).toBe("https://x.example/s")
  const local = { $id: "result", type: "object", properties: { a: { $ref: "#/$defs/y" }, self: { $ref: "#" } }, $defs: { y: { type: "string" } } }
  expect(normalizeSchema(local)).toEqual({ type: "object", properties: { a: { $ref: "#/$defs/y" }, self: { $ref: "#" } }, $defs: { y: { type: "string" } } })
})
