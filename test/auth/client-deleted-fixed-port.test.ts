/**
 * `auth login` with a fixed `auth.redirectPort` reuses the stored dynamic registration (its redirect
 * URI is the same). When the provider deleted that client, the browser got the provider's error page
 * (oidc-provider cannot redirect to a client it does not know) and the CLI waited out `--timeout`.
 * Through the compiled binary against oidc-provider: the stored client is checked at the token
 * endpoint before the URL is presented, and re-registered when it is unknown; the login completes.
 * An error redirect to our callback ends the wait at once, even one without the login's state.
 */
import { expect, test } from "bun:test"
import { dirname } from "node:path"
import { login, TokenStore } from "../../src/auth/index.ts"
import { cli, logIn, sandbox, started, whoami } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const { world, serve } = started()

test("fixed redirectPort, client deleted at the provider: registered afresh, the login completes (no wait for --timeout)", async () => {
  const w = await world()
  // a free port for the redirect listener
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() })
  const port = probe.port
  probe.stop(true)
  const sb = sandbox({ remote: { url: w.mcpUrl, auth: { redirectPort: port } } })
  await logIn(sb)
  expect(w.registrations).toHaveLength(1)
  // a second login with the client still known reuses it (no new registration)
  await logIn(sb)
  expect(w.registrations).toHaveLength(1)
  expect(await w.deleteClients()).toBe(1)
  const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
  expect(r.stderr + r.stdout).toContain("remote: logged in")
  expect(r.code).toBe(0)
  expect(w.registrations).toHaveLength(2)
  // the browser was sent with the new client only
  const last = new URL(sb.visited().filter((l) => l.includes("client_id=")).at(-1)!.replace(/^GET /, ""))
  expect(last.searchParams.get("client_id")).toBe(w.registrations[1]!)
  const c = await serve(sb)
  expect((await whoami(c)).text).toContain("hello from the protected server")
}, 120_000)

test("an error redirect to our callback (invalid_client, no state: some servers leave it out) ends the wait at once, naming the way out; the stored registration stays (an error without the state could come from any page)", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const store = new TokenStore(dirname(dirname(sb.tokenFile)))
  expect(store.read("remote", w.mcpUrl)?.client).toBeDefined()
  const started = Date.now()
  const e = await login({
    server: "remote",
    url: w.mcpUrl,
    settings: {},
    store,
    timeoutMs: 600_000,
    present: async (url) => {
      const redirect = new URL(url.searchParams.get("redirect_uri")!)
      // the authorization server's error redirect, without the state
      expect((await fetch(`${redirect.href}?error=invalid_client&error_description=client+is+invalid`)).status).toBe(400)
    },
  }).then(
    () => new Error("the login succeeded"),
    (x: unknown) => x as Error,
  )
  expect(e.message).toContain("refused the login (invalid_client: client is invalid)")
  expect(e.message).toContain("run auth login remote again: a client the authorization server no longer knows is registered afresh")
  // far from the 10 minutes it would have waited
  expect(Date.now() - started).toBeLessThan(300_000)
  expect(store.read("remote", w.mcpUrl)?.client).toBeDefined()
}, 60_000)
