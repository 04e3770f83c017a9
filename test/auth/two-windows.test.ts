/**
 * Two editor windows, two orchestrators with the same config and state directory, one OAuth login:
 * when both meet a refused access token at once, only one presents the refresh token. Authorization
 * servers rotate refresh tokens and treat a replayed one as theft (oidc-provider revokes the whole
 * grant), so two processes refreshing with the same token logged both windows out. Through the
 * compiled binary against a real authorization server whose token endpoint is slow (the two
 * refreshes overlap for sure).
 */
import { expect, test } from "bun:test"
import { existsSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { logIn, sandbox, started, storedTokens, whoami } from "./helpers.ts"

const { world, serve } = started()

test("two orchestrators refreshing the same login at once: one refresh, both go on, the grant stays", async () => {
  const w = await world({ refreshDelayMs: 400 })
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const first = storedTokens(sb)
  const a = await serve(sb)
  const b = await serve(sb)
  expect((await whoami(a)).ok).toBe(true)
  expect((await whoami(b)).ok).toBe(true)
  // the access token is refused from now on: both windows' next calls meet a 401 and refresh
  expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
  const before = w.tokenRequests.length
  const [ra, rb] = await Promise.all([whoami(a), whoami(b)])
  expect(ra.text).toContain("hello from the protected server")
  expect(rb.text).toContain("hello from the protected server")
  // the refresh token was presented once: no replay, so no refused refresh and no revoked grant
  expect(w.tokenRequests.slice(before)).toEqual([{ grant: "refresh_token", resource: w.mcpUrl }])
  expect(storedTokens(sb).refresh_token).not.toBe(first.refresh_token)
  // and both go on with the login (no `auth login` needed)
  expect((await whoami(a)).ok).toBe(true)
  expect((await whoami(b)).ok).toBe(true)
  // the lock the refresh was made under is gone once the tokens were stored
  expect(existsSync(join(dirname(sb.tokenFile), "remote.refresh.lock"))).toBe(false)
}, 90_000)

for (const whose of ["a pid that is gone", "the pid of the orchestrator itself (an earlier process had it)"] as const) {
  test(`a refresh lock left by a killed orchestrator (${whose}) is taken over, not waited for`, async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const lock = join(dirname(sb.tokenFile), "remote.refresh.lock")
    const c = await serve(sb)
    expect((await whoami(c)).ok).toBe(true)
    const gone = Bun.spawn(["true"])
    await gone.exited
    // left by a holder killed mid-refresh, a moment ago
    writeFileSync(lock, `${whose === "a pid that is gone" ? gone.pid : c.pid} ${Date.now()} x`)
    await w.revokeAccessTokens()
    const r = await whoami(c)
    expect(r.text).toContain("hello from the protected server")
    // taken over and released: the file does not linger (one waited out would still be there)
    expect(existsSync(lock)).toBe(false)
  }, 90_000)
}
