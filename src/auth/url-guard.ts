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
 * Where they may lead follows from where the MCP server itself is (`GuardOptions.serverUrl`): a
 * server on a public host may not send this machine to loopback (127.0.0.0/8, ::1, 0.0.0.0, ::),
 * private (RFC 1918, 100.64.0.0/10, ULA fc00::/7) or link-local addresses, neither by its metadata
 * nor by the endpoints and redirects it names (SSRF toward services not exposed to the internet); a
 * server on a private network may not lead to loopback; a server on this machine (a local dev setup)
 * may use any. Host names are resolved before each request and every address they resolve to must
 * pass (a name that does not resolve stops the flow when the server is not on this machine). The
 * fetch then resolves the name again (Bun's fetch takes no pinned address): a DNS server that answers
 * differently within that moment (rebinding with TTL 0) is a residual risk; Bun's DNS cache (30 s),
 * which fetch uses, narrows it. `servers.<name>.auth.allowPrivateAuthServers` lifts the network rule
 * (not the link-local one) for a public server that really uses an authorization server inside.
 *
 * One guard per login: its `fetch` refuses an insecure request URL, follows only secure redirects,
 * and checks the URL fields of each metadata document it reads (naming the field and the document's
 * URL). The first refusal is kept and every later request fails with it, because the SDK swallows
 * some discovery errors and would otherwise go on with a fallback authorization server.
 */
import { lookup } from "node:dns/promises"
import { cutText, DownstreamError, SECURE_WEB_URL_RULE, secureWebUrl, shownUrl } from "../core/index.ts"

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

/** The addresses a host name resolves to (IPv4 dotted, IPv6 plain). */
export type Resolve = (hostname: string) => Promise<string[]>

export interface GuardOptions {
  /** The MCP server's configured url: where it is decides which networks its OAuth URLs may lead to. */
  serverUrl?: string
  /** `servers.<name>.auth.allowPrivateAuthServers`: the network rule is lifted (not the link-local one). */
  allowPrivate?: boolean
  /** Name resolution (default: the system's, as fetch resolves). */
  resolve?: Resolve
}

const systemResolve: Resolve = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address)

/** Where an address is; `rank`: how far inside (a URL may lead no further inside than its server is). */
export type AddressKind = "public" | "private" | "loopback" | "link-local"
const RANK: Record<AddressKind, number> = { public: 0, private: 1, loopback: 2, "link-local": 3 }
const KIND_WORDS: Record<AddressKind, string> = {
  public: "a public address",
  private: "a private-network address (RFC 1918, 100.64.0.0/10, fc00::/7)",
  loopback: "an address of this machine (loopback or unspecified)",
  "link-local": "a link-local address (169.254.0.0/16, fe80::/10)",
}

/** URL fields of RFC 8414 / OpenID discovery metadata that the flow requests, sends tokens to or opens. */
const ENDPOINT_FIELDS = ["issuer", "authorization_endpoint", "token_endpoint", "registration_endpoint", "revocation_endpoint"] as const
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

export class OAuthUrlGuard {
  /** The first refusal (the login stops with it). */
  violation: DownstreamError | undefined
  /** Where each host checked so far was named (the field and document), for a refusal at its request. */
  private readonly named = new Map<string, { what: string; source: string }>()
  private own: Promise<AddressKind> | undefined

  constructor(
    private readonly server: string,
    private readonly o: GuardOptions = {},
  ) {}

  /**
   * The parsed URL when `value` is secure; else records and throws OAUTH_INSECURE_URL naming
   * `what` (e.g. `authorization_endpoint`) and `source` (e.g. `the authorization server metadata at …`).
   */
  check(what: string, value: unknown, source: string): URL {
    if (this.violation) throw this.violation
    const ok = secureWebUrl(value)
    if (ok && !isMetadataHost(ok.hostname)) {
      if (!this.named.has(ok.hostname)) this.named.set(ok.hostname, { what, source })
      return ok
    }
    this.violation = ok ? metadataOAuthUrl(this.server, what, value, source) : insecureOAuthUrl(this.server, what, value, source)
    throw this.violation
  }

