/**
 * pool/auth-refusal: what of a 401/403 answer is quoted (qa333). Words joined by `_`, `-`, `.`
 * stay; a long opaque run is masked, also where the quote is cut inside it.
 */
import { expect, test } from "bun:test"
import { authRefusalQuote, maskOpaque } from "../../src/pool/auth-refusal.ts"

const TOKEN = "a8F3kQ9zL2mV7xR4tW1yB6nC"

test("words, hosts and scope names stay; opaque runs of 20+ token characters are masked", () => {
  expect(maskOpaque("insufficient_scope for api.example-company.com (InvalidAuthentication)")).toBe("insufficient_scope for api.example-company.com (InvalidAuthentication)")
  expect(maskOpaque(`session ${TOKEN} and id 0123456789abcdef0123 are bad; short abc123 stays`)).toBe("session [opaque] and id [opaque] are bad; short abc123 stays")
})

test("a JSON body gives its error fields only; a challenge its error and error_description", () => {
  const body = JSON.stringify({ error: { message: `key ${TOKEN} revoked`, code: 40101 }, request_id: TOKEN, echo: { authorization: `Bearer ${TOKEN}` } })
  expect(authRefusalQuote(body, `Bearer realm="x", error=invalid_token, error_description="token ${TOKEN} expired"`)).toBe('error: key [opaque] revoked; code: 40101; WWW-Authenticate: error="invalid_token", error_description="token [opaque] expired"')
  expect(authRefusalQuote(JSON.stringify({ detail: "Not authenticated" }))).toBe("detail: Not authenticated")
  expect(authRefusalQuote("")).toBe("(no body)")
})

test("a quote cut at its limit never shows the start of an opaque run it cuts", () => {
  const body = `${"denied ".repeat(27)}${TOKEN} end`
  const q = authRefusalQuote(body)
  expect(q).not.toContain(TOKEN.slice(0, 6))
  expect(q.startsWith("denied denied")).toBe(true)
})
