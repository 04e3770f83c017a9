/**
 * Secrets in settings trees (the Toolkit's server config) and in JSON env values (a key file) are
 * registered at any depth and inside arrays: the walks stopped at 16 and 8 levels, and the env
 * walk skipped arrays, so `accounts[0].password` or a key 20 levels down reached the model unmasked.
 */
import { expect, test } from "bun:test"
import { collectEnvSecrets, collectSettingsSecrets } from "../../src/core/index.ts"

const nest = (levels: number, leaf: Record<string, unknown>): unknown => {
  let v: unknown = leaf
  for (let i = 0; i < levels; i++) v = { [`level${i}`]: v }
  return v
}

test.each([1, 20, 40, 10_000])("a settings tree: a secret-named key %i levels down is registered", (levels) => {
  const out: string[] = []
  collectSettingsSecrets(nest(levels, { password: "Deep-Secret-Value-42" }), out)
  expect(out).toContain("Deep-Secret-Value-42")
})

test("a settings tree: a secret-named key passes on to what it holds, arrays and objects", () => {
  const out: string[] = []
  collectSettingsSecrets({ server: { credentials: [{ user: "Held-Under-Credentials-1" }, "Held-Under-Credentials-2"] } }, out)
  expect(out).toEqual(expect.arrayContaining(["Held-Under-Credentials-1", "Held-Under-Credentials-2"]))
})

test.each([
  ["in an array of objects", { accounts: [{ name: "ops", password: "Array-Held-Pass-77" }] }],
  ["nine levels down", nest(9, { client_secret: "Nine-Levels-Secret-5" })],
  ["an array under a secret-named key", { tokens: ["Token-In-Array-0987"] }],
])("a JSON env value: a secret-named field %s is registered", (_where, value) => {
  const out: string[] = []
  collectEnvSecrets({ SERVICE_JSON: JSON.stringify(value) }, out)
  const want = JSON.stringify(value).match(/[A-Z][a-z]+(-[A-Za-z]+)+-\d+/)![0]
  expect(out).toContain(want)
})

test("a JSON env value: a non-secret field stays unregistered", () => {
  const out: string[] = []
  collectEnvSecrets({ SERVICE_JSON: JSON.stringify({ accounts: [{ name: "plain-account-name" }] }) }, out)
  expect(out).not.toContain("plain-account-name")
})
