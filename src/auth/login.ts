/**
 * @module auth/login
 * The interactive login of `auth login <server>`: a loopback redirect listener on 127.0.0.1
 * (random port unless `auth.redirectPort`), a probe of the MCP endpoint for its 401 challenge
 * (`resource_metadata`, `scope`), then the SDK's `auth()` twice — once to discover, register and
 * build the authorization URL (PKCE S256, `state`, `resource`), once with the code (and the RFC 9207
 * `iss`) the browser brought back (only when its `state` matches) to get the tokens, which the
 * provider stores.
 *
 * Every URL of the flow goes through one `OAuthUrlGuard` (auth/url-guard): the configured url, the
 * challenge's `resource_metadata`, each metadata document's URLs, redirects, and the authorization
 * URL before it is presented. The first insecure one stops the login with OAUTH_INSECURE_URL, and
 * nothing is presented (no browser, no elicitation).
 */
import { auth, extractWWWAuthenticateParams } from "@modelcontextprotocol/client"
import { errorMessage, registerSecret, secrets, wireCause } from "../core/index.ts"
import { createProvider, isLoginProvider, loginSecretsGroup } from "./provider.ts"
import { flowFetch, timed } from "./flow-fetch.ts"
import { issuerSlashFetch } from "./issuer-slash.ts"
import { OAuthUrlGuard, type Fetch } from "./url-guard.ts"
import type { AuthSettings } from "./settings.ts"
import type { OAuthRecord, TokenStore } from "./store.ts"
import { scopeUnion } from "./scope.ts"
import { explainLoginError, noAuthorizeEndpoint, redirectListenError } from "./login-errors.ts"
import { clientKnown, UnknownClientError } from "./client-check.ts"
import { issuerOfDiscovery } from "./issuer.ts"

export interface LoginOptions {
  server: string
  url: string
  settings: AuthSettings
  store: TokenStore
  /** Show the authorization URL to the user (browser, or print). */
  present(url: URL): void | Promise<void>
  /** How long to wait for the browser to come back. */
  timeoutMs: number
  /** Gives up when aborted (the call that asked for the login was cancelled). */
  signal?: AbortSignal
  /**
   * `auth login --scope`: scopes asked for on top of the login's own (the configured or challenged
   * ones, and those the stored tokens were granted): a server's scope challenge (auth/scope).
   */
  addScope?: string
}

interface Challenge {
  resourceMetadataUrl?: URL
  scope?: string
  status: number
}

/** POSTs an initialize without credentials: a protected server answers 401 with its challenge. */
export async function probe(url: string, fetchFn: Fetch = (u, i) => fetch(u, i)): Promise<Challenge> {
  const res = await fetchFn(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "mcp-orchestrator-auth-probe", version: "0" } } }),
  })
  await res.body?.cancel().catch(() => {})
  if (res.status !== 401) return { status: res.status }
  const p = extractWWWAuthenticateParams(res)
  return { status: 401, ...(p.resourceMetadataUrl ? { resourceMetadataUrl: p.resourceMetadataUrl } : {}), ...(p.scope ? { scope: p.scope } : {}) }
}

interface Callback {
  code: string
  /** RFC 9207 `iss`: the SDK checks it against the discovered issuer when the server sends it. */
  iss?: string
}

