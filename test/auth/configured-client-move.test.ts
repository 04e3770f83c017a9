/**
 * A pre-registered client (`auth.clientId` with `clientSecret`) belongs to the authorization server
 * it was registered at. When the server's metadata names another one now, neither `auth login` nor
 * serve presents that client (its secret least of all) to the new one: both stop with an error that
 * names the change and `auth.clientId`, and say what to do. Real oidc-provider worlds A (where the
 * client is registered) and B, through the compiled binary.
 */
import { describe, expect, test } from "bun:test"
import type { OAuthWorld } from "./fixtures/oauth-world.ts"
import { cli, logIn, sandbox, started, storedTokens, whoami } from "./helpers.ts"

const SECRET = "pre-registered-secret-4b9f1c"
const { world, serve } = started()

async function moved(): Promise<{ a: OAuthWorld; b: OAuthWorld; sb: ReturnType<typeof sandbox> }> {
  const a = await world({ clients: [{ clientId: "pre", clientSecret: SECRET }] })
  const b = await world()
  // B would issue tokens for the moved server: a login that went there would complete
  b.acceptResource(a.mcpUrl)
  const sb = sandbox({ remote: { url: a.mcpUrl, auth: { clientId: "pre", clientSecret: SECRET } } })
  const first = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
  expect(first.stderr + first.stdout).not.toContain(SECRET)
  expect(first.code).toBe(0)
  expect(a.registrations).toEqual([])
  a.moveAuthorization(b.issuer)
  return { a, b, sb }
}

function saysWhatToDo(text: string, a: OAuthWorld, b: OAuthWorld): void {
  expect(text).toContain(`changed from ${a.issuer} to ${b.issuer}`)
  expect(text).toContain("servers.remote.auth.clientId")
  expect(text).toContain(`was registered at ${a.issuer}`)
  expect(text).toContain(`Register a client at ${b.issuer}`)
  expect(text).not.toContain(SECRET)
}

describe("a configured client after the server's authorization server changed", () => {
  test("auth login stops before anything reaches the new authorization server: no authorization, registration or token request, naming the change and auth.clientId", async () => {
    const { a, b, sb } = await moved()
    const visitedBefore = sb.visited().length
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.code).not.toBe(0)
    saysWhatToDo(r.stderr, a, b)
    expect(b.tokenPosts).toBe(0)
    expect(b.registrations).toEqual([])
    expect(sb.visited().slice(visitedBefore).filter((v) => v.includes(b.issuer))).toEqual([])
    // the login of A is kept as it was
    expect(storedTokens(sb).refresh_token).toBeTruthy()
  }, 90_000)

  test("serve answers NEEDS_AUTH naming the change and the client to register, sending nothing to B", async () => {
    const { a, b, sb } = await moved()
    const c = await serve(sb)
    const r = await whoami(c)
    expect(r.ok).toBe(false)
    expect(r.text).toContain("NEEDS_AUTH")
    saysWhatToDo(r.text, a, b)
    expect(b.tokenPosts).toBe(0)
    expect(c.stderr()).not.toContain(SECRET)
  }, 90_000)

  test("a client id changed in the config (registered at B) is not held to A's binding", async () => {
    const { a, sb } = await moved()
    const b2 = await world({ clients: [{ clientId: "pre-b", clientSecret: "other-secret-77a" }] })
    b2.acceptResource(a.mcpUrl)
    a.moveAuthorization(b2.issuer)
    const cfg = JSON.parse(await Bun.file(sb.configPath).text())
    cfg.servers.remote.auth = { clientId: "pre-b", clientSecret: "other-secret-77a" }
    await Bun.write(sb.configPath, JSON.stringify(cfg))
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.stderr).not.toContain("auth.clientId")
    expect(r.code).toBe(0)
    // the login got its tokens from B (oidc-provider issues them to that client only)
    expect(b2.tokenRequests.map((t) => t.grant)).toEqual(["authorization_code"])
  }, 90_000)
})
