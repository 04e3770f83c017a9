/**
 * @module auth/provider
 * The SDK's OAuthClientProvider, backed by our token store. The SDK's `auth()` does discovery
 * (RFC 9728, RFC 8414/OIDC), client registration (pre-registered → Client ID Metadata Document →
 * RFC 7591), PKCE S256, the RFC 8707 `resource` on authorization, token and refresh requests, and
 * binds stored clients and tokens to the authorization server that issued them; this class only
 * keeps its state.
 *
 * Two modes:
 * - "login" (`auth login`): interactive. Starts from a clean slate (no stored tokens or discovery
 *   are reused), may register a client, and hands the authorization URL to `onRedirect`.
 * - "serve": never interactive. Uses and refreshes the stored tokens; it cannot register a client
 *   (no `saveClientInformation`), and when the SDK would send the user to the authorization server
 *   it only records that the server needs a login (`needsLogin`).
 *
 * Either way a stored login goes only to the authorization server that issued it (auth/issuer): in
 * serve, a flow whose issuer is another one (or cannot be confirmed) stops with NEEDS_AUTH before
 * the tokens or the client are handed to the SDK, and its discovery is not stored; a login
 * registers afresh rather than present another server's client.
 */
import { randomBytes } from "node:crypto"
import type { OAuthClientInformationContext, OAuthClientInformationMixed, OAuthClientMetadata, OAuthClientProvider, OAuthDiscoveryState, OAuthTokens } from "@modelcontextprotocol/client"
import { registerSecret, type Logger } from "../core/index.ts"
import { configuredClientMismatch, issuerMismatch, issuerOfDiscovery, issuerOfRecord, sameIssuer } from "./issuer.ts"
import { pkceRefused } from "./login-errors.ts"
import type { AuthSettings } from "./settings.ts"
import { heldRecord, writeOrHold } from "./unsaved.ts"
import { refusedAfterRefresh, tokenFingerprint, type OAuthRecord, type TokenStore } from "./store.ts"

export interface ProviderOptions {
  server: string
  /** The MCP endpoint (servers.<name>.url). */
  url: string
  store: TokenStore
  settings: AuthSettings
  mode: "login" | "serve"
  /** login: the loopback listener's callback URL. */
  redirectUrl?: string
  /** login: show the authorization URL to the user. */
  onRedirect?(url: URL): void | Promise<void>
  now?(): number
  /** serve: told (once) when the token endpoint gives no usable lifetime (see `saveTokens`). */
  log?: Logger
  /** Called once tokens were stored (auth/refresh-lock: a refresh's lock goes then). */
  onTokensSaved?(): void
}

/**
 * By server and url: the access token the server refused right after a refresh had issued it
 * (`refusedFresh`). Kept by the process, not the provider: each connection of a session has its own
 * provider, and the session reconnects at the next call. One entry per configured server.
 */
const refusedFreshTokens = new Map<string, string>()

/** Placeholder redirect for serve mode before any login: the SDK needs one to pick the interactive flow. */
const SERVE_REDIRECT = "http://127.0.0.1/callback"

export function createProvider(o: ProviderOptions): StoredOAuthProvider {
  return o.mode === "login" ? new LoginProvider(o) : new StoredOAuthProvider(o)
}

export class StoredOAuthProvider implements OAuthClientProvider {
  /** Incremented whenever the SDK's auth() runs (it always asks for the client first). */
  authRuns = 0
  /** Set when the SDK wanted to send the user to the authorization server (serve mode). */
  needsLogin: URL | undefined
  protected verifier: string | undefined
  protected cached: { mtime: number; rec: OAuthRecord | undefined } | undefined
  protected readonly now: () => number
  private toldNoLifetime = false
  /** The stored discovery is not used by the next auth flow (`rediscover`). */
  private stale = false
  /**
   * Why the stored login was dropped in this process (until new tokens are saved): "client", the
   * authorization server refused its client (invalid_client: the registration was deleted or
   * expired); "grant", it refused the refresh (invalid_grant).
   */
  ended: "client" | "grant" | undefined

  constructor(protected readonly o: ProviderOptions) {
    this.now = o.now ?? Date.now
  }

  /** The stored record for this server and URL (re-read only when the file changed). */
  record(): OAuthRecord | undefined {
    // serving: a change the token file could not take (auth/unsaved) is the record while the file is as it was
    const kept = this.o.mode === "serve" ? heldRecord(this.o.store, this.o.server, this.o.url) : undefined
    if (kept) return kept
    const mtime = this.o.store.mtimeOf(this.o.server)
    if (!this.cached || this.cached.mtime !== mtime) this.cached = { mtime, rec: this.o.store.read(this.o.server, this.o.url) }
    return this.cached.rec
  }

