/**
 * `auth login|status|logout` through the compiled binary against a real authorization server
 * (oidc-provider): discovery from the 401 challenge, dynamic registration, PKCE S256, `resource`,
 * the loopback redirect with `state`, the token file (0600, never printed), revocation.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, statSync } from "node:fs"
import { dirname } from "node:path"
import { login, TokenStore } from "../../src/auth/index.ts"
import { ensureBuilt } from "../helpers/binary.ts"
import { SCOPE, startWorld, type OAuthWorld } from "./fixtures/oauth-world.ts"
import { cli, sandbox, storedTokens, type Sandbox } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

let world: OAuthWorld
let sb: Sandbox

beforeAll(async () => {
  await ensureBuilt()
  world = await startWorld()
  sb = sandbox({ remote: { url: world.mcpUrl } })
}, 120_000)

afterAll(async () => {
  await world?.stop()
})

describe("auth login / status / logout", () => {
  test("status before login says how to log in", async () => {
    const r = await cli(sb, ["auth", "status"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("remote: not logged in")
    expect(r.stdout).toContain("mcp-orchestrator auth login remote")
    // run as printed it must find the server: this run was given its config by --config, so the command says so
    expect(r.stdout).toContain(`mcp-orchestrator auth login remote --config ${sb.configPath}\``)
  })

  test("login through $BROWSER: discovery, registration, PKCE S256, resource; tokens 0600 and never printed", async () => {
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.stderr + r.stdout).toContain("remote: logged in")
    expect(r.code).toBe(0)

    // the authorization request the browser was sent to
    const first = new URL(sb.visited()[0]!.replace(/^GET /, ""))
    expect(first.origin).toBe(world.issuer)
    expect(first.searchParams.get("code_challenge_method")).toBe("S256")
    expect(first.searchParams.get("code_challenge")?.length).toBeGreaterThan(40)
    expect(first.searchParams.get("resource")).toBe(world.mcpUrl)
    // from the 401 challenge; the SDK (v2) adds offline_access, which the AS lists, to get a refresh token
    expect(first.searchParams.get("scope")?.split(" ")).toEqual([SCOPE, "offline_access"])
    expect(first.searchParams.get("state")?.length).toBeGreaterThan(20)
    expect(new URL(first.searchParams.get("redirect_uri")!).hostname).toBe("127.0.0.1")
    // the code exchange carried the resource too
    expect(world.tokenRequests).toContainEqual({ grant: "authorization_code", resource: world.mcpUrl })

    // the token file: 0600 in a 0700 dir, holding a token the AS knows, bound to the resource
    expect(statSync(sb.tokenFile).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(sb.tokenFile)).mode & 0o777).toBe(0o700)
    const t = storedTokens(sb)
    const at = await world.provider.AccessToken.find(t.access_token)
    expect(at?.aud).toBe(world.mcpUrl)
    expect(t.refresh_token).toBeTruthy()
    for (const secret of [t.access_token, t.refresh_token!]) {
      expect(r.stdout).not.toContain(secret)
      expect(r.stderr).not.toContain(secret)
    }
  }, 90_000)

  test("status shows logged in, expiry and scopes, no token text", async () => {
    const t = storedTokens(sb)
    const r = await cli(sb, ["auth", "status", "--json"])
    expect(r.code).toBe(0)
    const j = JSON.parse(r.stdout) as { servers: Array<Record<string, unknown>> }
    const row = j.servers.find((s) => s.server === "remote")!
    expect(row.loggedIn).toBe(true)
    expect(row.scopes).toEqual([SCOPE])
    expect(Date.parse(String(row.expiresAt))).toBeGreaterThan(Date.now())
    expect(row.refreshable).toBe(true)
    expect(r.stdout).not.toContain(t.access_token)
    expect(r.stdout).not.toContain(t.refresh_token!)
    const plain = await cli(sb, ["auth", "status"])
    expect(plain.stdout).toContain("remote: logged in")
  })

  test("logout revokes at the authorization server (RFC 7009) and deletes the file", async () => {
    const t = storedTokens(sb)
    expect(await world.provider.RefreshToken.find(t.refresh_token!)).toBeTruthy()
    const r = await cli(sb, ["auth", "logout", "remote"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("revocation: revoked")
    expect(existsSync(sb.tokenFile)).toBe(false)
    expect(await world.provider.RefreshToken.find(t.refresh_token!)).toBeUndefined()
    expect(await world.provider.AccessToken.find(t.access_token)).toBeUndefined()
    expect((await cli(sb, ["auth", "status"])).stdout).toContain("remote: not logged in")
  }, 30_000)

  test("login for an unknown or local server is a clear config error", async () => {
    const r = await cli(sb, ["auth", "login", "nope"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("servers.nope")
  })
})

describe("pre-registered client (Cursor's CLIENT_ID / CLIENT_SECRET) on a configured redirect port", () => {
  test("no dynamic registration; the secret stays in the config, not in the token file", async () => {
    // a free port for the redirect listener
    const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() })
    const port = probe.port
    probe.stop(true)
    // the administrator registered the client beforehand
    const reg = await fetch(`${world.issuer}/reg`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ redirect_uris: [`http://127.0.0.1:${port}/callback`], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic", application_type: "native" }),
    })
    expect(reg.status).toBe(201)
    const client = (await reg.json()) as { client_id: string; client_secret: string }
    const registered = world.registrations.length
    const pre = sandbox({ remote: { url: world.mcpUrl, auth: { CLIENT_ID: client.client_id, CLIENT_SECRET: client.client_secret, redirectPort: port } } })
    const r = await cli(pre, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.stderr + r.stdout).toContain("remote: logged in")
    expect(world.registrations.length).toBe(registered)
    const first = new URL(pre.visited()[0]!.replace(/^GET /, ""))
    expect(first.searchParams.get("client_id")).toBe(client.client_id)
    expect(first.searchParams.get("redirect_uri")).toBe(`http://127.0.0.1:${port}/callback`)
    const file = await Bun.file(pre.tokenFile).text()
    expect(file).not.toContain(client.client_secret)
    expect(r.stderr + r.stdout).not.toContain(client.client_secret)
  }, 60_000)
})

describe("loopback redirect", () => {
  test("a redirect with the wrong state is refused and the login still completes", async () => {
    const store = new TokenStore(sb.env.HOME + "/state-in-process")
    let refused = 0
    const rec = await login({
      server: "remote",
      url: world.mcpUrl,
      settings: {},
      store,
      timeoutMs: 60_000,
      present: async (url) => {
        const redirect = new URL(url.searchParams.get("redirect_uri")!)
        // a forged callback (CSRF) with a code but another state
        const forged = await fetch(`${redirect.href}?code=forged&state=not-the-one`)
        if (forged.status === 400) refused++
        const p = Bun.spawn([process.execPath, `${import.meta.dir}/fixtures/browser.ts`, url.href], { stdout: "ignore", stderr: "ignore" })
        await p.exited
      },
    })
    expect(refused).toBe(1)
    expect(rec.tokens?.access_token).toBeTruthy()
  }, 60_000)
})
