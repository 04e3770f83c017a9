/**
 * A remote server whose authorization server changed: a stored login is only ever used with the
 * authorization server that issued it. Two real authorization servers (oidc-provider worlds A and
 * B); the protected server of A moves to B (its metadata names B, it refuses A's tokens). Through
 * the compiled binary with the SDK client: no request reaches B's token endpoint with A's login
 * (old records without an issuer stamp, stamped ones after a 401 naming B), the call answers
 * NEEDS_AUTH naming the change and the login command, and a login that still matches its issuer
 * goes on refreshing there.
 */
import { describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import type { OAuthWorld } from "./fixtures/oauth-world.ts"
import { cli, logIn, remoteState, sandbox, started, storedTokens, type Sandbox, whoami } from "./helpers.ts"

const { world, serve } = started()

type Rec = Record<string, unknown> & { tokens: Record<string, unknown>; client?: Record<string, unknown> }

/** The token file as an older version of ours wrote it: no `issuer` stamp anywhere (`keep`: what stays). */
function unstamp(sb: Sandbox, keep: { discovery?: boolean; recordIssuer?: boolean }): Rec {
  const rec = JSON.parse(readFileSync(sb.tokenFile, "utf8")) as Rec
  delete rec.tokens.issuer
  if (rec.client) delete rec.client.issuer
  if (!keep.recordIssuer) delete rec.issuer
  if (!keep.discovery) delete rec.discovery
  writeFileSync(sb.tokenFile, JSON.stringify(rec, null, 2), { mode: 0o600 })
  return rec
}

/** Logs in at `a` (the real browser flow), so the token file holds a login issued by `a`. */
async function loggedIn(a: OAuthWorld): Promise<Sandbox> {
  const sb = sandbox({ remote: { url: a.mcpUrl } })
  await logIn(sb)
  return sb
}

const refreshesAt = (w: OAuthWorld) => w.tokenRequests.filter((r) => r.grant.startsWith("refresh_token")).length

describe("a remote server whose authorization server changed", () => {
  const oldRecords = [
    { name: "no issuer anywhere", keep: {}, says: (_a: OAuthWorld, b: OAuthWorld) => [`could not be confirmed`, `names ${b.issuer} now`] },
    { name: "only the record's issuer (no stamp on the tokens)", keep: { recordIssuer: true }, says: (a: OAuthWorld, b: OAuthWorld) => [`changed from ${a.issuer} to ${b.issuer}`] },
  ]
  for (const o of oldRecords) {
    test(`an old record without stored discovery (${o.name}) is not sent to the authorization server the metadata names now`, async () => {
      const a = await world()
      const b = await world()
      const sb = await loggedIn(a)
      const rt = storedTokens(sb).refresh_token
      expect(rt).toBeTruthy()
      unstamp(sb, o.keep)
      a.moveAuthorization(b.issuer)
      const postsAtA = a.tokenPosts
      const c = await serve(sb)
      const r = await whoami(c)
      // nothing of A's login reached B's token endpoint (nor any other token request)
      expect(b.tokenPosts).toBe(0)
      expect(a.tokenPosts).toBe(postsAtA)
      expect(r.ok).toBe(false)
      expect(r.text).toContain("NEEDS_AUTH")
      for (const s of o.says(a, b)) expect(r.text).toContain(s)
      expect(r.text).toContain(`mcp-orchestrator auth login remote --config ${sb.configPath}`)
      // B's discovery did not become the record's (it would name B as the login's issuer next time)
      const rec = JSON.parse(readFileSync(sb.tokenFile, "utf8")) as Rec
      expect(JSON.stringify(rec.discovery ?? null)).not.toContain(b.issuer)
      expect(rec.tokens.refresh_token).toBe(rt)
      expect(await remoteState(c)).toBe("needs-auth")
      // asked again: the same answer, still nothing sent
      const again = await whoami(c)
      expect(again.ok).toBe(false)
      for (const s of o.says(a, b)) expect(again.text).toContain(s)
      expect(b.tokenPosts).toBe(0)
      expect(c.stderr()).not.toContain(rt!)
    }, 90_000)
  }

  const moves = [
    { name: "its 401 names new metadata", path: "/.well-known/oauth-protected-resource/moved" },
    { name: "the metadata at the same URL names B now", path: undefined },
  ]
  for (const m of moves) {
    test(`a stamped login whose server moves to B mid-session (${m.name}): NEEDS_AUTH naming the change, nothing refreshed anywhere`, async () => {
      const a = await world()
      const b = await world()
      const sb = await loggedIn(a)
      const c = await serve(sb)
      expect((await whoami(c)).ok).toBe(true)
      const postsAtA = a.tokenPosts
      a.moveAuthorization(b.issuer, m.path)
      const r = await whoami(c)
      expect(b.tokenPosts).toBe(0)
      // not refreshed at the old one either: its tokens would be refused by the server all the same
      expect(a.tokenPosts).toBe(postsAtA)
      expect(r.ok).toBe(false)
      expect(r.text).toContain("NEEDS_AUTH")
      expect(r.text).toContain(`changed from ${a.issuer} to ${b.issuer}`)
      expect(r.text).toContain("mcp-orchestrator auth login remote")
      expect(await remoteState(c)).toBe("needs-auth")
    }, 90_000)
  }

  const matching = [
    { name: "stamped", unstamped: undefined },
    { name: "old, with stored discovery and no stamp", unstamped: { discovery: true } },
  ]
  for (const k of matching) {
    test(`a login that matches its authorization server (${k.name}) keeps working and refreshes there`, async () => {
      const a = await world()
      const sb = await loggedIn(a)
      if (k.unstamped) unstamp(sb, k.unstamped)
      const first = storedTokens(sb).access_token
      const c = await serve(sb)
      expect((await whoami(c)).ok).toBe(true)
      // the server refuses the token (revoked there): one refresh, at A
      expect(await a.revokeAccessTokens()).toBeGreaterThan(0)
      const before = refreshesAt(a)
      const r = await whoami(c)
      expect(r.text).toContain("hello from the protected server")
      expect(r.ok).toBe(true)
      expect(refreshesAt(a)).toBe(before + 1)
      expect(storedTokens(sb).access_token).not.toBe(first)
      // the refreshed login carries its issuer now
      const rec = JSON.parse(readFileSync(sb.tokenFile, "utf8")) as Rec
      expect(rec.tokens.issuer).toBe(a.issuer)
    }, 90_000)
  }
})

describe("a refresh ahead of expiry checks the issuer binding too", () => {
  test("the server moved to B while the token was still accepted: the refresh ahead sends nothing to A or B, the call answers NEEDS_AUTH naming the change", async () => {
    // 4 s tokens: a refresh is due ahead of expiry once 2 s are left
    const a = await world({ accessTokenTTL: 4 })
    const b = await world()
    const sb = await loggedIn(a)
    const c = await serve(sb)
    expect((await whoami(c)).ok).toBe(true)
    const expiresAt = (JSON.parse(readFileSync(sb.tokenFile, "utf8")) as { expiresAt: number }).expiresAt
    a.moveAuthorization(b.issuer)
    const postsAtA = a.tokenPosts
    // the refresh is due from here on (also past the expiry): the next call makes it
    await Bun.sleep(Math.max(0, expiresAt - 1500 - Date.now()))
    const r = await whoami(c)
    expect(a.tokenPosts).toBe(postsAtA)
    expect(b.tokenPosts).toBe(0)
    expect(r.ok).toBe(false)
    expect(r.text).toContain(`changed from ${a.issuer} to ${b.issuer}`)
    expect(c.stderr()).not.toContain("refresh_token")
  }, 90_000)
})

describe("auth status names each login's issuer and flags one the server's metadata no longer names", () => {
  type Row = { server: string; issuer?: string; metadataIssuer?: string; issuerChanged?: boolean; issuerUnchecked?: string }
  const rowOf = async (sb: Sandbox): Promise<Row> => {
    const r = await cli(sb, ["auth", "status", "--json"])
    expect(r.code).toBe(0)
    return (JSON.parse(r.stdout) as { servers: Row[] }).servers.find((s) => s.server === "remote")!
  }
  for (const m of [
    { name: "the metadata at the same URL names B", path: undefined },
    { name: "the 401 names new metadata, the old document still names A", path: "/.well-known/oauth-protected-resource/moved" },
  ]) {
    test(`moved to B (${m.name}): flagged, with nothing sent to either token endpoint`, async () => {
      const a = await world()
      const b = await world()
      const sb = await loggedIn(a)
      const before = await rowOf(sb)
      expect(before).toMatchObject({ issuer: a.issuer, metadataIssuer: a.issuer, issuerChanged: false })
      expect((await cli(sb, ["auth", "status"])).stdout).not.toContain("names the authorization server")
      a.moveAuthorization(b.issuer, m.path)
      const postsAtA = a.tokenPosts
      const after = await rowOf(sb)
      expect(after).toMatchObject({ issuer: a.issuer, metadataIssuer: b.issuer, issuerChanged: true })
      const text = (await cli(sb, ["auth", "status"])).stdout
      expect(text).toContain(`issuer ${a.issuer}`)
      expect(text).toContain(`names the authorization server ${b.issuer} now`)
      expect(text).toContain("mcp-orchestrator auth login remote")
      expect(a.tokenPosts).toBe(postsAtA)
      expect(b.tokenPosts).toBe(0)
      // the server saw no token from the status (only unauthenticated requests)
      expect(a.seen.filter((s) => s.token !== undefined && s.status === 401)).toEqual([])
    }, 90_000)
  }

  test("a server that cannot be reached: the login is listed with why its issuer was not checked", async () => {
    const a = await world()
    const sb = await loggedIn(a)
    await a.stop()
    const row = await rowOf(sb)
    expect(row.issuer).toBe(a.issuer)
    expect(row.issuerChanged).toBeUndefined()
    expect(row.issuerUnchecked).toContain("could not be read")
  }, 90_000)
})
