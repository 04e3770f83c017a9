/**
 * OAuth discovery of a server on a public host may not lead this machine to its own loopback, a
 * private network or link-local addresses (SSRF toward services not exposed to the internet): not
 * by the protected-resource metadata's `authorization_servers`, the authorization server metadata's
 * endpoints, nor a redirect, and not through a host name that resolves there (`localhost`,
 * resolved by the system). The refusal names the field, the host (never the query) and the config
 * key that lifts it; nothing is requested from the refused host. A server on this machine (local
 * development, the real oidc-provider world) may use an authorization server on loopback; a server
 * on a private network, one on that network but not loopback.
 *
 * The SDK's own discovery (`discoverOAuthServerInfo`, as `auth()` runs it) reads the documents
 * through the guard's fetch. The public and private hosts are IP literals (203.0.113.7, 10.0.0.7, …)
 * this machine cannot serve: the fetch under the guard carries their requests to loopback test
 * servers (`route`), which is where a test network ends; the documents, the authorization server
 * (oidc-provider) and the checks are real.
 *
 * Also: in a running session (serve mode), a 401 whose challenge names a `resource_metadata` URL the
 * login would refuse makes the SDK run discovery with the transport's fetch; that request went out
 * unchecked. It is checked now like the login's.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { discoverOAuthServerInfo } from "@modelcontextprotocol/client"
import { OAuthUrlGuard, type Fetch } from "../../src/auth/url-guard.ts"
import { DownstreamError, OrchestratorError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startWorld, type OAuthWorld } from "./fixtures/oauth-world.ts"

let world: OAuthWorld
/** Every request the test network carried: "METHOD host path" (host as the client named it). */
const requests: string[] = []
/** The documents the routed hosts serve, by "host path". */
const docs = new Map<string, () => Response>()
let hostile: ReturnType<typeof Bun.serve>

beforeAll(async () => {
  world = await startWorld()
  hostile = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const u = new URL(req.url)
      const key = `${req.headers.get("x-routed-host")} ${u.pathname}`
      return docs.get(key)?.() ?? new Response("not found", { status: 404 })
    },
  })
})

afterAll(async () => {
  await world?.stop()
  hostile?.stop(true)
})

/** The test network: the routed literals go to the hostile server (their host in a header), the rest as it is. */
const ROUTED = new Set(["203.0.113.7", "198.51.100.9", "10.0.0.7", "10.0.0.5"])
const route: Fetch = async (url, init) => {
  const u = new URL(String(url))
  requests.push(`${init?.method ?? "GET"} ${u.host} ${u.pathname}`)
  if (!ROUTED.has(u.hostname)) return fetch(u, init)
  const headers = new Headers(init?.headers)
  headers.set("x-routed-host", u.hostname)
  return fetch(`http://127.0.0.1:${hostile.port}${u.pathname}${u.search}`, { ...init, headers })
}

const prm = (host: string, resource: string, servers: string[]) => docs.set(`${host} /.well-known/oauth-protected-resource/mcp`, () => Response.json({ resource, authorization_servers: servers }))
const asMeta = (host: string, meta: Record<string, unknown>) => docs.set(`${host} /.well-known/oauth-authorization-server`, () => Response.json(meta))

/** SDK discovery of `serverUrl` through a guard for it; the guard's refusal (if any). */
async function discover(serverUrl: string, allowPrivate = false): Promise<{ refusal: OrchestratorError | undefined; asUrl?: string }> {
  const guard = new OAuthUrlGuard("web", { serverUrl, ...(allowPrivate ? { allowPrivate: true } : {}) })
  let info: Awaited<ReturnType<typeof discoverOAuthServerInfo>> | undefined
  let err: unknown
  try {
    info = await discoverOAuthServerInfo(serverUrl, { fetchFn: guard.fetch(route) })
  } catch (e) {
    err = e
  }
  const refusal = guard.violation ?? (err instanceof OrchestratorError ? err : undefined)
  if (refusal === undefined && err !== undefined) throw err
  return { refusal, ...(info ? { asUrl: String(info.authorizationServerUrl) } : {}) }
}

const PUBLIC = "https://203.0.113.7/mcp"

