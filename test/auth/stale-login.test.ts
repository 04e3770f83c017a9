/**
 * A login found stale when an orchestrator starts (a laptop that slept, a clock that was wrong): the
 * token file's `expiresAt` already past, and the refresh token still valid or past its absolute
 * lifetime at the authorization server (oidc-provider `ttl.RefreshToken`). Through the compiled
 * binary: a valid one is refreshed once before the first request and the call works; an expired one
 * ends in NEEDS_AUTH with the login command after one refused refresh, no loop, no token on stderr.
 */
import { expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { waitFor } from "../helpers/wait.ts"
import type { OAuthWorld } from "./fixtures/oauth-world.ts"
import { cli, logIn, remoteState, sandbox, started, storedTokens, whoami } from "./helpers.ts"

const { world, serve } = started()

/** The token file says the access token, saved two hours ago, expired an hour ago. */
function expireOnDisk(tokenFile: string): void {
  const rec = JSON.parse(readFileSync(tokenFile, "utf8"))
  rec.expiresAt = Date.now() - 3600_000
  rec.savedAt = new Date(Date.now() - 7200_000).toISOString()
  writeFileSync(tokenFile, JSON.stringify(rec))
}

const refreshes = (w: OAuthWorld) => w.tokenRequests.filter((r) => r.grant.startsWith("refresh_token"))

test("expiresAt in the past on disk, refresh token valid: one refresh before the first request, the call works", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  expireOnDisk(sb.tokenFile)
  const c = await serve(sb)
  expect((await whoami(c)).text).toContain("hello from the protected server")
  expect((await whoami(c)).text).toContain("hello from the protected server")
  expect(refreshes(w).map((r) => r.grant)).toEqual(["refresh_token"])
  expect(JSON.parse(readFileSync(sb.tokenFile, "utf8")).expiresAt).toBeGreaterThan(Date.now())
}, 90_000)

test("expiresAt in the past and the refresh token past its absolute lifetime: NEEDS_AUTH with the login command after one refused refresh, no loop", async () => {
  const w = await world({ refreshTokenTTL: 1 })
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const tokens = storedTokens(sb)
  expireOnDisk(sb.tokenFile)
  // the refresh token's lifetime (1 s) runs out at the authorization server; the access token is dead too
  expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
  await waitFor("the refresh token to expire", async () => (await w.liveRefreshTokens()) === 0 || undefined, 10_000)
  const c = await serve(sb)
  const r = await whoami(c)
  expect(r.ok).toBe(false)
  expect(r.text).toContain("NEEDS_AUTH")
  expect(r.text).toContain("mcp-orchestrator auth login remote")
  expect(await remoteState(c)).toBe("needs-auth")
  expect(refreshes(w).map((x) => x.grant)).toEqual(["refresh_token (error)"])
  for (let i = 0; i < 3; i++) expect((await whoami(c)).text).toContain("NEEDS_AUTH")
  expect(refreshes(w)).toHaveLength(1)
  for (const t of [tokens.access_token, tokens.refresh_token!]) expect(c.stderr() + r.text).not.toContain(t)
  expect((await cli(sb, ["auth", "status"])).stdout).toContain("remote: not logged in")
  await logIn(sb)
  expect((await whoami(c)).text).toContain("hello from the protected server")
}, 90_000)
