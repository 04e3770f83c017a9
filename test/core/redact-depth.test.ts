/**
 * A walk of strings (results, definitions, notifications, relayed requests, own results) reaches
 * every level: before qa241 what lay past its bound (32 or 64 levels) came back as it was, a
 * configured value and a token shape included. A value too deep to walk on the stack is masked whole.
 */
import { afterEach, expect, test } from "bun:test"
import { redactListResult, redactRegistered, redactValues, redactValuesChecked, registerSecret, secrets } from "../../src/core/index.ts"

const KEY = "dkQ3v9Lm2Rt8Wx4Zp7Yb"
const TOKEN = `ghp_${"a1B2c3D4e5".repeat(4).slice(0, 36)}`

/** `leaf` under `n` levels, objects and arrays alternating. */
function deep(n: number, leaf: unknown): unknown {
  let v = leaf
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { d: v }
  return v
}

afterEach(() => secrets.delete("qa241"))

test("a configured value at 40, 100 and 5 000 levels is masked by every walk, in a string and in a key", () => {
  registerSecret(KEY, "qa241")
  for (const n of [40, 100, 5000]) {
    const v = deep(n, { [`k ${KEY}`]: `v ${KEY}` })
    for (const [name, walk] of [["values", redactValues], ["registered", redactRegistered], ["checked", redactValuesChecked]] as const) {
      const out = JSON.stringify(walk(v))
      expect({ n, name, leaked: out.includes(KEY), masked: out.includes("[REDACTED]") }).toEqual({ n, name, leaked: false, masked: true })
    }
    const list = JSON.stringify(redactListResult({ tools: [{ name: "t", inputSchema: { type: "object" }, _meta: deep(n, KEY) }] }))
    expect({ n, leaked: list.includes(KEY) }).toEqual({ n, leaked: false })
  }
})

test("a token shape past the bound is masked in definitions and own results", () => {
  const v = { tools: [{ name: "t", description: "d", _meta: deep(60, TOKEN) }] }
  expect(JSON.stringify(redactListResult(v))).not.toContain(TOKEN)
  expect(JSON.stringify(redactValuesChecked(deep(60, TOKEN)))).not.toContain(TOKEN)
})

test("nothing to mask: the same object comes back", () => {
  registerSecret(KEY, "qa241")
  const v = deep(100, "plain")
  expect(redactRegistered(v)).toBe(v)
  expect(redactValues(v)).toBe(v)
})

test("a value too deep to walk on the stack is masked whole below the bound, not thrown, not passed", () => {
  registerSecret(KEY, "qa241")
  const v = deep(200_000, KEY)
  let s: unknown = redactValues(v)
  let depth = 0
  while (s !== null && typeof s === "object") ((s = Array.isArray(s) ? s[0] : (s as { d: unknown }).d), depth++)
  expect(s).toBe("[REDACTED]")
  // the levels above the bound keep their shape
  expect(depth).toBeGreaterThan(32)
  expect(depth).toBeLessThan(200_000)
})