  protected update(change: (rec: OAuthRecord) => void): void {
    // serving never creates a record: without a login for this URL there is nothing to keep
    // (and a record another URL's login left stays untouched)
    if (this.o.mode === "serve" && !this.record()) return
    if (this.o.mode !== "serve") {
      const rec = this.o.store.update(this.o.server, this.o.url, change)
      this.cached = { mtime: this.o.store.mtimeOf(this.o.server), rec }
      return
    }
    // read afresh (another process may have written), or the record held in memory (auth/unsaved)
    const rec = structuredClone(heldRecord(this.o.store, this.o.server, this.o.url) ?? this.o.store.read(this.o.server, this.o.url) ?? ({ v: 1, server: this.o.server, url: this.o.url } satisfies OAuthRecord))
    change(rec)
    // a file that cannot take it (read-only, full) does not fail the request: the change is held for this run
    this.cached = writeOrHold(this.o.store, rec, this.o.url, this.o.log) ? { mtime: this.o.store.mtimeOf(this.o.server), rec } : undefined
  }

  get redirectUrl(): string {
    return this.o.redirectUrl ?? this.record()?.redirectUri ?? SERVE_REDIRECT
  }

  get clientMetadataUrl(): string | undefined {
    return this.o.settings.clientMetadataUrl
  }

  get clientMetadata(): OAuthClientMetadata {
    const confidential = !!this.o.settings.clientSecret
    return {
      client_name: "mcp-orchestrator",
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: confidential ? "client_secret_basic" : "none",
      ...(this.o.settings.scope ? { scope: this.o.settings.scope } : {}),
      // a CLI on a loopback redirect is a native app (RFC 8252): any loopback port is accepted
      application_type: "native",
    } as OAuthClientMetadata
  }

