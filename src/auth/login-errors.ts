/**
 * @module auth/login-errors
 * The SDK's "Incompatible auth server" errors of `auth login`, said with the server, the
 * authorization server and what to do: "does not support dynamic client registration" alone did not
 * say that `auth.clientId` is the way out, nor for which server. Likewise a redirect listener that
 * cannot be opened (`redirectListenError`).
 */
import type { OAuthDiscoveryState } from "@modelcontextprotocol/client"
import { ConfigError, errorMessage } from "../core/index.ts"

/**
 * `e` as the login's error: a config error naming the remedy for the SDK's known refusals, else `e`.
 * `url`: the server's; `discovery`: what the login found of its OAuth metadata.
 */
export function explainLoginError(server: string, issuer: string | undefined, redirectUrl: string, e: unknown, url?: string, discovery?: OAuthDiscoveryState): unknown {
  const text = errorMessage(e)
  const rejected = /Dynamic Client Registration rejected \(HTTP (\d+)\)/.exec(text)
  if (rejected && url !== undefined && !discovery?.resourceMetadata && !discovery?.authorizationServerMetadata) return noMetadata(server, url, rejected[1]!)
  const at = issuer ? `the authorization server ${issuer}` : "the authorization server"
  if (/does not support dynamic client registration/.test(text)) {
    return new ConfigError([`servers.${server}: ${at} does not register clients itself (its metadata has no registration_endpoint) and servers.${server}.auth.clientId is not set`], {
      remedy: `Register a client for ${server} with the provider (redirect URI ${redirectUrl.replace(/:\d+\//, ":PORT/")}, PORT fixed by servers.${server}.auth.redirectPort) and set servers.${server}.auth.clientId to its id (and clientSecret for a confidential client); or set auth.clientMetadataUrl if the provider accepts client metadata documents.`,
    })
  }
  if (/does not support code challenge method S256/.test(text)) return pkceRefused(server, issuer)
  return e
}

/**
 * The authorization server's metadata lists PKCE methods without S256: the login is refused. Said
 * as the discovery is stored (auth/provider), before any client is registered there: the SDK checks
 * it only when it builds the authorization URL, after registering one that was then never used.
 */
export function pkceRefused(server: string, issuer: string | undefined): ConfigError {
  const at = issuer ? `the authorization server ${issuer}` : "the authorization server"
  return new ConfigError([`servers.${server}: ${at} does not list PKCE S256 in its code_challenge_methods_supported; the login is refused (the MCP authorization spec requires S256: without it the authorization code could be used by whoever intercepts it)`], {
    remedy: `Ask the operator of ${at} to enable PKCE S256; no client was registered, no authorization was started and no code or token was asked for.`,
  })
}

/**
 * The server answered 401 but publishes no OAuth metadata at all (no RFC 9728 document, no RFC 8414 or
 * OpenID one at its origin), and the fallback of MCP 2025-03-26 servers, registration at `/register`
 * of its origin, was refused too: most often a server that takes an API key or personal token, not an
 * OAuth login. The SDK's "Dynamic Client Registration rejected (HTTP 404): …" said none of that.
 */
function noMetadata(server: string, url: string, status: string): ConfigError {
  return noMetadataError(server, url, `client registration at ${new URL(url).origin}/register, answered HTTP ${status}`)
}

/**
 * As `noMetadata`, when `auth.clientId` is set (no registration is tried): the fallback's
 * authorization endpoint, `authorizeUrl` without its query, answered `status` (404: there is none).
 * Said before the browser is opened: the user saw the provider's "not found" page while the CLI
 * waited out --timeout for a redirect that could never come.
 */
export function noAuthorizeEndpoint(server: string, url: string, authorizeUrl: string, status: number): ConfigError {
  return noMetadataError(server, url, `the authorization endpoint ${authorizeUrl} (servers.${server}.auth.clientId is set: no registration was tried), answered HTTP ${status}`)
}

function noMetadataError(server: string, url: string, fallback: string): ConfigError {
  const u = new URL(url)
  const path = u.pathname === "/" ? "" : u.pathname.replace(/\/$/, "")
  return new ConfigError(
    [
      `servers.${server}: the server ${u.origin}${u.pathname} asks for authorization (HTTP 401) but publishes no OAuth metadata: none at ${u.origin}/.well-known/oauth-protected-resource${path} or ${u.origin}/.well-known/oauth-protected-resource (RFC 9728), nor at ${u.origin}/.well-known/oauth-authorization-server or /.well-known/openid-configuration, and the fallback of older servers, ${fallback}; it may not use OAuth at all`,
    ],
    {
      remedy: `If the server takes an API key or personal access token, put it in servers.${server}.headers instead of logging in (an Authorization header: the word Bearer, a space, then the key, e.g. read from \${env:${server.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_TOKEN}); otherwise check servers.${server}.url (the MCP endpoint itself) or ask the server's operator where its OAuth metadata is. Nothing was opened or stored.`,
    },
  )
}

/**
 * The loopback redirect listener could not be opened on `port` (0: a random one): said with the
 * setting that fixes the port and what to do. Bun's own words ("Failed to start server. Is port N in
 * use?") named neither the server nor `auth.redirectPort`.
 */
export function redirectListenError(server: string, port: number, e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code
  if (port === 0) return new Error(`the login of ${server} could not open a loopback port for the sign-in's redirect (${errorMessage(e)})`, { cause: e })
  const setting = `servers.${server}.auth.redirectPort`
  const fixed = "the redirect URI registered with the provider names this port: a client registered for it (auth.clientId) needs the new one registered too"
  if (code === "EADDRINUSE") {
    return new ConfigError([`${setting}: port ${port} on 127.0.0.1 is in use by another program, so the sign-in's redirect to it cannot be received; nothing was opened or sent`], {
      remedy: `Stop what listens on port ${port} (another \`auth login\` still waiting for its browser, of this or another server with the same redirectPort?) and log in again; or set ${setting} to a free port (${fixed}).`,
    })
  }
  return new ConfigError([`${setting}: port ${port} on 127.0.0.1 cannot be opened (${typeof code === "string" ? code : errorMessage(e)}); nothing was opened or sent`], {
    remedy: `Set ${setting} to a port this user may open (ports below 1024 need privileges), or remove it for a random free port (${fixed}).`,
  })
}