  /**
   * Where the MCP server itself is: its host's kind (a name: the most public of its addresses; one
   * that does not resolve counts as public).
   */
  private ownKind(): Promise<AddressKind> {
    this.own ??= (async () => {
      const host = new URL(this.o.serverUrl!).hostname
      const literal = literalKind(host)
      if (literal !== undefined) return literal
      const addrs = await (this.o.resolve ?? systemResolve)(bare(host)).catch(() => [] as string[])
      if (addrs.length === 0) return "public"
      return addrs.map(addressKind).reduce((a, b) => (RANK[b] < RANK[a] ? b : a))
    })()
    return this.own
  }

  /**
   * Throws (and records) OAUTH_INSECURE_URL when `url` leads where a URL of this server's OAuth may
   * not (see the module): its host, or any address its name resolves to. `what` and `source` name
   * where the URL came from.
   */
  async reach(url: URL, what: string, source: string): Promise<void> {
    if (this.violation) throw this.violation
    if (this.o.serverUrl === undefined) return
    const host = bare(url.hostname)
    const literal = literalKind(url.hostname)
    const own = await this.ownKind()
    // on this machine with its own choice of network: names are still resolved for link-local addresses
    let addrs: string[]
    if (literal !== undefined) addrs = [host]
    else {
      try {
        addrs = await (this.o.resolve ?? systemResolve)(host)
      } catch (e) {
        if (own === "loopback" || this.o.allowPrivate === true) return
        this.violation = unresolvedOAuthUrl(this.server, what, url, source, e)
        throw this.violation
      }
    }
    for (const a of addrs) {
      const kind = addressKind(a)
      if (kind === "link-local" || (this.o.allowPrivate !== true && RANK[kind] > RANK[own])) {
        this.violation = innerOAuthUrl(this.server, what, url, a, kind, own, source)
        throw this.violation
      }
    }
  }

  /** `reach` for the URL fields of a metadata document read from `source`. */
  private async reachMetadata(doc: unknown, source: string): Promise<void> {
    if (this.o.serverUrl === undefined || !doc || typeof doc !== "object" || Array.isArray(doc)) return
    const d = doc as Record<string, unknown>
    const where = `the ${"resource" in d && !("authorization_endpoint" in d) ? "protected resource" : "authorization server"} metadata at ${source}`
    const fields: [string, unknown][] = Array.isArray(d.authorization_servers) ? d.authorization_servers.map((u, i) => [`authorization_servers[${i}]`, u]) : []
    for (const f of ENDPOINT_FIELDS) if (d[f] !== undefined) fields.push([f, d[f]])
    for (const [what, value] of fields) await this.reach(new URL(String(value)), what, where)
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
      let named = this.named.get(current.hostname) ?? { what: "request URL", source: "the OAuth flow" }
      let req: RequestInit = { ...init }
      const follow = init?.redirect !== "manual" && init?.redirect !== "error"
      for (let hop = 0; ; hop++) {
        await this.reach(current, named.what, named.source)
        const res = await base(current, follow ? { ...req, redirect: "manual" } : req)
        const location = follow && REDIRECTS.has(res.status) ? res.headers.get("location") : null
        if (location === null || hop === MAX_REDIRECTS) {
          if ((req.method ?? "GET").toUpperCase() === "GET" && res.ok) await this.checkBody(res, current)
          return res
        }
        const from = current
        current = this.check("redirect", safeResolve(location, from), `the answer of ${from.href}`)
        named = { what: "redirect", source: `the answer of ${from.href}` }
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
    // the URL requested (redirects are followed here, one by one: it is the answer's)
    this.checkMetadata(doc, url.href)
    await this.reachMetadata(doc, url.href)
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

/** A hostname without IPv6 brackets or a trailing dot, lower case. */
function bare(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "")
}

/** The kind of a host that is an IP literal (as the URL parser leaves it), else undefined (a name). */
export function literalKind(hostname: string): AddressKind | undefined {
  const h = bare(hostname)
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(":") ? addressKind(h) : undefined
}

/** Where an IP address (IPv4 dotted, or IPv6) is. */
export function addressKind(address: string): AddressKind {
  const a = bare(address)
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(a)
  if (v4) {
    const [x, y] = [Number(v4[1]), Number(v4[2])]
    if (x === 127 || x === 0) return "loopback"
    if (x === 169 && y === 254) return "link-local"
    if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127)) return "private"
    return "public"
  }
  if (!a.includes(":")) return "public"
  // IPv4-mapped (::ffff:a.b.c.d, or as the URL parser writes it, ::ffff:xxxx:xxxx)
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/.exec(a)
  if (mapped) {
    const rest = mapped[1]!
    if (rest.includes(".")) return addressKind(rest)
    const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest)
    if (m) {
      const hi = parseInt(m[1]!, 16)
      const lo = parseInt(m[2]!, 16)
      return addressKind(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`)
    }
  }
  if (a === "::" || a === "::1" || /^(0{1,4}:){7}0{0,3}[01]$/.test(a)) return "loopback"
  // an IPv4 address inside IPv6: NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::) reach it
  const embedded = /^64:ff9b::(?:([0-9a-f]{1,4}):([0-9a-f]{1,4})|(\d{1,3}(?:\.\d{1,3}){3}))$/.exec(a) ?? /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(?::|$)/.exec(a)
  if (embedded) {
    if (embedded[3] !== undefined) return addressKind(embedded[3])
    const hi = parseInt(embedded[1]!, 16)
    const lo = parseInt(embedded[2]!, 16)
    return addressKind(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`)
  }
  const first = a.startsWith("::") ? 0 : parseInt(a.split(":")[0]!, 16)
  if ((first & 0xfe00) === 0xfc00) return "private"
  if ((first & 0xffc0) === 0xfe80) return "link-local"
  return "public"
}

