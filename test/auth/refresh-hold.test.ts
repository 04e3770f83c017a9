/**
 * Regression: the hold-off after a refresh ahead of expiry that the authorization server failed
 * (FAILED_REFRESH_RETRY_MS) lived in one connect attempt's OAuth (auth/serve), and pool/connect makes
 * a new one per attempt: a remote that dropped its connection again and again had every reconnect
 * refresh again at once, one token request per reconnect while the token endpoint was failing. Now
 * it is per login (server, issuer, client, refresh token; auth/refresh-hold). A real authorization
 * server (oidc-provider) whose token endpoint is then made faulty; each `serveAuth` is one attempt.
 */
import { expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { authSettings, serveAuth, TokenStore } from "../../src/auth/index.ts"
import { logIn, sandbox, started } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const { world } = started()

test("a refresh ahead of expiry the authorization server failed is not tried again by the next connect attempts within the hold-off; another login is", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  // the access token is still good for 20 s: inside the window where each request refreshes it ahead
  const rec = JSON.parse(readFileSync(sb.tokenFile, "utf8"))
  writeFileSync(sb.tokenFile, JSON.stringify({ ...rec, expiresAt: Date.now() + 20_000, savedAt: new Date(Date.now() - 60_000).toISOString() }), { mode: 0o600 })
  const store = new TokenStore(dirname(dirname(sb.tokenFile)))
  const attempt = () => serveAuth("remote", w.mcpUrl, authSettings(undefined), store)
  w.tokenEndpoint = "down"
  const posts = w.tokenPosts
  await attempt().beforeRequest()
  expect(w.tokenPosts).toBe(posts + 1)
  // the remote dropped the connection: reconnects, each with its own OAuth, and the token still valid
  for (let i = 0; i < 3; i++) await attempt().beforeRequest()
  expect(w.tokenPosts).toBe(posts + 1)
  // the same server under another login (a new refresh token: logged in again) is not held off
  w.tokenEndpoint = "ok"
  const again = JSON.parse(readFileSync(sb.tokenFile, "utf8"))
  writeFileSync(sb.tokenFile, JSON.stringify({ ...again, tokens: { ...again.tokens, refresh_token: `${again.tokens.refresh_token}-other` } }), { mode: 0o600 })
  await attempt().beforeRequest()
  expect(w.tokenPosts).toBe(posts + 2)
}, 120_000)
