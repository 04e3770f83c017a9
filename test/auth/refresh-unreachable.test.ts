/**
 * qa327: with the authorization server unreachable, an expired token cost one token request per
 * call (each waiting out the connect deadline when the server is gone rather than refusing). After
 * a refresh that failed by the authorization server being unreachable (not a refusal), the login's
 * token endpoint is not asked again for a few seconds (auth/refresh-hold `holdUnreachable`): calls
 * meanwhile answer NEEDS_AUTH at once, saying why and when it is tried again; the first call after
 * that, the authorization server back, refreshes and succeeds. Compiled binary, real SDK Client,
 * real authorization server (oidc-provider) whose token endpoint resets connections ("down").
 */
import { expect, test } from "bun:test"
import { UNREACHABLE_HOLD_MS } from "../../src/auth/refresh-hold.ts"
import { logIn, sandbox, started, storedTokens, whoami, whoamiOnceBack } from "./helpers.ts"

const { world, serve } = started()

test("an expired token with the authorization server unreachable: calls within the hold-off ask the token endpoint no more and say when it is tried again; after it, the server back, the next call refreshes", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const tokens = storedTokens(sb)
  const c = await serve(sb)
  expect((await whoami(c, 120_000)).ok).toBe(true)
  // the access token dies server-side (the grant stays): each call must refresh
  expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
  w.tokenEndpoint = "down"
  const first = await whoami(c, 120_000)
  expect(first.text).toContain("NEEDS_AUTH")
  expect(first.text).toContain(`${w.issuer}/token could not be reached`)
  const posts = w.tokenPosts
  expect(posts).toBeGreaterThan(0)
  // calls right after: no token request each (one per hold-off of 5 s at most, however slow the
  // machine makes the calls), each saying why and when the token endpoint is asked again
  const later: string[] = []
  const t0 = Date.now()
  for (let i = 0; i < 4; i++) later.push((await whoami(c, 120_000)).text)
  expect(w.tokenPosts - posts).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / UNREACHABLE_HOLD_MS))
  expect(w.tokenPosts - posts).toBeLessThan(later.length)
  for (const t of later) {
    expect(t).toContain("NEEDS_AUTH")
    expect(t).toContain(`${w.issuer}/token could not be reached`)
  }
  expect(later.some((t) => /not asked again before \d\d:\d\d:\d\d \(in \d+ s\)/.test(t))).toBe(true)
  // the authorization server is back; once the hold-off is over, the next call refreshes
  w.tokenEndpoint = "ok"
  const before = w.tokenPosts
  const back = (await whoamiOnceBack(c)).text
  expect(w.tokenPosts).toBe(before + 1)
  expect(back).toContain("hello from the protected server")
  expect(c.stderr() + later.join("") + back).not.toContain(tokens.refresh_token!)
}, 150_000)