/** OAUTH_INSECURE_URL: `url` (named by `what` in `source`) leads further inside than the server is. */
function innerOAuthUrl(server: string, what: string, url: URL, address: string, kind: AddressKind, own: AddressKind, source: string): DownstreamError {
  const host = bare(url.hostname)
  const to = host === bare(address) ? host : `${host} (which resolves to ${address})`
  const ownWords = own === "public" ? "a public host" : own === "private" ? "a private network" : "this machine"
  const why =
    kind === "link-local"
      ? "where no OAuth endpoint lives (cloud metadata services answer there)"
      : `while the server's own url (servers.${server}.url) is on ${ownWords}: its OAuth may not lead this machine to services that are not exposed where the server is`
  return new DownstreamError("OAUTH_INSECURE_URL", `OAuth for server ${server} stopped: ${what} (from ${source}) leads to host ${to}, ${KIND_WORDS[kind]}, ${why}; nothing was opened, followed or sent to it`, {
    remedy:
      kind === "link-local"
        ? "Do not log in to this server: a server that names such an address may be trying to make this machine read its cloud instance credentials. If you run it, fix its OAuth metadata."
        : `If the server really uses an authorization server inside your network (it is reached through a public address, its login inside), set servers.${server}.auth.allowPrivateAuthServers: true. Otherwise do not log in to it: its metadata may be trying to reach this machine's or this network's own services (SSRF).`,
    details: { server, field: what, host, address, kind, source },
  })
}

/** OAUTH_INSECURE_URL: the host of `url` could not be resolved, so where it leads is unknown. */
function unresolvedOAuthUrl(server: string, what: string, url: URL, source: string, e: unknown): DownstreamError {
  const host = bare(url.hostname)
  const code = (e as { code?: unknown } | null)?.code
  return new DownstreamError("OAUTH_INSECURE_URL", `OAuth for server ${server} stopped: ${what} (from ${source}) names host ${host}, which could not be resolved${typeof code === "string" ? ` (${code})` : ""} to check where it leads; nothing was sent to it`, {
    remedy: `Check the host name and this machine's DNS. Behind a proxy that resolves names itself, set servers.${server}.auth.allowPrivateAuthServers: true (the address check is then skipped).`,
    details: { server, field: what, host, source },
  })
}

function metadataOAuthUrl(server: string, what: string, value: unknown, source: string): DownstreamError {
  return new DownstreamError("OAUTH_INSECURE_URL", `OAuth for server ${server} stopped: ${what} ${shownUrl(value)} (from ${source}) points at a link-local or cloud metadata address (169.254.0.0/16, fe80::/10, metadata.google.internal), where no OAuth endpoint lives; nothing was opened, followed or sent to it`, {
    remedy: "Do not log in to this server: a server that names such an address may be trying to make this machine read its cloud instance credentials. If you run it, fix its OAuth metadata.",
    details: { server, field: what, url: cutText(String(value), 200), source },
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
    details: { server, field: what, url: cutText(String(value), 200), source },
  })
}
