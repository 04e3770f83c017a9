/**
 * @module cli/doctor-remote
 * `doctor`'s look at the remote servers: each enabled one is sent what `serve` sends first (an MCP
 * `initialize` POST, `server/discover` for a 2026-07-28 server, or for `transport: sse` the stream's
 * GET) with its configured headers, or its
 * stored OAuth token, and the answer is judged: reachable and answering (ok), refused credentials
 * (a static token that is wrong or expired, a stored login the server no longer takes), a login
 * still needed (`auth login NAME`), no MCP endpoint at that path (404), a redirect, a server error,
 * or not reachable at all (refused, unknown host, TLS, no answer within `REMOTE_WAIT_MS`). All are
 * probed at once. A session the server opened is closed again (DELETE). What is shown never holds a
 * header value, a token or the URL's query (a key may be in it): only scheme, host and path.
 * Unless `--no-start`, each that answered is then connected to as serve connects and its tools
 * listed (cli/doctor-start `startOne`): a first request that works says nothing about `tools/list`.
 */
import { authStatus, defaultTokenStore, setsAuthorizationHeader } from "../auth/index.ts"
import { cutText } from "../core/index.ts"
import type { LoadedConfig, RemoteServerSpec } from "../config/index.ts"
import { endpointLabel, MODERN_PROTOCOL_VERSION, transportName, wireCause, withEnvelope } from "../pool/index.ts"
import type { Check } from "./doctor-run.ts"
import type { StartProgress } from "./doctor-progress.ts"
import type { ServerStart } from "./doctor-start.ts"
import type { Listed } from "../app/index.ts"

/** How long `doctor` waits for each remote server's answer. */
export const REMOTE_WAIT_MS = 5_000

type Fetch = (url: string, init: RequestInit) => Promise<Response>

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "mcp-orchestrator-doctor", version: "0" } },
})

const DISCOVER = JSON.stringify({ jsonrpc: "2.0", id: 0, method: "server/discover", params: withEnvelope(undefined) })

/** scheme://host/path: never the query (it may carry a key) nor user:password (as the pool names an endpoint). */
function label(url: string): string {
  try {
    return endpointLabel(new URL(url))
  } catch {
    return "(invalid url)"
  }
}

