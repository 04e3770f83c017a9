/**
 * A downstream's refusal of the arguments, through the binary's faces (QA 18): a direct
 * `server__tool` call and `call_tool` give the model the tool's parameters (names, types, which are
 * optional) after the server's own words, which are kept as they came — whether the server answered
 * an isError result (server-everything, server-memory: the SDK's input validation) or a JSON-RPC
 * -32602 error (a raw server). Other failures get no such hint; other tools are unaffected.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const NM = join(ROOT, "node_modules", "@modelcontextprotocol")
const EVERYTHING = join(NM, "server-everything", "dist", "index.js")
const MEMORY = join(NM, "server-memory", "dist", "index.js")
const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")

beforeAll(ensureBuilt, 120_000)

const texts = (r: unknown): string[] => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : ""))
/** The raw server's JSON-RPC -32602 answer to a tools/call. */
const REFUSAL = '{"jsonrpc":"2.0","id":{ID},"error":{"code":-32602,"message":"bad arguments: line must be short"}}'

describe("argument errors of downstream tools carry the tool's parameters", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "c.json")
    writeFileSync(
      cfg,
      JSON.stringify({
        toolkit: { enabled: "off" },
        plugins: { enabled: false },
        servers: {
          ev: { command: process.execPath, args: [EVERYTHING, "stdio"] },
          memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
          fault: { command: process.execPath, args: [FAULT] },
        },
      }),
    )
    c = await connectBinary(["serve", "--config", cfg], env)
    for (const name of ["ev__get-sum", "memory__create_entities", "fault__raw"]) expect(await listUntil(c.client, name)).toContain(name)
  }, 60_000)
  afterAll(() => c?.close())

  test("a direct call refused by the server (isError result): its text as it came, then the parameters", async () => {
    const r = (await c.client.callTool({ name: "ev__get-sum", arguments: { a: 1 } })) as CallToolResult
    expect(r.isError).toBe(true)
    const [own, hint] = texts(r)
    expect(own).toContain("Invalid arguments for tool get-sum")
    expect(own).toContain("at b")
    expect(hint).toBe("ev__get-sum takes (a: number, b: number); describe_tools gives its full schema")
  })

  test("a nested argument's type is shown whole while it is short", async () => {
    const r = (await c.client.callTool({ name: "memory__create_entities", arguments: { entities: [{ name: "x" }] } })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(texts(r).at(-1)).toBe("memory__create_entities takes (entities: { name: string; entityType: string; observations: string[] }[]); describe_tools gives its full schema")
  })

  test("call_tool: the same hint, naming the tool called", async () => {
    const r = (await c.client.callTool({ name: "call_tool", arguments: { name: "ev__get-sum", arguments: { a: "1", b: 2 } } })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(texts(r)[0]).toContain("Invalid arguments for tool get-sum")
    expect(texts(r).at(-1)).toBe("ev__get-sum takes (a: number, b: number); describe_tools gives its full schema")
  })

  test("a JSON-RPC -32602 answer: the error's message gains the parameters, on a direct call and through call_tool", async () => {
    let message = ""
    try {
      await c.client.callTool({ name: "fault__raw", arguments: { line: REFUSAL } })
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toContain("bad arguments: line must be short; fault__raw takes (line?: string) (? = optional); describe_tools gives its full schema")
    const r = (await c.client.callTool({ name: "call_tool", arguments: { name: "fault__raw", arguments: { line: REFUSAL } } })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(texts(r)[0]).toContain("bad arguments: line must be short")
    expect(texts(r).at(-1)).toBe("fault__raw takes (line?: string) (? = optional); describe_tools gives its full schema")
  })

  test("other failures get no hint, and the tools keep working", async () => {
    const other = (await c.client.callTool({ name: "fault__raw", arguments: { line: '{"jsonrpc":"2.0","id":{ID},"error":{"code":-32000,"message":"disk full"}}' } }).catch((e: Error) => ({ content: [{ type: "text", text: e.message }] }))) as CallToolResult
    expect(texts(other).join("\n")).toContain("disk full")
    expect(texts(other).join("\n")).not.toContain(" takes (")
    const ok = (await c.client.callTool({ name: "ev__get-sum", arguments: { a: 1, b: 2 } })) as CallToolResult
    expect(ok.isError).toBeFalsy()
    expect(texts(ok).join("\n")).toContain("3")
  })
})
