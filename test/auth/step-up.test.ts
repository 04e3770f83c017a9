/**
 * Step-up (the MCP authorization spec's scope challenge, RFC 6750 §3.1): a remote server answers a
 * call with 403 and `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`. Through the
 * compiled binary against a real authorization server (oidc-provider): the call fails saying which
 * server wants which scopes and the exact command that asks for them; the server's other tools go
 * on with the current token; the stored login is kept and nothing is asked of the authorization
 * server behind the user's back (no refresh that widens the scope without consent). `auth login
 * --scope` then asks for the stored scopes plus the new ones, and the running orchestrator's next
 * call of the tool works. It used to end as NEEDS_AUTH, the server in state needs-auth: every tool
 * of it failed until a login.
 */
import { expect, test } from "bun:test"
import { ADMIN_SCOPE, SCOPE } from "./fixtures/oauth-world.ts"
import { call, cli, logIn, sandbox, started, storedTokens, textOf, whoami } from "./helpers.ts"

const { world, serve } = started()

// RFC 6750 says 403; some servers answer the same challenge with 401
for (const answer of [403, 401] as const)
test(`a scope challenge (${answer}) fails that call with the scopes and the login command; other tools go on, the login is kept; auth login --scope grants them`, async () => {
  const w = await world({ stepUp: true, stepUpStatus: answer })
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const before = JSON.stringify(storedTokens(sb))
  const c = await serve(sb)
  expect((await whoami(c)).ok).toBe(true)
  const tokenRequests = w.tokenRequests.length

  const refused = await call(c, "remote__admin")
  expect(refused.ok).toBe(false)
  expect(refused.text).toContain("INSUFFICIENT_SCOPE")
  expect(refused.text).toContain("server remote")
  expect(refused.text).toContain(ADMIN_SCOPE)
  expect(refused.text).toContain(`mcp-orchestrator auth login remote --scope ${ADMIN_SCOPE} --config`)
  expect(refused.text).not.toContain("NEEDS_AUTH")
  // the other tools keep working with the current token, and again after a second refusal
  expect((await whoami(c)).ok).toBe(true)
  expect((await call(c, "remote__admin")).ok).toBe(false)
  expect((await whoami(c)).ok).toBe(true)
  const status = (await c.client.callTool({ name: "orchestrator_status", arguments: {} }).catch((e: unknown) => ({ error: String(e) }))) as unknown
  expect(textOf(status)).not.toContain("needs-auth")
  // the login is kept as it was, and the authorization server was not asked for anything (no silent widening)
  expect(JSON.stringify(storedTokens(sb))).toBe(before)
  expect(w.tokenRequests.length).toBe(tokenRequests)
  for (const t of Object.values(storedTokens(sb))) if (typeof t === "string" && t.length > 20) expect(refused.text + c.stderr()).not.toContain(t)

  // the command of the message: the login asks for the scopes it had and the new one
  const login = await cli(sb, ["auth", "login", "remote", "--scope", ADMIN_SCOPE, "--timeout", "60s"])
  expect(login.code).toBe(0)
  const granted = String((storedTokens(sb) as { scope?: string }).scope).split(" ")
  expect(granted).toContain(SCOPE)
  expect(granted).toContain(ADMIN_SCOPE)
  const asked = new URL(sb.visited().filter((l) => l.startsWith(`GET ${w!.issuer}/auth?`)).at(-1)!.slice(4)).searchParams.get("scope")!.split(" ")
  expect(asked).toContain(SCOPE)
  expect(asked).toContain(ADMIN_SCOPE)
  // the running orchestrator uses the new login at the next call
  const done = await call(c, "remote__admin")
  expect(done.text).toContain("admin done")
  expect((await whoami(c)).ok).toBe(true)
}, 120_000)

test("auth login --scope with a value that is not an OAuth scope is refused before anything is asked", async () => {
  const sb = sandbox({ remote: { url: "http://127.0.0.1:9/mcp" } })
  const r = await cli(sb, ["auth", "login", "remote", "--scope", 'a"b'])
  expect(r.code).not.toBe(0)
  expect(r.stderr).toContain("--scope")
})
