/**
 * mcp/tools/argument-hint on its own (QA 18): which downstream errors are refusals of the
 * arguments, the parameters they are given, and that the tool is looked up only for a refusal.
 */
import { expect, test } from "bun:test"
import { RawJson } from "../../src/core/index.ts"
import { RpcError } from "../../src/pool/index.ts"
import { ProtocolError, type CallToolResult } from "@modelcontextprotocol/client"
import { takesText, toolErrorWithHint, withArgumentHint, withRpcArgumentHint } from "../../src/mcp/tools/argument-hint.ts"

const sum = { name: "ev__get-sum", inputSchema: { type: "object" as const, properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] } }
const HINT = "ev__get-sum takes (a: number, b: number); describe_tools gives its full schema"

test("an isError result refusing the arguments gets the parameters after its own content, raw or not", () => {
  const own = { isError: true, content: [{ type: "text" as const, text: "MCP error -32602: Input validation error: expected number at b" }] }
  expect(withArgumentHint(own, () => sum)).toEqual({ isError: true, content: [...own.content, { type: "text", text: HINT }] })
  const raw = new RawJson<CallToolResult>(undefined, JSON.stringify(own))
  expect(withArgumentHint(raw, () => sum)).toEqual({ isError: true, content: [...own.content, { type: "text", text: HINT }] })
})

test("other errors and successes are passed on as they are, without looking the tool up", () => {
  let looked = 0
  const lookup = () => (looked++, sum)
  const other = { isError: true, content: [{ type: "text" as const, text: "ENOENT: no such file" }] }
  expect(withArgumentHint(other, lookup)).toBe(other)
  const ok = { content: [{ type: "text" as const, text: "invalid arguments are fine in a success" }] }
  expect(withArgumentHint(ok, lookup)).toBe(ok)
  expect(looked).toBe(0)
  // not listed (an own tool, a name a hook made up): no hint
  const refused = { isError: true, content: [{ type: "text" as const, text: "Invalid arguments" }] }
  expect(withArgumentHint(refused, () => undefined)).toBe(refused)
})

test("a downstream's JSON-RPC -32602 gains the parameters; our own -32602 (unknown tool) does not", () => {
  const down = new RpcError("tools/call", -32602, "bad b", undefined)
  const err = new ProtocolError(-32602, "bad b")
  expect(withRpcArgumentHint(err, down, () => sum).message).toContain(`bad b; ${HINT}`)
  const ours = new ProtocolError(-32602, "Unknown tool: ev__x")
  expect(withRpcArgumentHint(ours, ours, () => sum)).toBe(ours)
  expect(toolErrorWithHint(down, () => sum).content.at(-1)).toEqual({ type: "text", text: HINT })
})

test("the parameters: optional ones marked, a short nested type whole, thousands of required ones cut", () => {
  expect(takesText("x", { type: "object" })).toBe("x takes no arguments (); describe_tools gives its full schema")
  expect(takesText("m", { type: "object", properties: { entities: { type: "array", items: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } }, n: { type: "number" } }, required: ["entities"] })).toBe(
    "m takes (entities: { name: string }[], n?: number) (? = optional); describe_tools gives its full schema",
  )
  const props = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}`, { type: "string" }]))
  const many = takesText("big", { type: "object", properties: props, required: Object.keys(props) })
  expect(many.length).toBeLessThan(1200)
  expect(many).toMatch(/… \d+ more required\); describe_tools gives its full schema$/)
})
