/**
 * Authorization servers and protected servers as real providers lay out their metadata and spell
 * their token answers, through the compiled binary (`auth login`, then serve driven by an SDK
 * client) against oidc-provider (test/auth/fixtures/oauth-world.ts):
 * - the authorization server's metadata only at the OpenID path, path-appended for an issuer with a
 *   path (`https://host/tenant1/.well-known/openid-configuration`), or only at RFC 8414's
 *   path-inserted URL (`/.well-known/oauth-authorization-server/tenant1`), the order of the MCP
 *   authorization spec;
 * - the protected-resource metadata named by the 401, or only at the path-suffixed or the root
 *   well-known URL;
 * - token answers with `expires_in` as a string, no `scope`, `token_type` "bearer", and refreshes
 *   that rotate the refresh token or answer none (the old one is kept).
 * Each: a login, a call, a refresh (the server refuses the access token: one refresh on its 401),
 * a call again.
 */
import { describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { SCOPE, type OAuthWorld, type WorldOptions } from "./fixtures/oauth-world.ts"
import { cli, logIn, refreshRoundTrip, sandbox, started, storedTokens, whoami } from "./helpers.ts"

const env = started()
const { world, serve } = env

const grants = (w: OAuthWorld) => w.tokenRequests.map((r) => r.grant)

/** Logs in, calls, has the server refuse the access token (one refresh), calls again (helpers.ts). */
const roundTrip = (opts: WorldOptions) => refreshRoundTrip(env, opts)

describe("where the authorization server's metadata is", () => {
  test("an issuer with a path, metadata only at the path-appended OpenID URL", async () => {
    const { w, sb } = await roundTrip({ issuerPath: "/tenant1", asMetadataAt: "oidc" })
    expect(JSON.parse(readFileSync(sb.tokenFile, "utf8")).tokens.issuer ?? JSON.parse(readFileSync(sb.tokenFile, "utf8")).issuer).toBe(w.issuer)
    expect(w.issuer.endsWith("/tenant1")).toBe(true)
  }, 90_000)

  test("an issuer with a path, metadata only at RFC 8414's path-inserted URL", async () => {
    await roundTrip({ issuerPath: "/tenant1", asMetadataAt: "rfc8414" })
  }, 90_000)

  test("an issuer without a path, metadata only at RFC 8414's URL", async () => {
    await roundTrip({ asMetadataAt: "rfc8414" })
  }, 90_000)

  test("an issuer without a path, metadata only at the OpenID URL", async () => {
    await roundTrip({ asMetadataAt: "oidc" })
  }, 90_000)

  // found by OpenID discovery, the SDK keeps no revocation_endpoint of the metadata: logout reads it again
  for (const at of ["rfc8414", "oidc"] as const)
  test(`auth status and logout of a login at an issuer with a path (metadata only at ${at === "oidc" ? "the OpenID URL" : "RFC 8414's URL"}): revoked there`, async () => {
    const { w, sb } = await roundTrip({ issuerPath: "/tenant1", asMetadataAt: at })
    const status = await cli(sb, ["auth", "status", "--json"])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain(w.issuer)
    expect(status.stdout).not.toContain("issuerChanged\":true")
    const out = await cli(sb, ["auth", "logout", "remote"])
    expect(out.code).toBe(0)
    expect(out.stdout).toContain("revoked")
    expect(w.revocations).toBeGreaterThan(0)
  }, 90_000)
})

describe("where the protected resource metadata is", () => {
  test("only at the path-suffixed well-known URL (the 401 does not name it)", async () => {
    await roundTrip({ prmAt: "path" })
  }, 90_000)

  test("only at the root well-known URL (the 401 does not name it)", async () => {
    await roundTrip({ prmAt: "root" })
  }, 90_000)
})

describe("token answers as providers spell them", () => {
  test("expires_in as a string, no scope, token_type bearer: kept with their lifetime, used and refreshed", async () => {
    const { sb } = await roundTrip({
      tokenAnswer: (b) => {
        const { scope: _scope, ...rest } = b
        return { ...rest, token_type: "bearer", expires_in: String(b.expires_in) }
      },
    })
    const rec = JSON.parse(readFileSync(sb.tokenFile, "utf8"))
    expect(typeof rec.expiresAt).toBe("number")
    expect(rec.expiresAt - Date.parse(rec.savedAt)).toBe(3600_000)
  }, 90_000)

  test("unknown extra fields and a scope narrower than asked: kept as answered, used and refreshed; status shows the granted scope", async () => {
    const { sb, stderr } = await roundTrip({
      tokenAnswer: (b) => ({ ...b, scope: SCOPE, "x-provider-session": { id: "s-1", region: "eu" }, refresh_expires_in: 86400, not_before_policy: 0 }),
    })
    expect((storedTokens(sb) as { scope?: string }).scope).toBe(SCOPE)
    const row = JSON.parse((await cli(sb, ["auth", "status", "--json"])).stdout).servers[0]
    expect(row.scopes).toEqual([SCOPE])
    expect(row.refreshable).toBe(true)
    expect(stderr).not.toContain(storedTokens(sb).access_token)
  }, 90_000)

  test("a refresh that rotates the refresh token: the new one is stored", async () => {
    const { sb, w } = await roundTrip({ rotateRefreshToken: true })
    expect(storedTokens(sb).refresh_token).toBeString()
    expect(await w.liveRefreshTokens()).toBe(1)
  }, 90_000)

  test("a refresh answered without a refresh token: the old one is kept and refreshes again", async () => {
    const w = await world({ rotateRefreshToken: false, tokenAnswer: (b, grant) => (grant === "refresh_token" ? (({ refresh_token: _rt, ...rest }) => rest)(b) : b) })
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const first = storedTokens(sb).refresh_token
    expect(first).toBeString()
    const c = await serve(sb)
    for (let i = 0; i < 2; i++) {
      expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
      expect((await whoami(c)).text).toContain("hello from the protected server")
      expect(storedTokens(sb).refresh_token).toBe(first)
    }
    expect(grants(w)).toEqual(["authorization_code", "refresh_token", "refresh_token"])
  }, 90_000)
})

describe("a server that refuses the tokens just refreshed", () => {
  test("one refresh, then NEEDS_AUTH naming the server and the login command; no refresh loop", async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const c = await serve(sb)
    expect((await whoami(c)).text).toContain("hello from the protected server")
    w.refuseTokens = true
    const r = await whoami(c)
    expect(r.ok).toBe(false)
    expect(r.text).toContain("NEEDS_AUTH")
    expect(r.text).toContain("server remote")
    expect(r.text).toContain("mcp-orchestrator auth login remote")
    expect(r.text).toContain("refused the access token a refresh had just obtained")
    expect(grants(w)).toEqual(["authorization_code", "refresh_token"])
    // later calls: the server is asked again (it refuses), the authorization server is not (each
    // call refreshed once, rotating the login's refresh token to the same refusal)
    for (let i = 0; i < 3; i++) expect((await whoami(c)).text).toContain("refused the access token a refresh had just obtained")
    expect(grants(w)).toEqual(["authorization_code", "refresh_token"])
    const tokens = storedTokens(sb)
    for (const secret of [tokens.access_token, tokens.refresh_token!]) {
      expect(c.stderr()).not.toContain(secret)
      expect(r.text).not.toContain(secret)
    }
    // the server accepts tokens again and the user logs in: the next call works, no restart
    w.refuseTokens = false
    await logIn(sb)
    expect((await whoami(c)).text).toContain("hello from the protected server")
  }, 90_000)
})

