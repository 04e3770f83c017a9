/**
 * @module auth
 * OAuth 2.1 for remote downstreams (docs/auth.md): the token store, an SDK OAuthClientProvider
 * backed by it, the interactive `auth login`, revocation for `auth logout`, status rows, and what
 * `serve` needs (refresh ahead of expiry, NEEDS_AUTH errors).
 */
import type { RemoteServerSpec } from "../config/index.ts"
import type { Logger } from "../core/index.ts"
import { stateHome } from "../config/index.ts"
import { serveAuth, type ServeAuth } from "./serve.ts"
import { authSettings } from "./settings.ts"
import { setsAuthorizationHeader } from "./static-header.ts"
import { TokenStore } from "./store.ts"

export { RETIRED_TOKENS_KEPT, TokenStore, sameUrl, type OAuthRecord } from "./store.ts"
export { authSettings, type AuthSettings } from "./settings.ts"
export { createProvider, StoredOAuthProvider } from "./provider.ts"
export { login, probe, type LoginOptions } from "./login.ts"
export { browserCommands, openUrl } from "./opener.ts"
export { revokeTokens } from "./revoke.ts"
export { badScopeTokens } from "./scope.ts"
export { setsAuthorizationHeader } from "./static-header.ts"
export { RefreshLock } from "./refresh-lock.ts"
export { authStatus, authStatusChecked, type AuthStatusRow } from "./status.ts"
export { serveAuth, type ServeAuth } from "./serve.ts"
export { needsAuthError } from "./needs-auth.ts"
export { loginCommand } from "../core/index.ts"

/** The token store in the state dir ($XDG_STATE_HOME/mcp-orchestrator/oauth/). */
export function defaultTokenStore(env: Record<string, string | undefined> = process.env): TokenStore {
  return new TokenStore(stateHome(env))
}

/**
 * OAuth for a remote server while serving, or undefined when the config sends its own
 * Authorization header (a static token: nothing to manage).
 */
export function remoteAuthFor(server: string, spec: RemoteServerSpec, store: TokenStore = defaultTokenStore(), log?: Logger): ServeAuth | undefined {
  if (setsAuthorizationHeader(spec)) return undefined
  return serveAuth(server, spec.url, authSettings(spec.auth), store, log)
}
