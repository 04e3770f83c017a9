/**
 * Two editor windows, two orchestrators with the same config and state directory, one OAuth login:
 * when both meet a refused access token at once, only one presents the refresh token. Authorization
 * servers rotate refresh tokens and treat a replayed one as theft (oidc-provider revokes the whole
 * grant), so two processes refreshing with the same token logged both windows out. Through the
 * compiled binary against a real authorization server whose token endpoint is slow (the two
 * refreshes overlap for sure).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { existsSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { connectBinary, ensureBuilt, type Connected } from "../helpers/binary.ts"
import { startWorld, type OAuthWorld } from "./fixtures/oauth-world.ts"
import { cli, sandbox, storedTokens, textOf, whoami } from "./helpers.ts"

let w: OAuthWorld | undefined
const clients: Connected[] = []

beforeAll(ensureBuilt, 120_000)

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {})
  await w?.stop()
})

test("two orchestrators refreshing the same login at once: one refresh, both go on, the grant stays", async () => {
  w = await startWorld({ refreshDelayMs: 400 })
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  expect((await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])).code).toBe(0)
  const first = storedTokens(sb)
  const a = await connectBinary(["serve", "--config", sb.configPath], sb.env)
  clients.push(a)
  const b = await connectBinary(["serve", "--config", sb.configPath], sb.env)
  clients.push(b)
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
    const world = await startWorld()
    try {
      const sb = sandbox({ remote: { url: world.mcpUrl } })
      expect((await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])).code).toBe(0)
      const lock = join(dirname(sb.tokenFile), "remote.refresh.lock")
      const c = await connectBinary(["serve", "--config", sb.configPath], sb.env)
      clients.push(c)
      expect((await whoami(c)).ok).toBe(true)
      const gone = Bun.spawn(["true"])
      await gone.exited
      // left by a holder killed mid-refresh, a moment ago
      writeFileSync(lock, `${whose === "a pid that is gone" ? gone.pid : c.pid} ${Date.now()} x`)
      await world.revokeAccessTokens()
      const r = await whoami(c)
      expect(r.text).toContain("hello from the protected server")
      // taken over and released: the file does not linger (one waited out would still be there)
      expect(existsSync(lock)).toBe(false)
    } finally {
      await world.stop()
    }
  }, 90_000)
}