describe("a server on a public host", () => {
  test("its protected-resource metadata naming an authorization server on loopback (the real oidc-provider): refused, nothing sent there", async () => {
    prm("203.0.113.7", PUBLIC, [world.issuer])
    requests.length = 0
    const { refusal } = await discover(PUBLIC)
    expect(refusal).toBeDefined()
    expect(refusal!.code).toBe("OAUTH_INSECURE_URL")
    const issuerHost = new URL(world.issuer).host
    expect(refusal!.message).toContain("authorization_servers[0] (from the protected resource metadata at https://203.0.113.7/.well-known/oauth-protected-resource/mcp) leads to host 127.0.0.1, an address of this machine")
    expect(refusal!.message).toContain("servers.web.url")
    expect(refusal!.remedy).toContain("servers.web.auth.allowPrivateAuthServers: true")
    expect(refusal!.details).toMatchObject({ field: "authorization_servers[0]", host: "127.0.0.1", kind: "loopback" })
    expect(requests.filter((r) => r.includes(issuerHost))).toEqual([])
  })

  test("a host name that resolves to loopback (localhost, by the system's resolver) is refused the same way, naming what it resolved to", async () => {
    const port = new URL(world.issuer).port
    prm("203.0.113.7", PUBLIC, [`http://localhost:${port}`])
    requests.length = 0
    const { refusal } = await discover(PUBLIC)
    expect(refusal?.code).toBe("OAUTH_INSECURE_URL")
    expect(refusal!.message).toMatch(/authorization_servers\[0\] .* leads to host localhost \(which resolves to (127\.0\.0\.1|::1)\), an address of this machine/)
    expect(requests.filter((r) => r.includes(`localhost:${port}`))).toEqual([])
  })

  test("an authorization server on a public host whose metadata names endpoints on a private network, or ULA, is refused naming the field and host (not the query)", async () => {
    prm("203.0.113.7", PUBLIC, ["https://198.51.100.9"])
    const good = { issuer: "https://198.51.100.9", authorization_endpoint: "https://198.51.100.9/authorize", token_endpoint: "https://198.51.100.9/token", response_types_supported: ["code"], code_challenge_methods_supported: ["S256"] }
    for (const [field, value, host, kind] of [
      ["token_endpoint", "https://10.0.0.5/token?key=sekrit-q", "10.0.0.5", "private"],
      ["authorization_endpoint", "https://[fd12::1]/authorize", "fd12::1", "private"],
      ["registration_endpoint", "https://[::ffff:127.0.0.1]/register", "::ffff:7f00:1", "loopback"],
    ] as const) {
      asMeta("198.51.100.9", { ...good, [field]: value })
      requests.length = 0
      const { refusal } = await discover(PUBLIC)
      expect(refusal?.code).toBe("OAUTH_INSECURE_URL")
      expect(refusal!.message).toContain(`${field} (from the authorization server metadata at https://198.51.100.9/.well-known/oauth-authorization-server) leads to host ${host}`)
      expect(refusal!.details).toMatchObject({ field, host, kind })
      expect(refusal!.message).not.toContain("sekrit-q")
      expect(requests.some((r) => r.includes("10.0.0.5") || r.includes("fd12"))).toBe(false)
    }
    // control: the same metadata with public endpoints is read
    asMeta("198.51.100.9", good)
    const ok = await discover(PUBLIC)
    expect(ok.refusal).toBeUndefined()
    expect(new URL(ok.asUrl!).href).toBe("https://198.51.100.9/")
  })

  test("a redirect to loopback is not followed (the SDK follows none across origins; the guard, which follows redirects for other requests, neither)", async () => {
    docs.set("198.51.100.9 /moved", () => new Response(null, { status: 302, headers: { location: `${world.issuer}/.well-known/openid-configuration` } }))
    requests.length = 0
    const guard = new OAuthUrlGuard("web", { serverUrl: PUBLIC })
    const e = await guard.fetch(route)("https://198.51.100.9/moved").then(
      () => undefined,
      (x: unknown) => x as OrchestratorError,
    )
    expect(e?.code).toBe("OAUTH_INSECURE_URL")
    expect(e!.message).toContain("redirect (from the answer of https://198.51.100.9/moved) leads to host 127.0.0.1")
    expect(requests).toEqual(["GET 198.51.100.9 /moved"])
  })

  test("every spelling of loopback, unspecified, private and link-local addresses is refused; public ones pass", async () => {
    const inside = [
      "https://127.1.2.3/",
      "https://0x7f000001/",
      "https://0.0.0.0/",
      "https://[::]/",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://10.1.2.3/",
      "https://172.20.0.1/",
      "https://192.168.0.10/",
      "https://100.64.1.1/",
      "https://[fc00::5]/",
      "https://[::ffff:10.0.0.1]/",
      "https://[64:ff9b::7f00:1]/",
      "https://[2002:c0a8:101::1]/",
      "https://169.254.10.10/",
      "https://[fe80::1]/",
    ]
    for (const url of inside) {
      const guard = new OAuthUrlGuard("web", { serverUrl: PUBLIC })
      const e = await guard.reach(new URL(url), "token_endpoint", "x").then(
        () => undefined,
        (x: unknown) => x as OrchestratorError,
      )
      expect({ url, code: e?.code }).toEqual({ url, code: "OAUTH_INSECURE_URL" })
    }
    for (const url of ["https://172.32.0.1/", "https://8.8.8.8/", "https://[2606:4700::1111]/", "https://100.128.0.1/"]) await new OAuthUrlGuard("web", { serverUrl: PUBLIC }).reach(new URL(url), "token_endpoint", "x")
  })

  test("servers.<name>.auth.allowPrivateAuthServers lifts the rule (a public server whose login is inside the network)", async () => {
    prm("203.0.113.7", PUBLIC, [world.issuer])
    const { refusal, asUrl } = await discover(PUBLIC, true)
    expect(refusal).toBeUndefined()
    expect(new URL(asUrl!).href).toBe(new URL(world.issuer).href)
  })
})

