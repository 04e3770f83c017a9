/**
 * A login that does not finish (the user denies it, the browser never comes back, Ctrl-C) leaves
 * the stored login as it was: a second `auth login` registers a new client (its loopback port is
 * another) and discovers afresh, and written as it went, that client replaced the one the stored
 * refresh token was issued to. The running orchestrator's next refresh then presented the old
 * refresh token under the new client: refused (invalid_grant), the login deleted, `auth login`
 * needed. Through the compiled binary against the real authorization server.
 */
import { expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { cli, logIn, sandbox, started, textOf, whoami } from "./helpers.ts"

const STUB = join(import.meta.dir, "fixtures", "stub-opener.ts")
const { world, serve } = started()

test("a login that ends without tokens (denied in the browser) leaves the stored login untouched, and serving goes on refreshing it", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const before = readFileSync(sb.tokenFile, "utf8")
  const c = await serve(sb)
  expect((await whoami(c)).ok).toBe(true)

  // a second login, which the user denies at the authorization server
  const denied = await cli({ ...sb, env: { ...sb.env, BROWSER: `${process.execPath} ${STUB}`, OPENER_LOG: join(sb.env.HOME!, "opener.log") } }, ["auth", "login", "remote", "--timeout", "60s"])
  expect(denied.code).not.toBe(0)
  expect(denied.stderr).toContain("access_denied")
  expect(readFileSync(join(sb.env.HOME!, "opener.log"), "utf8")).toContain(w.issuer)
  // nothing of the unfinished login was written
  expect(readFileSync(sb.tokenFile, "utf8")).toBe(before)

  // the stored login still refreshes: the server refuses the access token, one refresh, the call works
  await w.revokeAccessTokens()
  const r = await whoami(c)
  expect(r.text).toContain("hello from the protected server")
  expect(w.tokenRequests.at(-1)).toEqual({ grant: "refresh_token", resource: w.mcpUrl })
}, 90_000)
