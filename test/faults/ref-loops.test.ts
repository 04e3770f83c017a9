/**
 * A downstream whose tool schemas hold `$ref` loops with no schema in them (a property referring to
 * itself, `$defs` A → B → A, an `$anchor` referring to itself, the same in an outputSchema), through
 * the compiled binary with the SDK (v1) Client beside the real server-memory
 * (servers/ref-loops-server.ts). No JSON Schema engine compiles such a schema (Ajv overflows its
 * stack): before, they went out as they came, so an editor compiling input schemas dropped the
 * server's tools, and the SDK Client's `listTools()` (which compiles each outputSchema) threw for
 * the whole list. Now the looping `$ref` is removed (that place accepts anything; catalog/schema-refs)
 * and named in the tool's repairs; a recursion through a real schema stays.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
import { compileError } from "../helpers/schema-engines.ts"
import { LOOPS, TREE } from "./servers/ref-loops-server.ts"

const SERVER = join(import.meta.dir, "servers", "ref-loops-server.ts")
const MEMORY = join(import.meta.dir, "..", "..", "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

type Tool = { name: string; inputSchema: Record<string, unknown>; outputSchema?: Record<string, unknown> }

beforeAll(ensureBuilt, 120_000)

describe("$ref loops in a downstream's tool schemas", () => {
  let c: Connected
  let tools: Tool[]
  beforeAll(async () => {
    const env = sandboxEnv()
    const servers = {
      loops: { command: process.execPath, args: [SERVER] },
      mem: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
    }
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers })
    c = await connectBinary(["serve", "--config", cfg], env)
    // one list, as Cursor (the SDK Client compiles every outputSchema in it)
    tools = (await c.client.listTools()).tools as Tool[]
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the first list holds every tool of both servers, and each schema compiles in Ajv draft-07 and 2020-12", () => {
    const names = tools.map((t) => t.name)
    expect(names).toEqual(expect.arrayContaining([...LOOPS.map((t) => `loops__${t.name}`), "loops__tree", "loops__fine", "mem__read_graph"]))
    const refused = tools.flatMap((t) =>
      (["draft-07", "2020-12"] as const).flatMap((engine) =>
        [t.inputSchema, t.outputSchema].flatMap((s) => {
          const err = s === undefined ? undefined : compileError(engine, s)
          return err === undefined ? [] : [`${t.name} (${engine}): ${err}`]
        }),
      ),
    )
    expect(refused).toEqual([])
  })

  test("a recursion through a real schema stays; the loops are named in the status", async () => {
    expect(tools.find((t) => t.name === "loops__tree")!.inputSchema).toEqual(TREE.inputSchema)
    const status = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: { name: string; repaired?: { name: string; why: string }[] }[] }
    const repaired = status.servers.find((s) => s.name === "loops")?.repaired ?? []
    for (const t of LOOPS) expect(repaired.find((r) => r.name === t.name)?.why ?? "").toContain("is a loop of references with no schema in it: removed")
  })

  test("the tools are called as before; a structured result matches the output schema given", async () => {
    const r = (await c.client.callTool({ name: "loops__out_loop", arguments: {} })) as CallToolResult
    expect(r.isError).toBeFalsy()
    expect(r.structuredContent).toEqual({ v: 1 })
    expect(((await c.client.callTool({ name: "loops__prop_loop", arguments: { x: 1 } })) as CallToolResult).isError).toBeFalsy()
  })
})