/** Why a request did not get an answer, in words (never the URL: Bun's messages name it): the pool's wording, or doctor's own wait. */
function unreachable(e: unknown): string {
  const name = (e as { name?: string } | null)?.name
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${REMOTE_WAIT_MS / 1000} s`
  return cutText(wireCause(e).text.replace(/https?:\/\/\S+/g, "(url)"), 200)
}

/**
 * One request as serve's first one: a POST of `initialize` (Streamable HTTP), else the SSE GET.
 * Redirects are not followed (a header would go along to wherever they lead): they are reported.
 */
async function ask(fetchFn: Fetch, url: string, kind: "initialize" | "discover" | "sse", headers: Record<string, string>): Promise<Response> {
  const sse = kind === "sse"
  const post = { "content-type": "application/json", accept: "application/json, text/event-stream" }
  const init: RequestInit =
    kind === "sse"
      ? { method: "GET", headers: { ...headers, accept: "text/event-stream" } }
      : kind === "discover"
        ? { method: "POST", headers: { ...headers, ...post, "mcp-protocol-version": MODERN_PROTOCOL_VERSION, "mcp-method": "server/discover" }, body: DISCOVER }
        : { method: "POST", headers: { ...headers, ...post }, body: INITIALIZE }
  const res = await fetchFn(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(REMOTE_WAIT_MS) })
  // an SSE stream stays open: only its status is wanted
  await res.body?.cancel().catch(() => {})
  const session = res.headers.get("mcp-session-id")
  if (!sse && res.ok && session) {
    await fetchFn(url, { method: "DELETE", headers: { ...headers, "mcp-session-id": session }, redirect: "manual", signal: AbortSignal.timeout(REMOTE_WAIT_MS) })
      .then((r) => r.body?.cancel())
      .catch(() => {})
  }
  return res
}

async function checkOne(name: string, spec: RemoteServerSpec, env: Record<string, string | undefined>, fetchFn: Fetch): Promise<Check | "ok"> {
  const key = `servers.${name}`
  const where = `server ${name} (${label(spec.url)})`
  const sse = spec.transport === "sse" || (spec.transport === undefined && spec.type === "sse")
  const headers: Record<string, string> = { ...(spec.headers ?? {}) }
  // no Authorization in the config: serve sends the stored OAuth token, if any
  let login: ReturnType<typeof authStatus> | undefined
  if (!setsAuthorizationHeader(spec)) {
    try {
      const store = defaultTokenStore(env)
      login = authStatus(store, name, spec.url)
      const token = login.loggedIn ? store.read(name, spec.url)?.tokens?.access_token : undefined
      if (token) headers.authorization = `Bearer ${token}`
    } catch {
      // no store, or unreadable: probed without a token
    }
  }
  let res: Response
  try {
    // a server pinned to the 2026-07-28 era has no initialize: it is asked server/discover
    res = await ask(fetchFn, spec.url, sse ? "sse" : spec.protocol === "modern" ? "discover" : "initialize", headers)
    if (!sse && !res.ok && res.status !== 401 && res.status !== 403 && res.status < 500) {
      // a 2026-07-28 server may refuse initialize (protocol auto detects it with server/discover)
      if (spec.protocol === undefined || spec.protocol === "auto") {
        const modern = await ask(fetchFn, spec.url, "discover", headers).catch(() => undefined)
        if (modern?.ok) return "ok"
      }
      // serve falls back to SSE when Streamable HTTP is refused and the transport is not set
      if (spec.transport === undefined) {
        const viaSse = await ask(fetchFn, spec.url, "sse", headers).catch(() => undefined)
        if (viaSse?.ok && (viaSse.headers.get("content-type") ?? "").includes("text/event-stream")) return "ok"
      }
    }
  } catch (e) {
    return {
      name: "servers",
      status: "warn",
      detail: `${where} cannot be reached: ${unreachable(e)}`,
      remedy: `Check ${key}.url (scheme, host, port), that the server is running and that this machine can reach it (proxy, VPN, firewall); the other servers are not affected.`,
    }
  }
  const s = res.status
  if (res.ok) return "ok"
  if (s === 401 || s === 403) {
    if (setsAuthorizationHeader(spec)) {
      return {
        name: "servers",
        status: "warn",
        detail: `${where} refused the credentials in ${key}.headers.Authorization (HTTP ${s})`,
        remedy: `The token is wrong, expired or lacks access: renew it and update ${key}.headers (or the variable it comes from); its value is not shown here.`,
      }
    }
    if (login?.loggedIn) {
      // an expired token that can be refreshed is refreshed by serve before it is sent
      if (login.expired && login.refreshable) return "ok"
      return { name: "servers", status: "warn", detail: `${where} refused the stored OAuth login (HTTP ${s})`, remedy: `Log in again: mcp-orchestrator auth login ${name}` }
    }
    return {
      name: "servers",
      status: "warn",
      detail: `${where} needs a login (HTTP ${s})${login?.note ? `: ${login.note}` : ""}; until then its tools answer an error`,
      remedy: `Run mcp-orchestrator auth login ${name} (OAuth), or set ${key}.headers.Authorization if the server takes a static token.`,
    }
  }
  if (s >= 300 && s < 400) {
    const to = res.headers.get("location")
    const target = to ? label(new URL(to, spec.url).href) : "(no Location)"
    return { name: "servers", status: "warn", detail: `${where} answered a redirect (HTTP ${s}) to ${target}`, remedy: `Set ${key}.url to the address it redirects to (redirects are not followed: the headers would go along).` }
  }
  if (s === 404) {
    return { name: "servers", status: "warn", detail: `${where}: no MCP endpoint at this path (HTTP 404)`, remedy: `Check the path in ${key}.url: the server's MCP endpoint, often /mcp (or /sse for an SSE server).` }
  }
  return {
    name: "servers",
    status: "warn",
    detail: `${where} answered HTTP ${s}${res.statusText ? ` ${res.statusText}` : ""} to an MCP ${sse ? "SSE GET" : "initialize"}`,
    remedy: s >= 500 ? "The server failed: check its status or logs, and try again later." : `Check ${key}.url (it must be the server's MCP endpoint) and ${key}.transport.`,
  }
}

