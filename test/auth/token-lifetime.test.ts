/**
 * Tokens with no usable lifetime never make a refresh loop. An authorization server that answers
 * `expires_in: 0` (as some do for tokens that do not expire) had its tokens read as expired the
 * moment they were saved: every request refreshed them and rewrote the token file (the refreshes
 * within 5 s of one answered from memory, the file written each time). Now such tokens are kept
 * without an expiry (with a warning), used until the server refuses them, then refreshed once.
 * And a refresh token's issuing answer is reused for at most half the lifetime it gave the access
 * token: reused for 5 s, a 1 s token that expired meanwhile came back as the refresh's answer.
 * The authorization server is oidc-provider (test/auth/fixtures/oauth-world.ts), its token endpoint
 * counting refreshes; the binary serves; the token endpoint of the last test is a local HTTP server.
 */
import { expect, test } from "bun:test"
import { readFileSync, statSync } from "node:fs"
import { refreshOnceFetch } from "../../src/auth/serve.ts"
import type { OAuthWorld } from "./fixtures/oauth-world.ts"
import { logIn, sandbox, started, whoami } from "./helpers.ts"

const { world, serve } = started()

const refreshes = (w: OAuthWorld) => w.tokenRequests.filter((r) => r.grant.startsWith("refresh_token"))

test("expires_in 0: no refresh and no token file write per request; kept without expiry, refreshed once on a 401", async () => {
  // tokens that live an hour, announced with expires_in 0
  const w = await world({ reportExpiresIn: 0 })
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const file = { text: readFileSync(sb.tokenFile, "utf8"), ino: statSync(sb.tokenFile).ino, mtimeMs: statSync(sb.tokenFile).mtimeMs }

  const c = await serve(sb)
  for (let i = 0; i < 12; i++) expect((await whoami(c)).text).toContain("hello from the protected server")
  // not one refresh, not one write of the token file (it was rewritten at every request)
  expect(refreshes(w)).toEqual([])
  expect(readFileSync(sb.tokenFile, "utf8")).toBe(file.text)
  expect(statSync(sb.tokenFile)).toMatchObject({ ino: file.ino, mtimeMs: file.mtimeMs })
  // stored as the server said, without an expiry (`auth login` saved them)
  const record = JSON.parse(file.text)
  expect(record.tokens.expires_in).toBe(0)
  expect(record.expiresAt).toBeUndefined()

  // the server refuses them (revoked server-side): one refresh, then calls work again, still no loop
  expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
  expect((await whoami(c)).text).toContain("hello from the protected server")
  for (let i = 0; i < 6; i++) expect((await whoami(c)).text).toContain("hello from the protected server")
  expect(refreshes(w)).toHaveLength(1)
  expect(c.stderr()).toContain("no lifetime; it is kept without an expiry")
}, 90_000)

test("a refresh token's issuing answer is not reused past half the lifetime it gave the access token", async () => {
  // a local token endpoint that counts refreshes: each answer rotates the refresh token, 1 s access tokens
  let served = 0
  const endpoint = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const grant = new URLSearchParams(await req.text())
      served++
      return Response.json({ access_token: `at-${served}`, token_type: "Bearer", expires_in: 1, refresh_token: `rt-${served}`, presented: grant.get("refresh_token") })
    },
  })
  try {
    const f = refreshOnceFetch()
    const refresh = (rt: string) => f(`http://127.0.0.1:${endpoint.port}/token`, { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: rt }) }).then((r) => r.json() as Promise<{ access_token: string }>)
    expect((await refresh("rt-0")).access_token).toBe("at-1")
    expect(served).toBe(1)
    // at-1 has expired (1 s): rt-1 is presented for a fresh token, and the endpoint is asked (the
    // answer that issued rt-1 was reused for 5 s: at-1 again, refused by the server, no way out)
    await Bun.sleep(1100)
    expect((await refresh("rt-1")).access_token).toBe("at-2")
    expect(served).toBe(2)
  } finally {
    endpoint.stop(true)
  }
})
