/**
 * A remote server behind a real authorization server (oidc-provider), used through the compiled
 * binary with the SDK Client: state needs-auth and its error before login, a login in another
 * process picked up without restart, refresh ahead of expiry and on a 401 (with `resource`), and a
 * revoked grant turning into needs-auth without a crash or a loop.
 */
import { describe, expect, test } from "bun:test"
import { ElicitationCompleteNotificationSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { isAlive } from "../helpers/binary.ts"
import type { OAuthWorld } from "./fixtures/oauth-world.ts"
import { BROWSER_SCRIPT, cli, logIn, remoteState, sandbox, started, storedTokens, textOf, whoami } from "./helpers.ts"

const { world, serve } = started()

const refreshes = (w: OAuthWorld) => w.tokenRequests.filter((r) => r.grant.startsWith("refresh_token"))

describe("serve with an OAuth remote", () => {
  test("before login: needs-auth, and the error names the exact login command; a login elsewhere is used without restart", async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    const c = await serve(sb)
    const before = await whoami(c)
    expect(before.ok).toBe(false)
    expect(before.text).toContain("NEEDS_AUTH")
    // the command as it must be run from a terminal: with the config file this run uses
    expect(before.text).toContain(`mcp-orchestrator auth login remote --config ${sb.configPath}`)
    expect(await remoteState(c)).toBe("needs-auth")

    const login = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(login.code).toBe(0)
    const after = await whoami(c)
    expect(after.text).toContain("hello from the protected server")
    expect(after.ok).toBe(true)
    expect(await remoteState(c)).toBe("ready")
    // the bearer the server accepted is the stored one, and never shows in the client's view
    const t = storedTokens(sb)
    expect(w.seen.filter((s) => s.status === 200).every((s) => s.token === t.access_token)).toBe(true)
    expect(c.stderr()).not.toContain(t.access_token)
    expect(c.stderr()).not.toContain(t.refresh_token!)
  }, 90_000)

  test("a client with URL-mode elicitation is offered the sign-in link, and the call continues after it", async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    const c = await serve(sb, { capabilities: { elicitation: { url: {} } } })
    const asked: Array<Record<string, unknown>> = []
    const completed: string[] = []
    c.client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params as Record<string, unknown>)
      // the user agrees; the client opens the link in a browser (here the scripted one)
      Bun.spawn([process.execPath, BROWSER_SCRIPT, String((req.params as { url: string }).url)], { stdout: "ignore", stderr: "ignore" })
      return { action: "accept" }
    })
    c.client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => {
      completed.push(n.params.elicitationId)
    })
    const r = await whoami(c)
    expect(r.text).toContain("hello from the protected server")
    expect(asked).toHaveLength(1)
    expect(asked[0]!.mode).toBe("url")
    const link = new URL(String(asked[0]!.url))
    expect(link.origin).toBe(w.issuer)
    expect(link.searchParams.get("resource")).toBe(w.mcpUrl)
    expect(String(asked[0]!.message)).toContain("remote")
    for (let i = 0; i < 600 && !completed.length; i++) await Bun.sleep(25)
    expect(completed).toEqual([String(asked[0]!.elicitationId)])
    expect(storedTokens(sb).access_token).toBeTruthy()
  }, 60_000)

  // the log tells a refusal, a dismissed link and a link the client could not show apart
  const offers = [
    ["decline", "the user declined the sign-in"],
    ["cancel", "the user dismissed the sign-in link without deciding"],
    ["throw", "could not offer the sign-in link: "],
  ] as const
  for (const [answer, logged] of offers) {
    test(`a sign-in link answered ${answer} answers the NEEDS_AUTH error, and the log says which`, async () => {
      const w = await world()
      const sb = sandbox({ remote: { url: w.mcpUrl } })
      const c = await serve(sb, { capabilities: { elicitation: { url: {} } } })
      let asked = 0
      c.client.setRequestHandler(ElicitRequestSchema, async () => {
        asked++
        if (answer === "throw") throw new Error("UI crashed")
        return { action: answer }
      })
      const r = await whoami(c)
      expect(asked).toBe(1)
      expect(r.ok).toBe(false)
      expect(r.text).toContain("mcp-orchestrator auth login remote")
      // stderr is read apart from the answer: waited for
      const line = (): string | undefined => c.stderr().split("\n").find((l) => l.includes("sign-in through the client did not complete"))
      for (let i = 0; i < 200 && line() === undefined; i++) await Bun.sleep(25)
      expect(line()).toContain(logged)
    }, 60_000)
  }

  test("needs-auth shows in /readyz and /metrics", async () => {
    const w = await world()
    const token = "auth-test-http-token-0123456789"
    const sb = sandbox({ remote: { url: w.mcpUrl } }, { warm: ["remote"], http: { token } })
    const c = await serve(sb, { args: ["--http", "127.0.0.1:0"] })
    let base: string | undefined
    for (let i = 0; i < 200 && !base; i++) {
      base = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/mcp"/.exec(c.stderr())?.[1]
      if (!base) await Bun.sleep(50)
    }
    expect(base).toBeTruthy()
    const headers = { Authorization: `Bearer ${token}` }
    let readyz: { ready: boolean; servers: Record<string, string> } | undefined
    for (let i = 0; i < 200; i++) {
      readyz = (await (await fetch(`${base}/readyz`, { headers })).json()) as typeof readyz
      if (readyz!.servers.remote === "needs-auth") break
      await Bun.sleep(50)
    }
    expect(readyz!.servers.remote).toBe("needs-auth")
    expect(readyz!.ready).toBe(false)
    const metrics = await (await fetch(`${base}/metrics`, { headers })).text()
    expect(metrics).toMatch(/mcpo_downstream_sessions\{[^}]*state="needs-auth"[^}]*\} 1/)
  }, 60_000)

  test("refresh ahead of expiry, with the resource parameter", async () => {
    const w = await world({ accessTokenTTL: 4 }) // 4 s access tokens: refreshed once less than half their life is left
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const first = storedTokens(sb)
    const c = await serve(sb)
    expect((await whoami(c)).ok).toBe(true)
    const rejected = w.seen.filter((s) => s.status === 401).length
    await Bun.sleep(2600)
    const r = await whoami(c)
    expect(r.text).toContain("hello from the protected server")
    expect(refreshes(w).length).toBeGreaterThanOrEqual(1)
    expect(refreshes(w).every((x) => x.resource === w.mcpUrl)).toBe(true)
    expect(storedTokens(sb).access_token).not.toBe(first.access_token)
    // refreshed before the server had to refuse the old token
    expect(w.seen.filter((s) => s.status === 401).length).toBe(rejected)
  }, 90_000)

  test("a 401 mid-session (token revoked server-side): one refresh, then the call works", async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const c = await serve(sb)
    expect((await whoami(c)).ok).toBe(true)
    expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
    const before = refreshes(w).length
    const r = await whoami(c)
    expect(r.text).toContain("hello from the protected server")
    expect(refreshes(w).length).toBe(before + 1)
    expect(refreshes(w).at(-1)).toEqual({ grant: "refresh_token", resource: w.mcpUrl })
  }, 90_000)

  test("concurrent calls meeting a revoked token refresh once (a rotated refresh token is never replayed)", async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const c = await serve(sb)
    expect((await whoami(c)).ok).toBe(true)
    await w.revokeAccessTokens()
    const before = refreshes(w).length
    const answers = await Promise.all(Array.from({ length: 6 }, () => whoami(c)))
    for (const a of answers) expect(a.text).toContain("hello from the protected server")
    // the authorization server saw exactly one refresh: replaying a rotated refresh token would
    // have made it revoke the whole grant (reuse detection)
    expect(refreshes(w).slice(before)).toEqual([{ grant: "refresh_token", resource: w.mcpUrl }])
    expect((await whoami(c)).ok).toBe(true)
  }, 60_000)

  test("tokens are bound to the server's URL: after the url changes they are not sent there", async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const t = storedTokens(sb)
    // the same server name now points at another endpoint, which records what it is sent
    const got: Array<string | null> = []
    const other = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => (got.push(req.headers.get("authorization")), new Response("no", { status: 401 })) })
    try {
      const moved = { ...sb }
      await Bun.write(sb.configPath, JSON.stringify({ toolkit: { enabled: "off" }, servers: { remote: { url: `http://127.0.0.1:${other.port}/mcp` } } }))
      const c = await serve(moved)
      const r = await whoami(c)
      expect(r.ok).toBe(false)
      expect(r.text).toContain("mcp-orchestrator auth login remote")
      expect(got.length).toBeGreaterThan(0)
      expect(got.every((h) => h === null || !h.includes(t.access_token))).toBe(true)
      expect((await cli(sb, ["auth", "status"])).stdout).toContain(`obtained for ${w.mcpUrl}`)
      // the login for the old URL is kept, untouched
      expect(storedTokens(sb).access_token).toBe(t.access_token)
    } finally {
      other.stop(true)
    }
  }, 60_000)

  test("refresh failure (grant revoked): needs-auth with the login command, no crash, no loop", async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    await logIn(sb)
    const c = await serve(sb)
    expect((await whoami(c)).ok).toBe(true)
    await w.revokeGrants()
    const before = refreshes(w).length
    const r = await whoami(c)
    expect(r.ok).toBe(false)
    expect(r.text).toContain("NEEDS_AUTH")
    expect(r.text).toContain("mcp-orchestrator auth login remote")
    expect(await remoteState(c)).toBe("needs-auth")
    // one refresh attempt (refused: invalid_grant), then nothing more on its own
    expect(refreshes(w).length).toBe(before + 1)
    expect(refreshes(w).at(-1)!.grant).toBe("refresh_token (error)")
    const asked = w.seen.length + w.tokenRequests.length
    await Bun.sleep(2000)
    expect(w.seen.length + w.tokenRequests.length).toBe(asked)
    expect(isAlive(c.pid!)).toBe(true)
    expect((await cli(sb, ["auth", "status"])).stdout).toContain("remote: not logged in")
    // and a fresh login brings it back
    await logIn(sb)
    expect((await whoami(c)).ok).toBe(true)
  }, 90_000)
})
