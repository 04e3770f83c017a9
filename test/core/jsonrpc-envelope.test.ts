/**
 * The envelope rules both faces share (core/jsonrpc-envelope): which ids are usable, which messages
 * are Invalid Requests and which id their error carries, when a batch is rejected whole.
 * Through the binary: test/binary/envelope.test.ts.
 */
import { describe, expect, test } from "bun:test"
import { answerableId, batchProblem, idFromFrameEdges, isRequestId, MAX_BATCH, messageProblem } from "../../src/core/index.ts"

const req = (id: unknown, method = "ping") => ({ jsonrpc: "2.0", id, method })

describe("JSON-RPC envelope", () => {
  test("request ids: strings and safe integers only (the SDK's RequestId)", () => {
    for (const ok of ["", "a", 0, -7, 9007199254740991, -9007199254740991]) expect(isRequestId(ok)).toBe(true)
    for (const bad of [null, undefined, 1.5, 1e300, 9007199254740992, Infinity, NaN, {}, [], true, false]) expect(isRequestId(bad)).toBe(false)
  })

  test("a request with an odd id is invalid, named by what it got; notifications and responses are not", () => {
    const cases: [unknown, string][] = [
      [null, "null"],
      [1.5, "1.5"],
      [1e300, "1e+300"],
      [{ a: 1 }, "an object"],
      [[1], "an array"],
      [true, "true"],
    ]
    for (const [id, got] of cases) expect(messageProblem(req(id))).toBe(`"id" must be a string or an integer, got ${got}`)
    expect(messageProblem(req(3))).toBeUndefined()
    expect(messageProblem({ jsonrpc: "2.0", method: "notifications/initialized" })).toBeUndefined()
    // a response about a message the client could not read carries id null: valid, never answered
    expect(messageProblem({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "x" } })).toBeUndefined()
    expect(answerableId({ jsonrpc: "2.0", id: 4, result: {} })).toBeUndefined()
  })

  test("the id an Invalid Request error is sent with: the message's own when usable", () => {
    expect(answerableId({ jsonrpc: "2.0", id: 5, method: 7 })).toBe(5)
    expect(answerableId({ id: "x", method: "ping" })).toBe("x")
    expect(answerableId(req(1.5))).toBeUndefined()
    expect(answerableId(7)).toBeUndefined()
  })

  test("batches: rejected whole for an empty one, a bad item, initialize with others, an id used twice", () => {
    expect(batchProblem([])).toBe("empty batch")
    expect(batchProblem([req(1), req(null)])).toBe('batch item 1: "id" must be a string or an integer, got null')
    expect(batchProblem([req(1), 7])).toBe("batch item 1: expected a JSON-RPC message object, got number")
    expect(batchProblem([req(1, "initialize"), req(2)])).toBe("initialize must be sent alone")
    expect(batchProblem([req(1, "initialize")])).toBeUndefined()
    expect(batchProblem([req(3), req(3, "tools/list")])).toBe("batch items 0 and 1 use the same id 3")
    // a response may reuse a request's id (it answers one of ours)
    expect(batchProblem([req(3), { jsonrpc: "2.0", id: 3, result: {} }, { jsonrpc: "2.0", method: "notifications/initialized" }])).toBeUndefined()
  })

  test("batches: more than MAX_BATCH (1000) messages are refused whole (each request's answer is held until the batch is answered)", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => req(i + 1))
    expect(MAX_BATCH).toBe(1000)
    expect(batchProblem(many(1000))).toBeUndefined()
    expect(batchProblem(many(1001))).toBe("a batch of 1001 messages, over the 1000 one batch may carry; send fewer per batch")
  })

  test("an oversize frame's id, recovered from its edges, is a usable one or none", () => {
    const edges = (head: string, tail = "") => idFromFrameEdges({ bytes: 1e9, head, tail })
    expect(edges('{"jsonrpc":"2.0","id":42,"method":"tools/call"')).toBe(42)
    expect(edges('{"jsonrpc":"2.0","id":-3,"method":"x"')).toBe(-3)
    expect(edges('{"jsonrpc":"2.0","id":"s","method":"x"')).toBe("s")
    for (const odd of ["1.5", "1e300", "15.25", "9007199254740993", "null", "true", "[1]"]) expect(edges(`{"jsonrpc":"2.0","id":${odd},"method":"x"`)).toBeUndefined()
  })
})
