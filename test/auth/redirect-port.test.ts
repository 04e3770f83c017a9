/**
 * `auth login` whose fixed redirect port (`servers.<name>.auth.redirectPort`) is taken by another
 * program — another `auth login` still waiting for its browser, for this or another server with the
 * same port (a Cursor client id registered for one redirect URI is often shared). It said only Bun's
 * "Failed to start server. Is port N in use?": neither the server, nor the setting, nor what to do.
 * Now a config error names the setting, the port and the way out; nothing is opened, registered or
 * sent. Through the compiled binary against the real authorization server (oidc-provider); the port
 * is held by a real listener, and once it is free the same login succeeds.
 */
import { expect, test } from "bun:test"
import { existsSync } from "node:fs"
import { cli, logIn, sandbox, started } from "./helpers.ts"

const { world } = started()

test("a redirect port in use: the error names the setting, the port and the remedy; nothing opened or registered; the login works once it is free", async () => {
  const w = await world()
  const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("another program") })
  const port = holder.port!
  const sb = sandbox({ remote: { url: w.mcpUrl, auth: { redirectPort: port } } })
  try {
    const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`servers.remote.auth.redirectPort: port ${port} on 127.0.0.1 is in use by another program`)
    expect(r.stderr).toContain("another `auth login` still waiting for its browser")
    expect(r.stderr).not.toContain("Failed to start server")
    expect(sb.visited()).toEqual([])
    expect(w.registrations).toEqual([])
    expect(w.tokenPosts).toBe(0)
    expect(existsSync(sb.tokenFile)).toBe(false)
  } finally {
    holder.stop(true)
  }
  await logIn(sb)
  expect(sb.visited().some((u) => u.includes(`127.0.0.1:${port}/callback`))).toBe(true)
}, 90_000)
