/** core/names `suggestServerName`: a name the config takes, made from one it refuses, or none. */
import { expect, test } from "bun:test"
import fc from "fast-check"
import { CONFIG_SERVER_NAME_RE, suggestServerName } from "../../src/core/index.ts"

test("examples", () => {
  expect(suggestServerName("my server.v1")).toBe("my-server-v1")
  expect(suggestServerName("Überwachung")).toBe("Uberwachung")
  expect(suggestServerName("__proto__")).toBe("proto")
  expect(suggestServerName("a".repeat(80))).toBe("a".repeat(64))
  expect(suggestServerName("日本")).toBeUndefined()
  expect(suggestServerName("fine-name")).toBeUndefined()
})

test("whatever it is given, what it offers is a valid name other than the one given", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 100 }), (name) => {
      const s = suggestServerName(name)
      if (s !== undefined) {
        expect(CONFIG_SERVER_NAME_RE.test(s)).toBe(true)
        expect(s).not.toBe(name)
      }
    }),
    { numRuns: 500 },
  )
})