describe("a server that refuses the tokens just refreshed, across restarts", () => {
  test("the verdict is kept with the login: a restarted orchestrator neither refreshes nor asks the server in vain; auth status says it; a login ends it", async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const first = await serve(sb)
    expect((await whoami(first)).text).toContain("hello from the protected server")
    w.refuseTokens = true
    expect((await whoami(first)).text).toContain("refused the access token a refresh had just obtained")
    expect(grants(w)).toEqual(["authorization_code", "refresh_token"])
    await first.close()
    // the editor restarts (twice): no refresh at the authorization server, the same clear answer
    for (let i = 0; i < 2; i++) {
      const again = await serve(sb)
      const r = await whoami(again)
      expect(r.ok).toBe(false)
      expect(r.text).toContain("refused the access token a refresh had just obtained")
      expect(r.text).toContain("mcp-orchestrator auth login remote")
      await again.close()
    }
    expect(grants(w)).toEqual(["authorization_code", "refresh_token"])
    const tokens = storedTokens(sb)
    expect(readFileSync(sb.tokenFile, "utf8").split(tokens.access_token)).toHaveLength(2)
    const status = await cli(sb, ["auth", "status", "--json"])
    expect(JSON.parse(status.stdout).servers[0]).toMatchObject({ loggedIn: true, refusedAfterRefresh: true })
    expect((await cli(sb, ["auth", "status"])).stdout).toContain("refused the access token its last refresh obtained")
    // a new login ends the verdict: the next orchestrator uses (and would refresh) the new tokens
    w.refuseTokens = false
    await logIn(sb)
    expect(JSON.parse((await cli(sb, ["auth", "status", "--json"])).stdout).servers[0].refusedAfterRefresh).toBeUndefined()
    const after = await serve(sb)
    expect((await whoami(after)).text).toContain("hello from the protected server")
    expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
    expect((await whoami(after)).text).toContain("hello from the protected server")
  }, 90_000)
})

describe("an authorization server whose metadata leaves out code_challenge_methods_supported", () => {
  test("the login goes on with PKCE S256 and says so once", async () => {
    const w = await world({ omitPkceMethods: true })
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.code).toBe(0)
    const said = "PKCE S256 assumed: the authorization server's metadata does not list code_challenge_methods_supported"
    expect(r.stdout.split(said), r.stdout).toHaveLength(2)
    expect(sb.visited()[0]).toContain("code_challenge_method=S256")
    const status = await cli(sb, ["auth", "status", "--json"])
    expect(JSON.parse(status.stdout).servers[0]).toMatchObject({ loggedIn: true, pkceUnlisted: true })
    // an authorization server that lists it says nothing of it
    const listed = await world()
    const sb2 = sandbox({ remote: { url: listed.mcpUrl } })
    const r2 = await cli(sb2, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r2.code).toBe(0)
    expect(r2.stdout).not.toContain("PKCE")
  }, 90_000)
})