export async function login(o: LoginOptions): Promise<OAuthRecord> {
  // this login's verifier, code and state are secrets (provider loginSecretsGroup); a former login's are done
  const own = loginSecretsGroup(o.server)
  secrets.delete(own)
  let settle: { resolve(c: Callback): void; reject(e: Error): void } | undefined
  const arrived = new Promise<Callback>((resolve, reject) => (settle = { resolve, reject }))
  arrived.catch(() => {}) // awaited later; a rejection before that is not "unhandled"
  let expectedState = ""
  const port = o.settings.redirectPort ?? 0
  const listener = listen(o.server, port, (req) => {
    const u = new URL(req.url)
    if (u.pathname !== "/callback") return new Response("not found", { status: 404 })
    const state = u.searchParams.get("state")
    const error = u.searchParams.get("error")
    // a redirect with another state is not the one we started (CSRF): refused, and we keep waiting;
    // an error without any state (some servers leave it out of error redirects) can only end the
    // wait, so it does: waiting out --timeout would not bring the login back
    if (!expectedState || (state !== expectedState && !(error && state === null))) return page(400, "This sign-in response does not belong to the login in progress (state mismatch); it was ignored.")
    if (error) {
      const why = `${error}${u.searchParams.get("error_description") ? `: ${u.searchParams.get("error_description")}` : ""}`
      // the client is unknown or not allowed there: a new registration (or the configured client fixed) is the way out
      const client = error === "invalid_client" || error === "unauthorized_client"
      const remedy = client ? (o.settings.clientId ? `; check servers.${o.server}.auth.clientId with the provider` : `; run auth login ${o.server} again: a client the authorization server no longer knows is registered afresh`) : ""
      // only an answer to this login (its state) may drop the stored registration: any page can reach the loopback listener
      if (error === "invalid_client" && state === expectedState && !o.settings.clientId) forgetStoredClient()
      settle?.reject(new Error(`the authorization server refused the login (${why})${remedy}`))
      return page(400, `Sign-in failed: ${why}. You can close this window.`)
    }
    const code = u.searchParams.get("code")
    if (!code) return page(400, "The sign-in response has no authorization code.")
    const iss = u.searchParams.get("iss")
    settle?.resolve({ code, ...(iss ? { iss } : {}) })
    return page(200, `Signed in to ${o.server}. You can close this window and return to the terminal.`)
  })
  const redirectUrl = `http://127.0.0.1:${listener.port}/callback`
  /** The stored dynamic registration, refused by the authorization server: the next login registers. */
  const forgetStoredClient = (): void => {
    if (o.store.read(o.server, o.url)?.client) o.store.update(o.server, o.url, (rec) => void delete rec.client)
  }
  const timer = setTimeout(() => settle?.reject(new Error(`no answer from the browser within ${Math.round(o.timeoutMs / 1000)} s`)), o.timeoutMs)
  const onAbort = (): void => settle?.reject(new Error("the login was cancelled"))
  o.signal?.addEventListener("abort", onAbort, { once: true })
  const guard = new OAuthUrlGuard(o.server, { serverUrl: o.url, ...(o.settings.allowPrivateAuthServers ? { allowPrivate: true } : {}) })
  // each request waits AUTH_REQUEST_TIMEOUT_MS at most: --timeout bounds only the wait for the browser
  // issuers spelled with a trailing slash (auth/issuer-slash), outside the guard: it checks the
  // documents as the servers wrote them
  // the token endpoint's answer read as serve reads a refresh's (auth/flow-fetch): what went wrong, in words
  const flow = flowFetch(o.url, issuerSlashFetch(guard.fetch()))
  const fetchFn = timed(flow.fetch)
  try {
    if (o.signal?.aborted) throw new Error("the login was cancelled")
    guard.checkConfigured(o.url)
    const challenge = await probe(o.url, fetchFn).catch((e: unknown) => {
      throw guard.violation ?? new Error(`cannot reach ${o.url}: ${wireCause(e).text}`)
    })
    if (challenge.resourceMetadataUrl) guard.check("resource_metadata", challenge.resourceMetadataUrl.href, `the WWW-Authenticate challenge of ${o.url}`)
    const present = async (u: URL): Promise<void> => {
      const rec = provider.record()?.discovery
      const source = rec?.authorizationServerUrl ? `the authorization server ${rec.authorizationServerUrl}` : "the authorization server metadata"
      guard.check("authorization URL", u.href, source)
      // no OAuth metadata found at all: the SDK falls back to <origin>/authorize (MCP 2025-03-26).
      // One that is not there is said now, not shown as the provider's "not found" page while
      // --timeout runs out (with auth.clientId set, no registration failed first to say it)
      if (!rec?.resourceMetadata && !rec?.authorizationServerMetadata) {
        const endpoint = `${u.origin}${u.pathname}`
        const status = await fetchFn(endpoint, { method: "GET", redirect: "manual" }).then(
          (r) => {
            void r.body?.cancel().catch(() => {})
            return r.status
          },
          () => undefined, // not reachable from here: the browser is given the URL, as before
        )
        if (status === 404 || status === 410) throw noAuthorizeEndpoint(o.server, o.url, endpoint, status)
      }
      // a stored registration presented again (fixed redirectPort): still known there? (auth/client-check)
      const reused = isLoginProvider(provider) ? provider.reusedRegistration() : undefined
      const tokenEndpoint = rec?.authorizationServerMetadata?.token_endpoint
      if (reused && tokenEndpoint && !(await clientKnown(tokenEndpoint, reused, redirectUrl, fetchFn))) throw new UnknownClientError(`the authorization server no longer knows client ${reused.client_id}`)
      return o.present(u)
    }
    const provider = createProvider({ server: o.server, url: o.url, store: o.store, settings: o.settings, mode: "login", redirectUrl, onRedirect: present })
    if (!isLoginProvider(provider)) throw new Error("internal: login provider expected")
    expectedState = provider.expectedState
    // configured scopes win; else the challenge's; else the SDK takes the metadata's. More asked for
    // (--scope): those plus the stored login's, which the new tokens replace
    const base = o.settings.scope ?? challenge.scope
    const scope = o.addScope ? scopeUnion(base, o.store.read(o.server, o.url)?.tokens?.scope, o.addScope) : base
    const opts = { serverUrl: o.url, fetchFn, ...(challenge.resourceMetadataUrl ? { resourceMetadataUrl: challenge.resourceMetadataUrl } : {}), ...(scope ? { scope } : {}) }
    // the SDK swallows some discovery errors (and falls back): the guard's refusal is the answer
    const start = (): Promise<string> =>
      auth(provider, opts).catch((e: unknown) => {
        if (e instanceof UnknownClientError && !guard.violation) throw e
        throw guard.violation ?? explainLoginError(o.server, issuerOfDiscovery(provider.record()?.discovery), redirectUrl, e, o.url, provider.record()?.discovery)
      })
    // the stored client was deleted at the authorization server: registered afresh, once
    const first = await start().catch((e: unknown) => {
      if (!(e instanceof UnknownClientError)) throw e
      provider.forgetClient()
      return start()
    })
    if (guard.violation) throw guard.violation
    if (first !== "REDIRECT") throw new Error("the authorization server issued tokens without a login; nothing to do")
    const { code, iss } = await arrived
    // the state only now: it is in the authorization URL presented above, which must reach the user whole
    registerSecret(code, own)
    registerSecret(expectedState, own)
    const second = await auth(provider, { ...opts, authorizationCode: code, ...(iss ? { iss } : {}) }).catch((e: unknown) => {
      const failure = flow.lastFailure()
      // the SDK's own words for a broken token endpoint were its parser's ("JSON Parse error: …",
      // the page quoted) or the endpoint's error_description alone ("try again later")
      throw guard.violation ?? (failure ? new Error(`the login of ${o.server} failed at the authorization server: ${failure}. Nothing was stored (a login stored before is kept); try again later`, { cause: e }) : e)
    })
    if (second !== "AUTHORIZED") throw new Error("the authorization code was not accepted")
    const rec = provider.record()
    if (!rec?.tokens) throw new Error("no tokens were stored")
    return rec
  } finally {
    clearTimeout(timer)
    o.signal?.removeEventListener("abort", onAbort)
    void listener.stop(true)
  }
}

/** The redirect listener on 127.0.0.1:`port` (0: a random port), or the error saying why it cannot be opened. */
function listen(server: string, port: number, fetch: (req: Request) => Response): ReturnType<typeof Bun.serve> {
  try {
    return Bun.serve({ hostname: "127.0.0.1", port, fetch })
  } catch (e) {
    throw redirectListenError(server, port, e)
  }
}

function page(status: number, text: string): Response {
  const esc = text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  return new Response(`<!doctype html><meta charset="utf-8"><title>mcp-orchestrator</title><p>${esc}</p>\n`, { status, headers: { "content-type": "text/html; charset=utf-8" } })
}
