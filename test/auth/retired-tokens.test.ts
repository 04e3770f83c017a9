/**
 * Regression (qa179): the redaction group `oauth:<server>` kept every access and refresh token a
 * long run refreshed (each read of the record added its tokens, none left): it grew without bound,
 * and every redaction scanned for all of them. Now it holds the record's current values and the
 * last few retired ones (`RETIRED_TOKENS_KEPT`): a token in flight while refreshing is still
 * masked, an older one is dropped. Through the real token store, as a refresh writes it.
 */
import { expect, test } from "bun:test"
import { RETIRED_TOKENS_KEPT, TokenStore, type OAuthRecord } from "../../src/auth/index.ts"
import { redactString, secrets } from "../../src/core/index.ts"
import { tempDir } from "../helpers/binary.ts"

test("a refreshed token stays masked for the next refreshes; one retired long ago is dropped, and the group stays bounded", () => {
  const store = new TokenStore(tempDir("mcpo-rotate-"))
  const url = "https://mcp.example/mcp"
  const gen = (i: number) => ({ access_token: `at-${i}-${crypto.randomUUID()}`, refresh_token: `rt-${i}-${crypto.randomUUID()}`, token_type: "Bearer" })
  const issued: ReturnType<typeof gen>[] = []
  const sizeAfter: number[] = []
  for (let i = 0; i < 40; i++) {
    const tokens = gen(i)
    issued.push(tokens)
    store.update("rot", url, (rec: OAuthRecord) => {
      rec.tokens = tokens
      rec.client = { client_id: "c", client_secret: "client-secret-kept" } as OAuthRecord["client"]
    })
    // the serving process reads the record again (mtime changed) between refreshes
    store.read("rot", url)
    sizeAfter.push(secrets.size)
  }
  const last = issued.at(-1)!
  const previous = issued.at(-2)!
  // the current tokens, the one in flight just before the last refresh, and the client secret
  for (const v of [last.access_token, last.refresh_token, previous.access_token, previous.refresh_token, "client-secret-kept"]) {
    expect(redactString(`upstream said: ${v}`)).toBe("upstream said: [REDACTED]")
  }
  // tokens retired many refreshes ago are no longer kept
  for (const old of issued.slice(0, 30)) expect(redactString(`(${old.access_token})`)).toBe(`(${old.access_token})`)
  // bounded: the registry does not grow with the refreshes (kept all, it would be ~4x after 40 as
  // after 10); its count of spellings varies a little per token (one whose base64 holds `+` or `/`
  // also has percent-encoded spellings), so not exactly equal
  expect(sizeAfter.at(-1)!).toBeLessThan(sizeAfter[9]! * 1.5)
  expect(sizeAfter.at(-1)!).toBeGreaterThan(sizeAfter[9]! * 0.6)
  expect(RETIRED_TOKENS_KEPT).toBeGreaterThanOrEqual(2)
  // logout drops all of them
  store.delete("rot")
  expect(redactString(last.access_token)).toBe(last.access_token)
})