describe("servers on this machine or a private network", () => {
  test("a server on loopback (local development) uses the oidc-provider on loopback", async () => {
    const { refusal, asUrl } = await discover(world.mcpUrl)
    expect(refusal).toBeUndefined()
    expect(new URL(asUrl!).href).toBe(new URL(world.issuer).href)
  })

  test("a server on a private network may use an authorization server on that network, not on this machine", async () => {
    const priv = "https://10.0.0.7/mcp"
    prm("10.0.0.7", priv, ["https://10.0.0.5"])
    asMeta("10.0.0.5", { issuer: "https://10.0.0.5", authorization_endpoint: "https://10.0.0.5/authorize", token_endpoint: "https://10.0.0.5/token", response_types_supported: ["code"] })
    expect((await discover(priv)).refusal).toBeUndefined()
    prm("10.0.0.7", priv, [world.issuer])
    const { refusal } = await discover(priv)
    expect(refusal?.message).toContain("leads to host 127.0.0.1, an address of this machine (loopback or unspecified), while the server's own url (servers.web.url) is on a private network")
  })
})

describe("a running session (serve mode) meeting a 401", () => {
  test("the SDK's discovery goes through the same guard: a challenge naming a URL the login refuses is not requested", async () => {
    const probes: string[] = []
    let port = 0
    const evil = Bun.serve({
      hostname: "0.0.0.0",
      port: 0,
      fetch(req): Response {
        const u = new URL(req.url)
        if (u.pathname === "/prm-probe") {
          probes.push(req.method)
          return Response.json({ resource: "x", authorization_servers: ["http://127.0.0.1:1"] })
        }
        // the MCP endpoint: every request needs a login
        return new Response("unauthorized", { status: 401, headers: { "www-authenticate": `Bearer resource_metadata="http://0.0.0.0:${port}/prm-probe"` } })
      },
    })
    port = evil.port ?? 0
    // the session's token store (none stored: the server is not logged in to)
    const dir = mkdtempSync(join(tmpdir(), "oauth-serve-"))
    const before = process.env.XDG_STATE_HOME
    process.env.XDG_STATE_HOME = dir
    try {
      const url = `http://127.0.0.1:${evil.port}/mcp`
      const p = new Pool({ config: config({ pool: { restartDelay: 60_000 } }), log: captureLog().log })
      await using _ = p
      p.add({ name: "web", source: "config", spec: { url, protocol: "legacy" } as never })
      const e = await p.call("web", "tools/list", {}, {}).then(
        () => undefined,
        (x: unknown) => x as DownstreamError,
      )
      expect(e).toBeDefined()
      expect(probes).toEqual([])
    } finally {
      if (before === undefined) delete process.env.XDG_STATE_HOME
      else process.env.XDG_STATE_HOME = before
      evil.stop(true)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