  clientInformation(ctx?: OAuthClientInformationContext): OAuthClientInformationMixed | undefined {
    this.authRuns++
    this.confirmIssuer(ctx?.issuer)
    const stored = this.record()?.client
    const { clientId, clientSecret } = this.o.settings
    if (clientId) {
      // pre-registered: the config has the credentials; the store only remembers which issuer took them
      const issuer = stored?.client_id === clientId ? stored.issuer : undefined
      return { client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}), ...(issuer ? { issuer } : {}) }
    }
    return stored
  }

  tokens(ctx?: OAuthClientInformationContext): OAuthTokens | undefined {
    this.confirmIssuer(ctx?.issuer)
    const rec = this.record()
    const stored = rec?.tokens
    if (!stored) return undefined
    // refused as soon as refreshed: another refresh on the server's next 401 would not help either
    const t = this.isRefusedFresh() ? (({ refresh_token: _rt, ...rest }) => rest)(stored) : stored
    if (rec.expiresAt === undefined) return t
    return { ...t, expires_in: Math.max(0, Math.floor((rec.expiresAt - this.now()) / 1000)) }
  }

  /**
   * The server refused (401) the access token a refresh had just obtained: until the stored tokens
   * change (`auth login`, another process's refresh), a 401 is not answered with another refresh
   * (the SDK is not shown the refresh token), so each call that meets one costs no token request.
   * Refreshed on every call, the login's refresh token was rotated at the authorization server per
   * call, to the same refusal. A refresh ahead of expiry still happens. The verdict is kept with the
   * login (a fingerprint of the token, `OAuthRecord.refusedAfterRefresh`), so that the next
   * orchestrator (an editor restart) and `auth status` know it too: kept by the process only, each
   * restart spent one more refresh and one more refused call. True when there was a token.
   */
  refusedFresh(): boolean {
    const access = this.record()?.tokens?.access_token
    if (access === undefined) return false
    refusedFreshTokens.set(this.refusedKey, access)
    const token = tokenFingerprint(access)
    if (this.record()?.refusedAfterRefresh?.token !== token) {
      this.update((rec) => {
        // only while the tokens on file are still those (another process may have stored new ones)
        if (rec.tokens?.access_token === access) rec.refusedAfterRefresh = { token, at: new Date(this.now()).toISOString() }
      })
    }
    return true
  }

  /** Is the stored access token one the server refused right after its refresh (`refusedFresh`, this process or one before)? */
  isRefusedFresh(): boolean {
    const refused = refusedFreshTokens.get(this.refusedKey)
    const rec = this.record()
    return (refused !== undefined && rec?.tokens?.access_token === refused) || refusedAfterRefresh(rec)
  }

  private get refusedKey(): string {
    return `${this.o.server}\n${this.o.url}`
  }

  /**
   * An `expires_in` under 1 s (0, as some authorization servers say for tokens that do not expire,
   * or negative) is no lifetime: the tokens are kept without an expiry, as when `expires_in` is
   * absent, and used until the server refuses them (a 401 refreshes them once). Read as "expired
   * when saved", every request would refresh them again and rewrite the token file.
   */
  saveTokens(tokens: OAuthTokens): void {
    const at = this.now()
    const lifetime = tokens.expires_in
    if (typeof lifetime === "number" && !(lifetime >= 1) && !this.toldNoLifetime) {
      this.toldNoLifetime = true
      this.o.log?.warn("the authorization server gave the access token no lifetime; it is kept without an expiry", {
        server: this.o.server,
        expiresIn: lifetime,
        remedy: "Nothing to do if the server's tokens do not expire: the token is used until the server refuses it, then refreshed once. Otherwise ask its operator for a real expires_in.",
      })
    }
    this.ended = undefined
    this.update((rec) => {
      rec.tokens = tokens
      // new tokens: the server has not refused these
      delete rec.refusedAfterRefresh
      if (typeof lifetime === "number" && Number.isFinite(lifetime) && lifetime >= 1) rec.expiresAt = at + lifetime * 1000
      else delete rec.expiresAt
      rec.savedAt = new Date(at).toISOString()
      if (tokens.issuer) rec.issuer = tokens.issuer
      const resource = rec.discovery?.resourceMetadata?.resource
      if (resource) rec.resource = resource
      if (this.o.redirectUrl) rec.redirectUri = this.o.redirectUrl
    })
    this.o.onTokensSaved?.()
  }

  redirectToAuthorization(url: URL): void | Promise<void> {
    this.needsLogin = url
  }

  saveCodeVerifier(v: string): void {
    this.verifier = v
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error("no PKCE code verifier for this authorization")
    return this.verifier
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    // another authorization server's discovery would make it the record's (and the next flow's)
    this.confirmIssuer(issuerOfDiscovery(state))
    this.stale = false
    this.update((rec) => {
      rec.discovery = state
      if (state.authorizationServerUrl) rec.issuer ??= state.authorizationServerUrl
    })
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.stale ? undefined : this.record()?.discovery
  }

  /**
   * The server refused a request (401): the next auth flow reads its metadata afresh instead of the
   * stored discovery (it may name another authorization server now), until a discovery is stored.
   */
  rediscover(): void {
    this.stale = true
  }

  /**
   * Throws NEEDS_AUTH when the configured client was registered at another authorization server
   * than the auth flow's (`issuer`), login too (auth/issuer `configuredClientMismatch`); and in
   * serve when `issuer` is not the one
   * that issued the stored login (auth/issuer), before anything of the login is handed to the SDK.
   */
  protected confirmIssuer(issuer: string | undefined): void {
    if (issuer === undefined) return
    // the configured client is never presented to another authorization server (login too)
    const client = configuredClientMismatch(this.o.server, this.record(), this.o.settings.clientId, issuer)
    if (client) throw client
    if (this.o.mode !== "serve") return
    const refused = issuerMismatch(this.o.server, this.record(), issuer)
    if (refused) throw refused
  }

  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): void {
    if (scope === "verifier") {
      this.verifier = undefined
      return
    }
    const rec = this.record()
    if (!rec) return
    // why the login ended, for the error (serve: the SDK drops a refused client, then its tokens)
    if ((scope === "all" || scope === "client") && rec.client && rec.tokens) this.ended = "client"
    else if (scope === "tokens" && rec.tokens) this.ended ??= "grant"
    this.update((rec) => {
      if (scope === "all" || scope === "tokens") {
        delete rec.tokens
        delete rec.expiresAt
      }
      if (scope === "all" || scope === "client") delete rec.client
      if (scope === "all" || scope === "discovery") delete rec.discovery
    })
  }

  /** Milliseconds until the access token expires (undefined: no expiry known or no tokens). */
  expiresInMs(): number | undefined {
    const rec = this.record()
    if (!rec?.tokens || rec.expiresAt === undefined) return undefined
    return rec.expiresAt - this.now()
  }

  hasRefreshToken(): boolean {
    return !!this.record()?.tokens?.refresh_token
  }
}

/**
 * The redaction group of one login's own values (auth/login): the PKCE verifier, the authorization
 * code and the `state` the browser brought back. A token endpoint's error quoting the code exchange
 * (`code=…&code_verifier=…`) showed them. Replaced by the next login of the server, not dropped when
 * the login ends: its error is printed after that.
 */
export function loginSecretsGroup(server: string): string {
  return `oauth-login:${server}`
}

