/**
 * redactListResult (core/redact): list answers are redacted per definition object with a memo, so
 * a 5 000-tool list is not scanned again on every tools/list. The memo must never serve a stale
 * verdict: a secret registered after a first answer is redacted in the next one.
 */
import { afterEach, expect, test } from "bun:test"
import { redact, REDACTED, redactListResult, redactValuesChecked, secrets } from "../../src/core/index.ts"

const GROUP = "test-redact-list"
afterEach(() => secrets.delete(GROUP))

const SECRET = "s3cr3t-VALUE-0123456789abcdef"

test("a secret registered after a first list is redacted in the next list of the same objects", () => {
  const tool = { name: "t", description: `uses ${SECRET}`, inputSchema: { type: "object" } }
  const result: { tools: Array<{ name: string; description?: string; inputSchema: object }> } = { tools: [tool, { name: "u", inputSchema: { type: "object" } }] }
  expect(redactListResult(result)).toBe(result) // nothing registered yet: the same object back

  secrets.add(GROUP, SECRET)
  const second = redactListResult(result)
  expect(second).not.toBe(result)
  expect(second.tools[0]!.description).toBe(`uses ${REDACTED}`)
  expect(second.tools[1]).toBe(result.tools[1]) // clean items keep their identity
  expect(tool.description).toBe(`uses ${SECRET}`) // the source is never mutated

  secrets.delete(GROUP)
  expect(redactListResult(result)).toBe(result) // and forgotten once the secret is gone
})

test("same answer as redactValuesChecked on the whole result, token shapes and other keys included", () => {
  const result = {
    tools: [{ name: "a", description: "Authorization: Bearer abcdefghijklmnop", inputSchema: { type: "object" } }, { name: "b", inputSchema: { type: "object" } }],
    nextCursor: "sk-ABCDEFGHIJKLMNOPQRST",
  }
  expect(redactListResult(result)).toEqual(redactValuesChecked(result))
  expect(redactListResult(result)).toEqual(redactValuesChecked(result)) // memo hit: still the same
})

test("redact keeps an own __proto__ key a key (JSON.parse makes one): assigned, it became the copy's prototype and was lost", () => {
  const out = redact(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"x":"y"},"api_key":"v4lu3-0f-k3y"}')) as Record<string, unknown>
  expect(Object.hasOwn(out, "__proto__")).toBe(true)
  expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
  expect((out as { polluted?: unknown }).polluted).toBeUndefined()
  expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"x":"y"},"api_key":"[REDACTED]"}'))
})
