/**
 * The authorization server forgot the client a dynamic registration made (registrations expire or
 * are cleaned up; the provider was reset): a refresh is refused `invalid_client`. Through the
 * compiled binary against oidc-provider: the call answers NEEDS_AUTH naming the server and the
 * login command, with no loop of refreshes or registrations; `auth login` registers a new client and
 * the running orchestrator's next call works.
 */
import { expect, test } from "bun:test"
import { logIn, sandbox, started, storedTokens, whoami } from "./helpers.ts"

const { world, serve } = started()

test("a refresh refused invalid_client (registration deleted): NEEDS_AUTH with the login command, no loop; auth login registers afresh", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const tokens = storedTokens(sb)
  const c = await serve(sb)
  expect((await whoami(c)).ok).toBe(true)
  expect(await w.deleteClients()).toBe(1)
  expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
  const posts = w.tokenPosts
  const r = await whoami(c)
  expect(r.ok).toBe(false)
  expect(r.text).toContain("NEEDS_AUTH")
  expect(r.text).toContain("server remote")
  expect(r.text).toContain("mcp-orchestrator auth login remote")
  // what happened, not "not logged in"
  expect(r.text).toContain("no longer knows the client this login was registered as (invalid_client")
  // one refresh at most, then nothing more asked of the authorization server
  expect(w.tokenPosts - posts).toBeLessThanOrEqual(1)
  for (let i = 0; i < 3; i++) expect((await whoami(c)).text).toContain("NEEDS_AUTH")
  expect(w.tokenPosts - posts).toBeLessThanOrEqual(1)
  expect(w.registrations).toHaveLength(1)
  for (const t of [tokens.access_token, tokens.refresh_token!]) expect(c.stderr() + r.text).not.toContain(t)
  await logIn(sb)
  expect(w.registrations).toHaveLength(2)
  expect((await whoami(c)).text).toContain("hello from the protected server")
}, 90_000)
