/**
 * A configured value spelled as a JSON number (a PIN, an account number) is masked where a result,
 * a definition, a notification or a log record holds it as a number: before qa241 only strings
 * were checked. Numbers that merely contain its digits stay, and with no such value registered
 * numbers are not looked at.
 */
import { afterEach, expect, test } from "bun:test"
import { redact, redactRegistered, redactValues, secrets } from "../../src/core/index.ts"

afterEach(() => secrets.delete("qa241"))

test("a registered number is masked in results, values and log records; other numbers stay", () => {
  secrets.set("qa241", ["48213957", "sk-live-abcdefghijklmnop"])
  const v = { pin: 48213957, near: 148213957, neg: -48213957, list: [1, 48213957, 2.5], nested: { deeper: [{ n: 48213957 }] } }
  for (const walk of [redactRegistered, redactValues, redact] as const) {
    const out = walk(v) as { pin: unknown; near: unknown; neg: unknown; list: unknown[]; nested: { deeper: Array<{ n: unknown }> } }
    expect(out.pin).toBe("[REDACTED]")
    expect(out.list).toEqual([1, "[REDACTED]", 2.5])
    expect(out.nested.deeper[0]!.n).toBe("[REDACTED]")
    expect(out.near).toBe(148213957)
    // a minus sign is no letter or digit: the 8-digit value is masked after it, as in text
    expect(out.neg).toBe("[REDACTED]")
  }
})

test("no number registered: numbers are not looked at, the same object comes back", () => {
  secrets.set("qa241", ["sk-live-abcdefghijklmnop"])
  expect(secrets.holdsNumbers).toBe(false)
  const v = { a: 48213957, b: [1, 2, 3] }
  expect(redactRegistered(v)).toBe(v)
  expect(redactValues(v)).toBe(v)
})
