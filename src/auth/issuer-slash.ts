/**
 * @module auth/issuer-slash
 * Authorization servers whose issuer ends in a slash (`https://as.example/tenant1/`, `https://as/`)
 * and protected resources that name them with or without it. The MCP SDK's discovery
 * (`discoverAuthorizationServerMetadata`) tolerates one trailing slash one way only: the URL the
 * resource's metadata names may end in a slash the metadata's `issuer` lacks, not the reverse, and
 * it builds RFC 8414's path-inserted URL without the slash (`/.well-known/oauth-authorization-server/tenant1`),
 * while RFC 8414 §3.1 keeps the issuer's path whole (`…/tenant1/`). So a login at a provider that
 * spells its issuer with the slash stopped with an issuer mismatch when the resource named it
 * without one, or found no metadata when it is served only at the strict RFC 8414 URL.
 *
 * This fetch, under the whole auth flow (login and serve), makes the tolerance symmetric and finds
 * that URL: the `authorization_servers` of a protected resource metadata document are read with a
 * trailing slash (the SDK then accepts the issuer spelled either way, and its discovery URLs are the
 * same: it strips that slash to build them), and an RFC 8414 path-inserted metadata URL that is not
 * found is asked once more with the trailing slash. The issuer comparison stays exact otherwise (one
 * trailing slash is the only difference tolerated, as `auth/issuer.sameIssuer`).
 */
import { parse } from "./flow-fetch.ts"

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

const RFC8414_PATH = /^\/\.well-known\/oauth-authorization-server\/.*[^/]$/

export function issuerSlashFetch(base: Fetch = (u, i) => fetch(u, i)): Fetch {
  return async (url, init) => {
    const get = (init?.method ?? "GET").toUpperCase() === "GET"
    const res = await base(url, init)
    if (!get) return res
    const target = parse(url)
    if (target && RFC8414_PATH.test(target.pathname) && res.status >= 400 && res.status < 500) {
      const slashed = new URL(target.href)
      slashed.pathname += "/"
      const again = await base(slashed, init)
      if (again.ok) {
        await res.body?.cancel().catch(() => {})
        return again
      }
      await again.body?.cancel().catch(() => {})
      return res
    }
    if (!res.ok || !(res.headers.get("content-type") ?? "").includes("json")) return res
    return slashAuthorizationServers(res)
  }
}

/** `res` with each `authorization_servers` entry of its JSON ending in a slash (unchanged when it has none). */
async function slashAuthorizationServers(res: Response): Promise<Response> {
  let doc: unknown
  try {
    doc = JSON.parse(await res.clone().text())
  } catch {
    return res
  }
  const servers = (doc as { authorization_servers?: unknown } | null)?.authorization_servers
  if (!Array.isArray(servers) || !servers.some((s) => withSlash(s) !== s)) return res
  const body = JSON.stringify({ ...(doc as object), authorization_servers: servers.map(withSlash) })
  await res.body?.cancel().catch(() => {})
  const headers = new Headers(res.headers)
  headers.delete("content-length")
  headers.delete("content-encoding")
  return new Response(body, { status: res.status, statusText: res.statusText, headers })
}

/** An issuer URL (no query, no fragment) with a trailing slash; anything else as it is. */
function withSlash(s: unknown): unknown {
  if (typeof s !== "string" || s.endsWith("/")) return s
  const u = parse(s)
  return u && !u.search && !u.hash && /^https?:$/.test(u.protocol) ? `${s}/` : s
}
