/**
 * `auth logout` while a running orchestrator (another process: an editor window) refreshes the
 * same login, through the compiled binary against a real authorization server (oidc-provider).
 * The logout is made under the refresh lock: a refresh in flight stores its tokens first and the
 * logout revokes those (the new refresh token does not outlive the logout at the authorization
 * server), and a refresh that comes during the logout is not made (no tokens minted after the
 * logout began, none written back). Either way the login ends logged out, and the serving process
 * answers NEEDS_AUTH with the login command.
 */
import { expect, test } from "bun:test"
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { waitFor } from "../helpers/wait.ts"
import type { Connected } from "../helpers/binary.ts"
import type { OAuthWorld, startWorld } from "./fixtures/oauth-world.ts"
import { cli, logIn, sandbox, started, whoami } from "./helpers.ts"

const { world, serve } = started()

async function loggedInServe(opts: Parameters<typeof startWorld>[0]) {
  const w = await world(opts)
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const c = await serve(sb)
  expect((await whoami(c, 60_000)).ok).toBe(true)
  return { w, sb, c }
}

async function endsLoggedOut(w: OAuthWorld, sb: ReturnType<typeof sandbox>, c: Connected): Promise<void> {
  expect(existsSync(sb.tokenFile)).toBe(false)
  expect(existsSync(join(dirname(sb.tokenFile), "remote.refresh.lock"))).toBe(false)
  // nothing the authorization server issued still works
  expect(await w.liveRefreshTokens()).toBe(0)
  const after = await whoami(c, 60_000)
  expect(after.ok).toBe(false)
  expect(after.text).toContain("NEEDS_AUTH")
  expect(after.text).toContain("mcp-orchestrator auth login remote")
  expect(existsSync(sb.tokenFile)).toBe(false)
}

test("logout during a refresh in flight: the refresh's tokens are the ones revoked, and not written back", async () => {
  const { w, sb, c } = await loggedInServe({ refreshDelayMs: 1_500 })
  await w.revokeAccessTokens()
  const call = whoami(c, 60_000)
  // the refresh reached the authorization server; its answer is on its way
  await waitFor("the refresh", () => w.tokenRequests.some((r) => r.grant === "refresh_token"), 30_000)
  const out = await cli(sb, ["auth", "logout", "remote"])
  expect(out.stdout).toContain("logged out (revocation: revoked)")
  await call
  await endsLoggedOut(w, sb, c)
}, 120_000)

test("a refresh that comes while the logout revokes is not made", async () => {
  const { w, sb, c } = await loggedInServe({ revokeDelayMs: 1_500 })
  await w.revokeAccessTokens()
  const before = w.tokenRequests.length
  const logout = cli(sb, ["auth", "logout", "remote"])
  // the logout is revoking (its request held by the authorization server)
  await waitFor("the logout's revocation", () => w.revocations > 0, 30_000)
  const call = await whoami(c, 60_000)
  expect((await logout).stdout).toContain("logged out (revocation: revoked)")
  expect(call.ok).toBe(false)
  expect(call.text).toContain("NEEDS_AUTH")
  // no refresh reached the authorization server after the logout began
  expect(w.tokenRequests.slice(before)).toEqual([])
  await endsLoggedOut(w, sb, c)
}, 120_000)
