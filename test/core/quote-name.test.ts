/** core/quote-name: how an error message echoes a name (test/proxy/echoed-names for the errors themselves). */
import { expect, test } from "bun:test"
import { quoteName, shownName } from "../../src/core/index.ts"

test("a plain name reads as before; a long one is cut and its length said", () => {
  expect(shownName("ev__echo")).toBe("ev__echo")
  expect(shownName("a b")).toBe('"a b"')
  const long = quoteName("x".repeat(5000))
  expect(long.length).toBeLessThan(260)
  expect(long).toEndWith('…" (5,000 characters)')
  // an astral invisible (a tag character) is escaped whole, both halves
  expect(quoteName("a\u{e0041}")).toBe('"a\\udb40\\udc41"')
  expect(quoteName(undefined)).toBe("(undefined)")
})
