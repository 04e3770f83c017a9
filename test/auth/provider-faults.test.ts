/**
 * The authorization server failing a refresh mid-session, through the compiled binary with a real
 * authorization server (oidc-provider) whose token endpoint is then made faulty: down (connection
 * reset), stuck (never answers), an HTML page (200, or a proxy's 503), a JSON answer without
 * access_token, a 503 `temporarily_unavailable`. Each call
 * answers NEEDS_AUTH naming the token endpoint and what went wrong, with the login command, never a
 * token, nor the runtime's hints for developers (Bun's "pass `verbose: true` to fetch()"); the login is kept, and once the authorization server works again the next call refreshes
 * and succeeds (after a failure that did not reach it: after a hold-off of 5 s, calls meanwhile failing at once, qa327) (a stuck refresh used to hold every later call until a restart, failing each as a
 * tool TIMEOUT). One whose refusal quotes the refresh token: the SDK warns with it, and that warning
 * is a redacted log line (it was raw text on stderr, the token in it).
 */
import { describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { waitFor } from "../helpers/wait.ts"
import type { TokenFault } from "./fixtures/oauth-world.ts"
import { cli, logIn, sandbox, started, storedTokens, textOf, whoami, whoamiOnceBack } from "./helpers.ts"

const { world, serve } = started()

const cases: Array<{ fault: TokenFault; says: string }> = [
  { fault: "down", says: "could not be reached (connection" },
  { fault: "hang", says: "did not answer within 15 s" },
  { fault: "garbage", says: "answered HTTP 200 with a body that is not JSON" },
  { fault: "no-token", says: "answered HTTP 200 without an access_token" },
  { fault: "html503", says: "answered HTTP 503 with a body that is not JSON" },
  { fault: "unavailable", says: "refused the refresh: HTTP 503 (temporarily_unavailable)" },
]

describe("a refresh the authorization server fails", () => {
  for (const { fault, says } of cases) {
    test(`token endpoint ${fault}: NEEDS_AUTH saying why, with the login command; the login is kept and works once the server is back`, async () => {
      const w = await world()
      const sb = sandbox({ remote: { url: w.mcpUrl } })
      await logIn(sb)
      const tokens = storedTokens(sb)
      const c = await serve(sb)
      expect((await whoami(c, 120_000)).ok).toBe(true)
      // the access token dies server-side (the grant stays): the next call must refresh
      expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
      w.tokenEndpoint = fault
      const failed = await whoami(c, 120_000)
      expect(failed.ok).toBe(false)
      expect(failed.text).toContain("NEEDS_AUTH")
      expect(failed.text).toContain(`${w.issuer}/token ${says}`)
      expect(failed.text).toContain("mcp-orchestrator auth login remote")
      expect(failed.text).not.toContain("TIMEOUT")
      // plain words, not the runtime's hints for a developer ("pass `verbose: true` …")
      expect(failed.text).not.toMatch(/verbose|Is the computer able/)
      // not deleted: the authorization server did not end the grant
      expect(storedTokens(sb).refresh_token).toBe(tokens.refresh_token)
      w.tokenEndpoint = "ok"
      // (a few seconds after a failure that did not reach it: the calls meanwhile fail at once, saying so)
      const back = await whoamiOnceBack(c)
      expect(back.text).toContain("hello from the protected server")
      // the SDK's own warning about the failed refresh is a log line like any other, not raw text
      const lines = c.stderr().split("\n").filter(Boolean)
      const raw = lines.filter((l) => {
        try {
          return typeof JSON.parse(l) !== "object"
        } catch {
          return true
        }
      })
      expect(raw).toEqual([])
      // (an OAuth error other than server_error is not retried by the SDK: no warning then)
      if (fault !== "unavailable") expect(lines.some((l) => l.includes('"component":"library"') && l.includes("Could not refresh OAuth tokens"))).toBe(true)
      const everything = c.stderr() + failed.text + back.text
      for (const t of [tokens.access_token, tokens.refresh_token, storedTokens(sb).access_token, storedTokens(sb).refresh_token]) {
        if (t) expect(everything).not.toContain(t)
      }
    }, 120_000)
  }
})

test("an authorization server whose refusal quotes the refresh request (the refresh token in it): NEEDS_AUTH, and the token is on no log line", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const tokens = storedTokens(sb)
  const c = await serve(sb)
  expect((await whoami(c, 120_000)).ok).toBe(true)
  await w.revokeAccessTokens()
  w.tokenEndpoint = "echo"
  const failed = await whoami(c, 120_000)
  expect(failed.text).toContain("NEEDS_AUTH")
  expect(failed.text).toContain("mcp-orchestrator auth login remote")
  // the SDK's warning quoting the refusal went out (as a log line), without the token
  await waitFor("the SDK's warning on stderr", () => (c.stderr().includes("invalid_grant") ? true : undefined))
  expect(c.stderr() + failed.text).not.toContain(tokens.refresh_token!)
  expect(c.stderr() + failed.text).not.toContain(tokens.access_token)
}, 120_000)

test("auth login whose code exchange gets no answer: fails naming the token endpoint, instead of waiting forever (--timeout is the browser's)", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  w.tokenEndpoint = "hang"
  const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
  expect(r.code).not.toBe(0)
  expect(r.stdout + r.stderr).toContain(`${w.issuer}/token did not answer within 15 s`)
  expect(existsSync(sb.tokenFile) && !!JSON.parse(readFileSync(sb.tokenFile, "utf8")).tokens).toBe(false)
}, 120_000)

for (const fault of ["html503", "unavailable", "garbage"] as const) {
  test(`auth login whose code exchange is answered ${fault}: fails at once naming the token endpoint, no token file`, async () => {
    const w = await world()
    const sb = sandbox({ remote: { url: w.mcpUrl } })
    w.tokenEndpoint = fault
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`the login of remote failed at the authorization server: ${w.issuer}/token ${fault === "unavailable" ? "refused the code exchange: HTTP 503 (temporarily_unavailable)" : `answered HTTP ${fault === "html503" ? 503 : 200} with a body that is not JSON`}`)
    // the page is not quoted
    expect(r.stderr).not.toContain("<html>")
    expect(existsSync(sb.tokenFile) && !!JSON.parse(readFileSync(sb.tokenFile, "utf8")).tokens).toBe(false)
  }, 120_000)
}

test("an expired token whose refresh ahead gets no answer: the 401 that follows does not wait for the token endpoint again; the next call refreshes once it is back", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  // the token expired on disk (and at the server): the first request refreshes ahead of it
  const rec = JSON.parse(readFileSync(sb.tokenFile, "utf8"))
  writeFileSync(sb.tokenFile, JSON.stringify({ ...rec, expiresAt: Date.now() - 1000 }), { mode: 0o600 })
  expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
  w.tokenEndpoint = "hang"
  const c = await serve(sb)
  const failed = await whoami(c, 120_000)
  expect(failed.text).toContain("NEEDS_AUTH")
  expect(failed.text).toContain(`${w.issuer}/token did not answer within 15 s`)
  // the 401 after a refresh ahead that got no answer was refreshed again, 15 s more each time: 4
  // token requests (and 45 s) before the call answered; now the session's connection and the call's
  // each wait once, and their 401s are not refreshed again
  expect(w.tokenPosts).toBeLessThanOrEqual(3)
  const posts = w.tokenPosts
  w.tokenEndpoint = "ok"
  // (once the hold-off after the failure is over: the calls before it ask the token endpoint nothing)
  expect((await whoamiOnceBack(c)).text).toContain("hello from the protected server")
  expect(w.tokenPosts).toBe(posts + 1)
}, 150_000)
