/**
 * Short configured values (under WHOLE_TOKEN_BELOW = 9 characters) are masked as whole tokens only:
 * not inside a longer word (`local` in `localhost`, a 5-character password inside ordinary words),
 * which garbled answers and hid nothing. A short value after or before any separator is still
 * masked, as it is in a real leak: `pass=abc12`, `Bearer abc12`, a JSON string, a URL's encoded
 * `%3D`, a JSON escape `\n`, a tool name `fetch_abc12`. Values of 9 characters and more are masked
 * wherever they are, glued or not.
 */
import { afterAll, expect, test } from "bun:test"
import { redactString, redactValuesChecked, registerConfigSecrets, secrets, SecretRegistry, WHOLE_TOKEN_BELOW } from "../../src/core/index.ts"

const r = new SecretRegistry()
r.set("g", ["local", "abc12", "Zq9longvalue"])

test("a short value inside a longer word is left; the word reads as it was", () => {
  expect(WHOLE_TOKEN_BELOW).toBe(9)
  for (const t of ["localhost:8080", "connect to localhost", "xabc12y", "abc123", "9abc12", "locally", "glocal"]) expect(r.redact(t)).toBe(t)
})

test("a short value next to any separator is masked: the shapes a real leak takes", () => {
  const cases: Array<[string, string]> = [
    ["pass=abc12", "pass=[REDACTED]"],
    ["Authorization: Bearer abc12", "Authorization: Bearer [REDACTED]"],
    ['{"password":"abc12"}', '{"password":"[REDACTED]"}'],
    ['{"t":"line\\nabc12"}', '{"t":"line\\n[REDACTED]"}'],
    ['{"t":"\\u00e9abc12"}', '{"t":"\\u00e9[REDACTED]"}'],
    ["https://h/x?q=pass%3Dabc12&y=1", "https://h/x?q=pass%3D[REDACTED]&y=1"],
    ["fetch_abc12", "fetch_[REDACTED]"],
    ["abc12", "[REDACTED]"],
    ["user:abc12@host", "user:[REDACTED]@host"],
    ["db-local.", "db-[REDACTED]."],
  ]
  for (const [text, want] of cases) expect(r.redact(text)).toBe(want)
})

test("a value of 9 characters or more is masked inside any word", () => {
  expect(r.redact("xZq9longvaluey")).toBe("x[REDACTED]y")
  expect(r.redact("prefixZq9longvalue")).toBe("prefix[REDACTED]")
})

test("through the process registry (config env), every exit's redaction keeps words holding a short password", () => {
  registerConfigSecrets({ servers: { db: { command: "x", env: { DB_PASSWORD: "fish5" } } } }, "config-short-values")
  try {
    expect(redactString("the fish5 in selfish5ness; pw=fish5")).toBe("the [REDACTED] in selfish5ness; pw=[REDACTED]")
    expect(redactValuesChecked({ tools: [{ name: "db__goldfish5" }, { name: "db__fish5" }] })).toEqual({ tools: [{ name: "db__goldfish5" }, { name: "db__[REDACTED]" }] })
  } finally {
    secrets.delete("config-short-values")
  }
})

afterAll(() => secrets.delete("config-short-values"))

test("a URL's short `user:pass` quoted as unpadded base64 in an error text is masked (qa228)", () => {
  try {
    registerConfigSecrets({ servers: { r: { url: "https://bo:pw12@h.example/mcp" }, b: { url: "https://x.example/mcp", headers: { Authorization: `Basic ${btoa("al:k9x")}` } } } }, "qa228")
    for (const pair of ["bo:pw12", "al:k9x"]) {
      const b64 = btoa(pair)
      for (const run of [b64, b64.replace(/=+$/, "")]) expect(redactString(`401: credentials ${run} refused`)).toBe("401: credentials [REDACTED] refused")
    }
    // an ordinary 10-letter word of base64's alphabet stays
    expect(redactString("401: credentials Ym86cHcxMA refused")).toBe("401: credentials Ym86cHcxMA refused")
  } finally {
    secrets.delete("qa228")
  }
})