/**
 * `auth login`: fresh discovery and tokens, may register a client, opens the browser.
 *
 * Nothing is stored before the tokens: the discovery and the client of the login are kept in a
 * draft of the record (the stored one as it was at the start), written whole when the tokens
 * arrive. A login that ends without tokens (denied, the browser never back, Ctrl-C, an error)
 * leaves the stored login as it was. Written as it went, its new client (registered for this
 * login's loopback port) replaced the one the stored refresh token was issued to, and the running
 * orchestrators' next refresh was refused (invalid_grant): the user was logged out.
 */
class LoginProvider extends StoredOAuthProvider {
  private readonly expected = randomBytes(24).toString("base64url")
  private fresh = { tokens: false, discovery: false }
  private readonly draft: OAuthRecord
  /** The authorization server of the stored login (its client is used only with that one). */
  private readonly storedIssuer: string | undefined

  constructor(o: ProviderOptions) {
    super(o)
    const stored = o.store.read(o.server, o.url)
    this.draft = stored ? structuredClone(stored) : { v: 1, server: o.server, url: o.url }
    this.storedIssuer = issuerOfRecord(stored)
  }

  override record(): OAuthRecord {
    return this.draft
  }

  protected override update(change: (rec: OAuthRecord) => void): void {
    change(this.draft)
    // once the tokens are stored, the record on file is this login's: later changes go there too
    if (this.fresh.tokens) this.o.store.write(this.draft)
  }

  /** A client was registered by this login (not the stored one reused). */
  registeredNow = false

  /**
   * The stored registration about to be presented again (a fixed `auth.redirectPort` keeps its
   * redirect URI), or undefined when the client is configured (`auth.clientId`) or registered now.
   */
  reusedRegistration(): OAuthClientInformationMixed | undefined {
    return this.o.settings.clientId || this.registeredNow ? undefined : this.record().client
  }

  /** The authorization server no longer knows the stored client: the next `auth()` registers afresh. */
  forgetClient(): void {
    delete this.draft.client
  }

  /** The `state` the redirect must carry back. */
  get expectedState(): string {
    return this.expected
  }

  state(): string {
    return this.expected
  }

  override tokens(): OAuthTokens | undefined {
    return this.fresh.tokens ? super.tokens() : undefined
  }

  override saveCodeVerifier(v: string): void {
    registerSecret(v, loginSecretsGroup(this.o.server))
    super.saveCodeVerifier(v)
  }

  override clientInformation(ctx?: OAuthClientInformationContext): OAuthClientInformationMixed | undefined {
    const info = super.clientInformation(ctx)
    if (this.o.settings.clientId || !info) return info
    // a registered client whose redirect URIs do not include this listener's is registered afresh
    const uris = (info as { redirect_uris?: unknown }).redirect_uris
    if (Array.isArray(uris) && !uris.includes(this.redirectUrl)) return undefined
    // so is one registered at another authorization server, or at one the record cannot name (its
    // secret is not presented to whichever server the metadata names now)
    const own = info.issuer ?? this.storedIssuer
    if (ctx?.issuer !== undefined && (own === undefined || !sameIssuer(own, ctx.issuer))) return undefined
    return info
  }

  override saveTokens(tokens: OAuthTokens): void {
    super.saveTokens(tokens)
    this.fresh.tokens = true
    this.o.store.write(this.draft)
  }

  override discoveryState(): OAuthDiscoveryState | undefined {
    return this.fresh.discovery ? super.discoveryState() : undefined
  }

  override saveDiscoveryState(state: OAuthDiscoveryState): void {
    // refused before a client is registered there (the SDK checks only when it builds the authorization URL)
    const methods = (state.authorizationServerMetadata as { code_challenge_methods_supported?: unknown } | undefined)?.code_challenge_methods_supported
    if (Array.isArray(methods) && !methods.includes("S256")) throw pkceRefused(this.o.server, issuerOfDiscovery(state))
    super.saveDiscoveryState(state)
    this.fresh.discovery = true
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.registeredNow = true
    // a configured secret stays in the config; the store only keeps the id and issuer binding
    const keep = this.o.settings.clientId ? { client_id: info.client_id, ...(info.issuer ? { issuer: info.issuer } : {}) } : info
    this.update((rec) => {
      rec.client = keep
    })
  }

  override async redirectToAuthorization(url: URL): Promise<void> {
    this.needsLogin = url
    await this.o.onRedirect?.(url)
  }
}

export function isLoginProvider(p: StoredOAuthProvider): p is StoredOAuthProvider & Pick<LoginProvider, "expectedState" | "reusedRegistration" | "forgetClient"> {
  return p instanceof LoginProvider
}