export interface RemoteOptions {
  /** Connect to each that answered as serve does (pool/connect) and list its tools (else only the first request: `--no-start`). */
  list?: boolean
  progress?: StartProgress
  fetchFn?: Fetch
}

/**
 * Each enabled remote server asked its first request (a warning naming the cause when it fails);
 * then, with `list`, each that answered connected to as serve connects (pool/connect: era
 * detection, OAuth, the SSE fallback, its connect budget) and its tools listed (cli/doctor-start):
 * a server whose `initialize` works but whose `tools/list` fails, asks for a login or lists
 * definitions serve drops is a warning too. Without `list`, one line says all the others answered.
 */
export async function checkRemoteServers(loaded: LoadedConfig, env: Record<string, string | undefined>, o: RemoteOptions = {}): Promise<{ checks: Check[]; servers?: ServerStart[]; listed?: Listed[] }> {
  const remotes = Object.entries(loaded.config.servers).filter((e): e is [string, RemoteServerSpec] => "url" in e[1] && !e[1].disabled)
  if (!remotes.length) return { checks: [], ...(o.list ? { servers: [] } : {}) }
  const fetchFn = o.fetchFn ?? ((u, i) => fetch(u, i))
  if (!o.list) {
    const results = await Promise.all(remotes.map(([name, spec]) => checkOne(name, spec, env, fetchFn)))
    const out = results.flatMap((r, i): Check[] => (r === "ok" ? [] : [{ ...r, server: remotes[i]![0] }]))
    const fine = results.length - out.length
    if (fine > 0) out.push({ name: "servers", status: "ok", detail: `${fine}${out.length ? " other" : ""} remote server${fine === 1 ? "" : "s"}: reachable, answered as an MCP endpoint (tools not listed: --no-start)` })
    return { checks: out }
  }
  const { doctorLog, eraStore, startOne, startChecks } = await import("./doctor-start.ts")
  const log = doctorLog(o.progress)
  const eras = await eraStore(env, log)
  const listed: Listed[] = []
  const rows = await Promise.all(
    remotes.map(async ([name, spec]): Promise<{ row: ServerStart; check?: Check }> => {
      const row: ServerStart = { name, transport: transportName(spec) as ServerStart["transport"], status: "failed" }
      o.progress?.begin(name)
      try {
        const started = performance.now()
        const first = await checkOne(name, spec, env, fetchFn)
        if (first !== "ok") {
          // its first request failed: that check says why (its remedy), the row carries it
          return { row: { ...row, ms: Math.round(performance.now() - started), error: { code: "CONNECT_FAILED", message: first.detail, ...(first.remedy ? { remedy: first.remedy } : {}) } }, check: { ...first, server: name } }
        }
        Object.assign(row, await startOne(name, spec, loaded, log.child(`server ${name}`), eras, (tools, sources) => listed.push({ server: name, spec, tools, sources })))
        return { row }
      } finally {
        o.progress?.end(name)
      }
    }),
  )
  const checks: Check[] = []
  for (const { row, check } of rows) checks.push(...(check ? [check] : startChecks(row, ` (${label(remotes.find(([n]) => n === row.name)![1].url)})`)))
  return { checks, servers: rows.map((r) => r.row), listed }
}
