/**
 * Authorization servers as providers really configure them, through the compiled binary's
 * `auth login` against a real oidc-provider: one without dynamic client registration and no
 * `auth.clientId` configured stops with an error naming the server, the authorization server and
 * `auth.clientId` (the SDK said only "Incompatible auth server: does not support dynamic client
 * registration"); with the client configured, the same provider logs in.
 */
import { describe, expect, test } from "bun:test"
import { cli, sandbox, started } from "./helpers.ts"

const { world } = started()

describe("an authorization server without dynamic client registration", () => {
  test("no auth.clientId: auth login names the server, the authorization server and auth.clientId, and opens nothing", async () => {
    const w = await world({ noRegistration: true })
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`servers.remote: the authorization server ${w.issuer} does not register clients itself`)
    expect(r.stderr).toContain("servers.remote.auth.clientId")
    expect(r.stderr).toContain("Remedy:")
    expect(sb.visited()).toEqual([])
    expect(w.tokenPosts).toBe(0)
  }, 90_000)

  test("with a pre-registered auth.clientId the same provider logs in", async () => {
    const w = await world({ noRegistration: true, clients: [{ clientId: "pre", clientSecret: "pre-secret-0c1d" }] })
    const sb = sandbox({ remote: { url: w.mcpUrl, auth: { clientId: "pre", clientSecret: "pre-secret-0c1d" } } })
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.stderr).not.toContain("pre-secret-0c1d")
    expect(r.code).toBe(0)
    expect(w.tokenRequests.map((t) => t.grant)).toEqual(["authorization_code"])
  }, 90_000)
})
