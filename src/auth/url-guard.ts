/**
 * @module auth/url-guard
 * Every URL the OAuth flow requests, follows or opens must be https, or http to a loopback host
 * (MCP authorization spec, "Communication Security"; OAuth 2.1 §1.5). Most of them come from the
 * remote side — the 401 challenge's `resource_metadata`, the protected-resource metadata's
 * `authorization_servers`, the authorization server's `issuer` and endpoints, redirects — so a
 * hostile server could otherwise make `auth login` hand `file:`, `smb:` or an app's scheme to the
 * system opener (CVE-2025-6514), or send codes and tokens over plain http.
 *
 * None of them may point at a link-local or cloud metadata address (169.254.169.254 and the like).
 *
 * One guard per login: its `fetch` refuses an insecure request URL, follows only secure redirects,
 * and checks the URL fields of each metadata document it reads (naming the field and the document's
 * URL). The first refusal is kept and every later request fails with it, because the SDK swallows
 * some discovery errors and would otherwise go on with a fallback authorization server.
 */
import { DownstreamError, SECURE_WEB_URL_RULE, secureWebUrl, shownUrl } from "../core/index.ts"

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

/** URL fields of RFC 8414 / OpenID discovery metadata that the flow requests, sends tokens to or opens. */
const ENDPOINT_FIELDS = ["issuer", "authorization_endpoint", "token_endpoint", "registration_endpoint", "revocation_endpoint"] as const
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

export class OAuthUrlGuard {
  /** The first refusal (the login stops with it). */
  violation: DownstreamError | undefined

  constructor(private readonly server: string) {}

  /**
   * The parsed URL when `value` is secure; else records and throws OAUTH_INSECURE_URL naming
   * `what` (e.g. `authorization_endpoint`) and `source` (e.g. `the authorization server metadata at …`).
   */
  check(what: string, value: unknown, source: string): URL {
    if (this.violation) throw this.violation
    const ok = secureWebUrl(value)
    if (ok && !isMetadataHost(ok.hostname)) return ok
    this.violation = ok ? metadataOAuthUrl(this.server, what, value, source) : insecureOAuthUrl(this.server, what, value, source)
    throw this.violation
  }

  /** The server's configured `url`: the flow starts there, so it must be secure too. */
  checkConfigured(url: string): URL {
    const ok = secureWebUrl(url)
    if (ok) return ok
    this.violation = insecureOAuthUrl(this.server, `servers.${this.server}.url`, url, "the config", `servers.${this.server}.url`)
    throw this.violation
  }

  /** The URL fields of a metadata document read from `source` (its URL). */
  checkMetadata(doc: unknown, source: string): void {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return
    const d = doc as Record<string, unknown>
    const isResource = "resource" in d && !("authorization_endpoint" in d)
    const where = `the ${isResource ? "protected resource" : "authorization server"} metadata at ${source}`
    if (Array.isArray(d.authorization_servers)) d.authorization_servers.forEach((u, i) => this.check(`authorization_servers[${i}]`, u, where))
    for (const f of ENDPOINT_FIELDS) if (d[f] !== undefined) this.check(f, d[f], where)
  }

  /** fetch for the OAuth flow through this guard. */
  fetch(base: Fetch = (u, i) => fetch(u, i)): Fetch {
    return async (input, init) => {
      let current = this.check("request URL", String(input), "the OAuth flow")
      let req: RequestInit = { ...init }
      const follow = init?.redirect !== "manual" && init?.redirect !== "error"
      for (let hop = 0; ; hop++) {
        const res = await base(current, follow ? { ...req, redirect: "manual" } : req)
        const location = follow && REDIRECTS.has(res.status) ? res.headers.get("location") : null
        if (location === null || hop === MAX_REDIRECTS) {
          if ((req.method ?? "GET").toUpperCase() === "GET" && res.ok) await this.checkBody(res, current)
          return res
        }
        const from = current
        current = this.check("redirect", safeResolve(location, from), `the answer of ${from.href}`)
        await res.body?.cancel().catch(() => {})
        // as fetch does: 303 (and 301/302 for a POST) continue as a GET without the body
        const method = (req.method ?? "GET").toUpperCase()
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
          const { body: _body, ...rest } = req
          req = { ...rest, method: "GET" }
        }
      }
    }
  }

  private async checkBody(res: Response, url: URL): Promise<void> {
    let doc: unknown
    try {
      doc = JSON.parse(await res.clone().text())
    } catch {
      return // not JSON: the SDK reports it
    }
    this.checkMetadata(doc, res.url || url.href)
  }
}

/**
 * A link-local or cloud metadata address (169.254.0.0/16, fe80::/10, AWS's fd00:ec2::254,
 * metadata.google.internal): no OAuth endpoint lives there, and a request to it from this machine
 * can read instance credentials. The URL parser has already turned hex, octal, decimal and
 * IPv4-mapped IPv6 spellings into the plain forms tested here.
 */
export function isMetadataHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "")
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(h)) return true
  if (/^fe[89ab][0-9a-f]:/.test(h)) return true
  if (/^::ffff:a9fe:[0-9a-f]{1,4}$/.test(h) || /^::ffff:169\.254\./.test(h)) return true
  return h === "fd00:ec2::254" || h === "metadata.google.internal"
}

function metadataOAuthUrl(server: string, what: string, value: unknown, source: string): DownstreamError {
  return new DownstreamError("OAUTH_INSECURE_URL", `OAuth for server ${server} stopped: ${what} ${shownUrl(value)} (from ${source}) points at a link-local or cloud metadata address (169.254.0.0/16, fe80::/10, metadata.google.internal), where no OAuth endpoint lives; nothing was opened, followed or sent to it`, {
    remedy: "Do not log in to this server: a server that names such an address may be trying to make this machine read its cloud instance credentials. If you run it, fix its OAuth metadata.",
    details: { server, field: what, url: String(value).slice(0, 200), source },
  })
}

function safeResolve(location: string, base: URL): string {
  try {
    return new URL(location, base).href
  } catch {
    return location
  }
}

export function insecureOAuthUrl(server: string, what: string, value: unknown, source: string, configKey?: string): DownstreamError {
  return new DownstreamError("OAUTH_INSECURE_URL", `OAuth for server ${server} stopped: ${what} ${shownUrl(value)} (from ${source}) is not ${SECURE_WEB_URL_RULE}; nothing was opened, followed or sent to it`, {
    remedy: configKey
      ? `Use the server's https URL in ${configKey}: OAuth codes and tokens never travel over plain http except on this machine.`
      : "If you run this server, serve its OAuth metadata and endpoints over https. Otherwise do not log in to it: a server that names such a URL may be trying to make this machine open a file or an app.",
    details: { server, field: what, url: String(value).slice(0, 200), source },
  })
}
