/**
 * The OAuth flow's URL guard (auth/url-guard) and logout's revocation against real loopback HTTP
 * servers: redirects are followed only to secure URLs, metadata documents are checked as they are
 * read, a refusal is final for the login, and tokens are never sent to an insecure or redirected
 * revocation endpoint, nor (as the login's address policy has it) to one on this machine or a private
 * network when the server is on a public host.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { revokeTokens, type OAuthRecord } from "../../src/auth/index.ts"
import { OAuthUrlGuard } from "../../src/auth/url-guard.ts"
import { OrchestratorError } from "../../src/core/index.ts"
import { cli, sandbox } from "./helpers.ts"

const seen: string[] = []
let base = ""
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req): Promise<Response> {
    const u = new URL(req.url)
    seen.push(`${req.method} ${u.pathname} ${req.method === "POST" ? await req.text() : ""}`.trim())
    if (u.pathname === "/to-loopback") return new Response(null, { status: 307, headers: { location: "/final" } })
    if (u.pathname === "/to-evil") return new Response(null, { status: 302, headers: { location: "http://evil.invalid/x" } })
    if (u.pathname === "/to-file") return new Response(null, { status: 302, headers: { location: "file:///etc/passwd" } })
    if (u.pathname === "/final") return Response.json({ ok: true })
    if (u.pathname === "/bad-metadata") return Response.json({ issuer: base, authorization_endpoint: "vscode://evil.ext/run", token_endpoint: `${base}/token` })
    if (u.pathname === "/not-json") return new Response("<html>")
    if (u.pathname === "/revoke-redirect") return new Response(null, { status: 307, headers: { location: "/stolen" } })
    if (u.pathname === "/revoke" || u.pathname === "/stolen") return new Response("", { status: 200 })
    return new Response("no", { status: 404 })
  },
})
base = `http://127.0.0.1:${server.port}`

afterAll(() => {
  void server.stop(true)
})

async function refusal(p: Promise<unknown>): Promise<OrchestratorError> {
  let err: unknown
  await p.catch((e: unknown) => (err = e))
  expect(err).toBeInstanceOf(OrchestratorError)
  expect((err as OrchestratorError).code).toBe("OAUTH_INSECURE_URL")
  return err as OrchestratorError
}

describe("OAuth URL guard", () => {
  test("follows a redirect to a loopback URL (POST kept on 307)", async () => {
    seen.length = 0
    const f = new OAuthUrlGuard("s").fetch()
    const r = await f(`${base}/to-loopback`, { method: "POST", body: "a=1" })
    expect(await r.json()).toEqual({ ok: true })
    expect(seen).toEqual(["POST /to-loopback a=1", "POST /final a=1"])
  })

  test("a redirect to plain http elsewhere, or to file:, is refused, naming both ends; later requests fail the same way", async () => {
    for (const [path, target] of [["/to-evil", "http://evil.invalid/x"], ["/to-file", "file:///etc/passwd"]] as const) {
      const guard = new OAuthUrlGuard("s")
      const f = guard.fetch()
      const e = await refusal(f(`${base}${path}`))
      expect(e.message).toContain(`redirect ${JSON.stringify(target)} (from the answer of ${base}${path})`)
      expect(guard.violation).toBe(e)
      // the SDK swallows some discovery errors and tries elsewhere: the login stays refused
      expect(await refusal(f(`${base}/final`))).toBe(e)
    }
  })

  test("the SDK's own redirect handling (redirect: manual) gets the redirect answer as it is", async () => {
    const r = await new OAuthUrlGuard("s").fetch()(`${base}/to-evil`, { redirect: "manual" })
    expect(r.status).toBe(302)
  })

  test("a metadata document is checked as it is read, naming the field and its URL; other answers pass", async () => {
    const f = new OAuthUrlGuard("s").fetch()
    const e = await refusal(f(`${base}/bad-metadata`))
    expect(e.message).toContain(`authorization_endpoint "vscode://evil.ext/run" (from the authorization server metadata at ${base}/bad-metadata)`)
    expect(e.details).toMatchObject({ server: "s", field: "authorization_endpoint", url: "vscode://evil.ext/run" })
    const g = new OAuthUrlGuard("s").fetch()
    expect(await (await g(`${base}/not-json`)).text()).toBe("<html>")
    expect(await refusal(g("http://evil.invalid/.well-known/oauth-authorization-server"))).toBeTruthy()
  })
})

describe("link-local and cloud metadata addresses (QA 8b)", () => {
  test("refused in every spelling the URL parser knows, with https too; ordinary hosts pass", () => {
    const bad = [
      "https://169.254.169.254/latest/meta-data/",
      "https://0xA9FEA9FE/",
      "https://2852039166/",
      "https://0251.0376.0251.0376/",
      "https://[::ffff:169.254.169.254]/",
      "https://[fe80::1]/",
      "https://[fd00:ec2::254]/",
      "https://metadata.google.internal/computeMetadata/v1/",
      "https://METADATA.GOOGLE.INTERNAL./",
      "http://169.254.169.254/",
    ]
    for (const url of bad) {
      const guard = new OAuthUrlGuard("s")
      let err: unknown
      try {
        guard.check("token_endpoint", url, "the authorization server metadata at x")
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(OrchestratorError)
      expect((err as OrchestratorError).code).toBe("OAUTH_INSECURE_URL")
      if (url.startsWith("https:")) expect((err as OrchestratorError).message).toContain("link-local or cloud metadata address")
    }
    for (const url of ["https://auth.example.com/token", "https://169.255.0.1/", "https://[fec0::1]/", "http://127.0.0.1:9/token"]) expect(new OAuthUrlGuard("s").check("token_endpoint", url, "x").href).toBe(new URL(url).href)
  })

  test("a redirect to the metadata address is not followed", async () => {
    const f = new OAuthUrlGuard("s").fetch(async (u) => (String(u).includes("169.254") ? Response.json({ stolen: true }) : new Response(null, { status: 302, headers: { location: "https://169.254.169.254/latest/meta-data/" } })))
    const e = await refusal(f(`${base}/anything`))
    expect(e.message).toContain('redirect "https://169.254.169.254/latest/meta-data/"')
  })
})

describe("revocation (auth logout)", () => {
  const rec = (endpoint: string): OAuthRecord => ({
    v: 1,
    server: "s",
    url: `${base}/mcp`,
    client: { client_id: "c" },
    tokens: { access_token: "at-secret", refresh_token: "rt-secret", token_type: "Bearer" },
    discovery: { authorizationServerUrl: base, authorizationServerMetadata: { issuer: base, authorization_endpoint: `${base}/a`, token_endpoint: `${base}/t`, response_types_supported: ["code"], revocation_endpoint: endpoint } },
  })

  test("an insecure revocation endpoint gets no token", async () => {
    const r = await revokeTokens(rec("http://evil.invalid/revoke"))
    expect(r.outcome).toContain('not sent: the revocation endpoint "http://evil.invalid/revoke" is not https')
  })

  test("a redirect of the revocation endpoint is not followed with the tokens", async () => {
    seen.length = 0
    const r = await revokeTokens(rec(`${base}/revoke-redirect`))
    expect(r.outcome).toBe("failed: the revocation endpoint answered HTTP 307")
    expect(seen.filter((s) => s.startsWith("POST /stolen"))).toEqual([])
  })

  test("a secure one is used", async () => {
    seen.length = 0
    expect((await revokeTokens(rec(`${base}/revoke`))).outcome).toBe("revoked")
    expect(seen.filter((s) => s.startsWith("POST /revoke"))).toHaveLength(2)
  })

  test("tokens issued by another authorization server than the stored discovery's are not sent to it", async () => {
    seen.length = 0
    const r = rec(`${base}/revoke`)
    const other = { ...r, tokens: { ...r.tokens!, issuer: "https://old-auth.example.com" } } as OAuthRecord
    const out = await revokeTokens(other)
    expect(out.outcome).toStartWith("not sent: ")
    expect(out.outcome).toContain("https://old-auth.example.com")
    expect(seen).toEqual([])
    // stamped by the same one: revoked as before
    const same = { ...r, tokens: { ...r.tokens!, issuer: `${base}/` } } as OAuthRecord
    expect((await revokeTokens(same)).outcome).toBe("revoked")
  })
})

describe("revocation follows the login's address policy", () => {
  // the endpoint the (hostile) authorization server named at login: this machine's loopback
  const rec = (url: string, endpoint = `${base}/revoke`): OAuthRecord => ({
    v: 1,
    server: "s",
    url,
    client: { client_id: "c" },
    tokens: { access_token: "at-secret", refresh_token: "rt-secret", token_type: "Bearer" },
    discovery: { authorizationServerUrl: "https://203.0.113.7", authorizationServerMetadata: { issuer: "https://203.0.113.7", authorization_endpoint: "https://203.0.113.7/a", token_endpoint: "https://203.0.113.7/t", response_types_supported: ["code"], revocation_endpoint: endpoint } },
  })

  test("a server on a public host: no token goes to a loopback revocation endpoint", async () => {
    seen.length = 0
    const r = await revokeTokens(rec("https://203.0.113.7/mcp"), { serverUrl: "https://203.0.113.7/mcp" })
    expect(r.outcome).toStartWith("not sent: ")
    expect(r.outcome).toContain("revocation_endpoint")
    expect(r.outcome).toContain("host 127.0.0.1")
    expect(r.outcome).toContain("servers.s.url")
    expect(seen).toEqual([])
  })

  test("nor to a host name that resolves to a private address; the configured url decides, not the stored one", async () => {
    seen.length = 0
    const resolve = async (h: string): Promise<string[]> => (h === "auth.example.com" ? ["10.1.2.3"] : ["203.0.113.8"])
    const r = await revokeTokens(rec(`${base}/mcp`, "https://auth.example.com/revoke"), { serverUrl: "https://mcp.example.com/mcp", resolve, fetch: async () => new Response("") })
    expect(r.outcome).toContain("not sent: ")
    expect(r.outcome).toContain("auth.example.com (which resolves to 10.1.2.3)")
  })

  test("allowPrivateAuthServers lifts it; a server on this machine may revoke on loopback", async () => {
    seen.length = 0
    expect((await revokeTokens(rec("https://203.0.113.7/mcp"), { serverUrl: "https://203.0.113.7/mcp", allowPrivate: true })).outcome).toBe("revoked")
    expect((await revokeTokens(rec(`${base}/mcp`), { serverUrl: `${base}/mcp` })).outcome).toBe("revoked")
    expect(seen.filter((s) => s.startsWith("POST /revoke"))).toHaveLength(4)
  })

  test("auth logout (the binary) checks with the configured url and still deletes the tokens", async () => {
    seen.length = 0
    const sb = sandbox({ remote: { url: "https://203.0.113.7/mcp" } })
    mkdirSync(join(sb.tokenFile, ".."), { recursive: true, mode: 0o700 })
    writeFileSync(sb.tokenFile, JSON.stringify({ ...rec("https://203.0.113.7/mcp"), server: "remote" }), { mode: 0o600 })
    const r = await cli(sb, ["auth", "logout", "remote"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("revocation: not sent: ")
    expect(r.stdout).toContain("host 127.0.0.1")
    expect(r.stdout).toContain("tokens deleted")
    expect(r.stdout + r.stderr).not.toContain("rt-secret")
    expect(seen).toEqual([])
  }, 60_000)
})
