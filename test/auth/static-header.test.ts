/**
 * A remote server whose entry sends its own `headers.Authorization` (a static token, as Cursor's
 * mcp.json often has) needs no OAuth login: serve sends the header. `auth status` told a new user
 * who had just imported such an entry "not logged in — run `auth login remote`", and `auth login`
 * said only after the browser round trip that the login would not be used. Now status says no login
 * is needed (and, for a login on file, that it is not used), and login says so before the browser
 * opens. Through the compiled binary, against the real authorization server.
 */
import { expect, test } from "bun:test"
import { cli, sandbox, started } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the values registered here (by hand or by what runs: configured headers) are not left for later files
secretsRestoredAfterFile()

const { world } = started()
const STATIC = "Bearer static-config-token-0123456789"

test("auth status and login with a static Authorization header: no login needed, a stored one is not used; the token is never shown", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl, headers: { authorization: STATIC } }, other: { url: w.mcpUrl } })

  const before = await cli(sb, ["auth", "status"])
  expect(before.code).toBe(0)
  expect(before.stdout).toContain("remote: no OAuth login needed (servers.remote.headers sets Authorization, which serve sends instead of an OAuth token)")
  expect(before.stdout).not.toContain("auth login remote")
  // a server without the header is still pointed at the login
  expect(before.stdout).toContain("other: not logged in — run `mcp-orchestrator auth login other")
  const json = JSON.parse((await cli(sb, ["auth", "status", "--json"])).stdout) as { servers: { server: string; staticHeader?: boolean }[] }
  expect(json.servers.find((r) => r.server === "remote")?.staticHeader).toBe(true)
  expect(json.servers.find((r) => r.server === "other")?.staticHeader).toBeUndefined()

  const login = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
  expect(login.code).toBe(0)
  const note = login.stderr.indexOf("note: servers.remote.headers sets Authorization")
  expect(note).toBeGreaterThanOrEqual(0)
  // said before the browser is sent to the sign-in page, once
  expect(note).toBeLessThan(login.stderr.indexOf("sign-in page"))
  expect(login.stderr.lastIndexOf("note: servers.remote.headers")).toBe(note)
  expect(login.stdout).toContain("but this login is not used: servers.remote.headers sets Authorization")

  const after = await cli(sb, ["auth", "status"])
  expect(after.stdout).toMatch(/remote: logged in; .*but this login is not used: servers\.remote\.headers sets Authorization/)
  for (const out of [before.stdout, before.stderr, login.stdout, login.stderr, after.stdout, after.stderr]) expect(out).not.toContain("static-config-token")
}, 90_000)
