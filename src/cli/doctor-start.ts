/**
 * @module cli/doctor-start
 * `doctor` starting each enabled stdio server as `serve` starts it (pool/connect: the same minimal
 * environment plus its `env`/`envFile`, its `cwd`, the protocol-era detection, `initialize`, within
 * its connect budget: `servers.NAME.connectTimeout`, else `pool.connectTimeout`), then asking for
 * its tools (`tools/list`, every page) and its other lists, all within that one budget (a listing
 * gets what the start left), and stopping it (stdin EOF, then the
 * process group's SIGTERM and SIGKILL after `EXIT_GRACE_MS` each, then whatever it left outside its
 * group). A server that exits at start (a missing token), crashes, hangs before answering or fails
 * its `tools/list` is reported with the reason its stderr gives and the remedy pool/connect found
 * (the env entry to write, the interpreter to install); one that works with its tool count and
 * protocol revision; then the prompts, resources and resource templates it declares are listed and
 * counted, and one of those listings that fails (server-postgres's resources/list with its database
 * down, while its tools list) is a warning of its own, as serve's status shows it failed, and the server's line says "partly" (no ✓). Servers start in parallel, at most `PARALLEL_STARTS` at once. Never shown: an
 * env value (only names, as pool/connect words them; the report is redacted as a whole after).
 * `startOne` serves the remote servers (cli/doctor-remote) and the Toolkit gateway
 * (cli/doctor-toolkit) too: the same connect, listing and wording. The tools listed are checked as
 * serve checks them (catalog/validate): definitions serve drops are a warning naming them.
 * Each is told at `initialize` what serve tells it (`RELAY_CAPABILITIES`: sampling, elicitation,
 * roots): a server lists tools by them (server-everything leaves out its sampling, elicitation and
 * roots tools without them), and the list stored here is the next serve's first answer, which
 * Cursor keeps. Its requests are declined here (roots: none), as serve declines them with no client.
 */
import { setsAuthorizationHeader } from "../auth/index.ts"
import { checkTools } from "../catalog/index.ts"
import type { LoadedConfig, ServerSpec, StdioServerSpec } from "../config/index.ts"
import { createLogHub, createLogger, endLeftBehind, errorMessage, EXIT_GRACE_MS, isOrchestratorError, liveChildren, ProtocolError, routeConsole, type Logger } from "../core/index.ts"
import { connect, FileEraStore, RELAY_CAPABILITIES, RpcError, STDERR_REASON_BYTES, stderrReason, type Connected } from "../pool/index.ts"
import { listRemedy } from "../proxy/index.ts"
import type { Check } from "./doctor-run.ts"
import type { StartProgress } from "./doctor-progress.ts"
import type { Listed } from "../app/index.ts"
import type { Tool } from "@modelcontextprotocol/sdk/types.js"

/** How many servers start at once (each may be an `npx` download; the machine may be small). */
export const PARALLEL_STARTS = 8
/** Pages of `tools/list` read at most (a server whose cursor never ends is not followed forever). */
const MAX_PAGES = 100

/** One server's start (a stdio server) or connect (a remote one), as `doctor --json` lists it under `servers`. */
export interface ServerStart {
  name: string
  transport: "stdio" | "streamable-http" | "sse"
  /** ok: started (connected) and listed its tools; failed: did not start or connect (or cannot: its command or cwd is not there; a remote one's first request failed) or did not list; skipped: not started (`skipped` says why). */
  status: "ok" | "failed" | "skipped"
  /** The tools serve would show of it (the definitions that passed serve's check). */
  tools?: number
  /** Its prompts, resources and resource templates, counted where it declares them (capabilities `prompts`, `resources`). */
  prompts?: number
  resources?: number
  resourceTemplates?: number
  /** Listings of prompts or resources that failed while its tools listed fine (serve shows them failed in orchestrator_status): what it answered, what to do. */
  listFailures?: { method: string; code?: string; message: string; remedy: string }[]
  /** Started and listed its tools, but a listing of its prompts or resources failed (`listFailures`): its line is a warning, "partly". */
  partly?: true
  /** Tool definitions serve drops (not valid MCP: no name, a schema that is no object…), with why; the other tools work. */
  invalidTools?: { name: string; why: string }[]
  /** The revision it speaks: what it answered to `initialize`, or 2026-07-28 (server/discover). */
  protocolVersion?: string
  era?: "legacy" | "modern"
  serverInfo?: { name: string; version: string }
  /** Milliseconds from the start until its tools were listed (or it failed). */
  ms?: number
  error?: { code?: string; message: string; remedy?: string }
  skipped?: string
}

export interface StartOptions {
  /** Servers not to start, with why (a nested orchestrator). */
  skip: ReadonlyMap<string, string>
  /** Servers that cannot start (config/stdio-paths found why, reported already): a failed row each, not started. */
  problems: ReadonlyMap<string, { message: string; remedy: string }>
  /** Told when each start begins and ends (a terminal shows which are still starting). */
  progress?: StartProgress
}

/**
 * What the connects log (a server that closed its stdout, an oversize message) goes to stderr as
 * JSON lines, warnings and errors only: stdout is the report. With a progress line on the terminal,
 * the line is taken away while a log line is written, and shown again after it.
 */
export function doctorLog(progress?: StartProgress): Logger {
  const log = progress ? createLogger(createLogHub("warn", (line) => progress.aside(line)), "doctor") : createLogger(createLogHub("warn"), "doctor")
  // the connects' library output (the MCP SDK's warnings on a refresh, which may quote a token) is
  // a redacted log line too, as in serve (core/console-route)
  routeConsole(log.child("library"))
  return log
}

/** The era verdicts serve remembers are used (and what is found here is remembered for serve). */
export async function eraStore(env: Record<string, string | undefined>, log?: Logger): Promise<FileEraStore> {
  const { stateHome } = await import("../config/index.ts")
  return new FileEraStore(stateHome(env), log)
}

/** Starts every enabled stdio server not in `skip`; a check per server and the `servers` rows. */
export async function startStdioServers(loaded: LoadedConfig, env: Record<string, string | undefined>, o: StartOptions): Promise<{ checks: Check[]; servers: ServerStart[]; listed: Listed[] }> {
  const entries = Object.entries(loaded.config.servers).filter((e): e is [string, StdioServerSpec] => "command" in e[1] && !e[1].disabled)
  if (!entries.length) return { checks: [], servers: [], listed: [] }
  const log = doctorLog(o.progress)
  const eras = await eraStore(env, log)
  const rows: ServerStart[] = entries.map(([name]) => {
    const p = o.problems.get(name)
    // the code serve gives the same server when it tries to start it (pool/stdio-transport): a missing command or cwd is SPAWN_FAILED
    if (p) return { name, transport: "stdio", status: "failed", error: { code: "SPAWN_FAILED", message: p.message, remedy: p.remedy } }
    return { name, transport: "stdio", status: "skipped", ...(o.skip.has(name) ? { skipped: o.skip.get(name)! } : {}) }
  })
  const todo = entries.map((e, i) => ({ name: e[0], spec: e[1], row: rows[i]! })).filter((t) => !o.skip.has(t.name) && !o.problems.has(t.name))
  let next = 0
  const listed: Listed[] = []
  const worker = async (): Promise<void> => {
    for (let t = todo[next++]; t; t = todo[next++]) {
      o.progress?.begin(t.name)
      const { name, spec } = t
      Object.assign(t.row, await startOne(name, spec, loaded, log, eras, (tools, sources) => listed.push({ server: name, spec, tools, sources })))
      o.progress?.end(t.name)
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_STARTS, todo.length) }, worker))
  await settleChildren()
  const checks: Check[] = []
  for (const r of rows) if (!o.problems.has(r.name)) checks.push(...startChecks(r))
  return { checks, servers: rows, listed }
}

/**
 * A failed start's process is being stopped when its connect fails (stdin EOF, SIGTERM, SIGKILL to
 * its group, EXIT_GRACE_MS apart): waited for, so none is running when the report is printed; what
 * a server left running outside its process group (a helper it detached) is ended too.
 */
export async function settleChildren(): Promise<void> {
  const until = performance.now() + 4 * EXIT_GRACE_MS + 1000
  while (liveChildren() > 0 && performance.now() < until) await Bun.sleep(10)
  await endLeftBehind().catch(() => 0)
}

/** The report's lines for one start (stdio) or connect (remote): ✓ with its tools, or the failure; a warning for tool definitions serve drops. */
export function startChecks(r: ServerStart, where = ""): Check[] {
  if (r.status === "failed") return [{ name: "servers", status: "warn", detail: r.error!.message, ...(r.error!.remedy ? { remedy: r.error!.remedy } : {}), server: r.name }]
  if (r.status !== "ok") return []
  const remote = r.transport !== "stdio"
  // a listing that failed: not a ✓ (its prompts or resources are not available), the lines below say which and why
  const failedLists = (r.listFailures ?? []).map((f) => f.method)
  const partly = failedLists.length ? `, partly (${failedLists.join(" and ")} failed)` : ""
  const out: Check[] = [
    {
      name: "servers",
      status: partly ? "warn" : "ok",
      ...(partly ? { server: r.name } : {}),
      detail: `server ${r.name}${where} ${remote ? "connected" : "started"}${partly}: ${r.tools} tool${r.tools === 1 ? "" : "s"}, MCP ${r.protocolVersion}${r.serverInfo ? ` (${r.serverInfo.name} ${r.serverInfo.version})` : ""}${othersCounted(r)}, ${((r.ms ?? 0) / 1000).toFixed(1)} s; ${remote ? "disconnected" : "stopped"} again`,
    },
  ]
  for (const f of r.listFailures ?? []) out.push({ name: "servers", status: "warn", detail: f.message, remedy: f.remedy, server: r.name })
  const bad = r.invalidTools ?? []
  if (bad.length) {
    const shown = bad.slice(0, 5).map((t) => `${t.name}: ${t.why}`).join("; ")
    out.push({
      name: "servers",
      status: "warn",
      detail: `server ${r.name} lists ${bad.length} tool definition${bad.length === 1 ? "" : "s"} that ${bad.length === 1 ? "is" : "are"} not valid MCP; serve leaves ${bad.length === 1 ? "it" : "them"} out (${shown}${bad.length > 5 ? "; …" : ""})`,
      remedy: "Update the server, or report the definitions to its authors; its other tools work.",
      server: r.name,
    })
  }
  return out
}

/** ", 3 prompts, 12 resources, 1 resource template": what it lists besides tools (where it declares them). */
function othersCounted(r: ServerStart): string {
  const n = (count: number | undefined, one: string): string => (count === undefined ? "" : `, ${count} ${one}${count === 1 ? "" : "s"}`)
  return n(r.prompts, "prompt") + n(r.resources, "resource") + (r.resourceTemplates ? n(r.resourceTemplates, "resource template") : "")
}

/**
 * The listings that worked (stdio and remote servers alike, stored once together: one cache
 * writer), stored as serve stores them (app/listed-store); never fails doctor.
 */
export async function storeListedLists(loaded: LoadedConfig, env: Record<string, string | undefined>, listed: Listed[], log: Logger): Promise<void> {
  const { storeListed } = await (await import("../app/index.ts")).loadListedStore()
  await storeListed(loaded, env, listed, log).catch((e: unknown) => log.warn("tool lists not stored", { error: errorMessage(e) }))
}

/** This server's connect budget and the setting it comes from (as pool/session decides it). */
function budget(name: string, spec: ServerSpec, loaded: LoadedConfig): { ms: number; key: string } {
  const own = (spec as { connectTimeout?: number }).connectTimeout
  return own !== undefined ? { ms: own, key: `servers.${name}.connectTimeout` } : { ms: loaded.config.pool.connectTimeout, key: "pool.connectTimeout" }
}

/** A server's request to its client while doctor lists it: nobody to ask (roots: none). */
function declineRequest(name: string): (method: string) => Promise<unknown> {
  return (method) =>
    method === "roots/list"
      ? Promise.resolve({ roots: [] })
      : Promise.reject(new ProtocolError(-32601, `Server ${name} asked for ${method}: mcp-orchestrator doctor lists its tools and has no client to ask`))
}

/**
 * One server started (stdio) or connected to (remote) as serve does (pool/connect: era detection,
 * OAuth, the SSE fallback), its tools listed, then stopped or disconnected. `listed` gets the tools
 * serve would keep of a whole listing that worked (never of a failed or partial one).
 */
export async function startOne(name: string, spec: ServerSpec, loaded: LoadedConfig, log: Logger, eras: FileEraStore, listed?: (tools: Tool[], sources: unknown[]) => void): Promise<Partial<ServerStart>> {
  const started = performance.now()
  const took = (): number => Math.round(performance.now() - started)
  const b = budget(name, spec, loaded)
  // one budget for the whole server: its listings get what the connect left (a resources/list that
  // hung used to add a whole budget more after the connect's and the tools listing's)
  const until = started + b.ms
  let c: Connected
  try {
    c = await connect({
      server: name,
      spec,
      log: log.child(`server ${name}`),
      connectTimeoutMs: b.ms,
      connectTimeoutKey: b.key,
      maxFrameBytes: loaded.config.pool.maxFrameBytes,
      closeGraceMs: EXIT_GRACE_MS,
      onNotification: () => {},
      onClosed: () => {},
      onRequest: declineRequest(name),
      relayCapabilities: () => RELAY_CAPABILITIES,
      eras,
    })
  } catch (e) {
    return { status: "failed", ms: took(), error: failure(e, b, !("command" in spec)) }
  }
  const base: Partial<ServerStart> = {
    // a remote connect that fell back to SSE: the transport serve will use
    transport: c.transport,
    protocolVersion: c.info.protocolVersion,
    era: c.era.era,
    ...(c.info.serverInfo ? { serverInfo: { name: String(c.info.serverInfo.name), version: String(c.info.serverInfo.version) } } : {}),
  }
  try {
    const { tools: raw, whole } = await listTools(c, until)
    // checked as serve checks them (catalog/validate): a definition it drops is not a tool the model gets
    const checked = await checkTools<Tool>(raw)
    if (whole) listed?.(checked.items, checked.sources)
    const invalid = checked.issues.filter((i) => i.action === "dropped").map((i) => ({ name: i.name, why: i.why }))
    // a server whose tools list fine can still fail the rest (server-postgres with its database
    // down: resources/list "connect ECONNREFUSED"): listed as serve lists them, a failure is a warning
    const others = await listOthers(name, c, b, until)
    return { ...base, status: "ok", tools: checked.items.length, ...others, ...(others.listFailures ? { partly: true as const } : {}), ...(invalid.length ? { invalidTools: invalid } : {}), ms: took() }
  } catch (e) {
    const why = listFailure(name, spec, c, e, b)
    return { ...base, status: "failed", ms: took(), error: why }
  } finally {
    await c.conn.close().catch(() => {})
  }
}

/** Every page of its tools/list before `until` (performance.now(); the whole listing): the definitions as it sent them; `whole`: not cut at MAX_PAGES. */
async function listTools(c: Connected, until: number): Promise<{ tools: unknown[]; whole: boolean }> {
  const caps = c.info.capabilities as Record<string, unknown> | undefined
  try {
    const r = await listAll(c, "tools/list", "tools", until)
    return { tools: r.items, whole: r.whole }
  } catch (e) {
    // a server that declares no tools and has no tools/list serves none (as the proxy takes it)
    if (caps && !declares(caps, "tools") && e instanceof FirstPageRefused && e.rpcCode === -32601) return { tools: [], whole: true }
    throw e instanceof FirstPageRefused ? e.cause : e
  }
}

/** Every page of `method` before `until` (performance.now()): its items; `whole`: not cut at MAX_PAGES. A first page refused is a `FirstPageRefused`. */
async function listAll(c: Connected, method: string, field: string, until: number): Promise<{ items: unknown[]; whole: boolean }> {
  const all: unknown[] = []
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    let result: unknown
    try {
      result = await c.conn.request(method, cursor === undefined ? undefined : { cursor }, { timeoutMs: Math.max(1, Math.ceil(until - performance.now())) })
    } catch (e) {
      throw page === 0 ? new FirstPageRefused(e) : e
    }
    const r = result as Record<string, unknown> | null
    if (typeof r !== "object" || r === null || !Array.isArray(r[field])) throw new ListShape(`answered ${method} without a ${field} array (${shape(r)})`)
    all.push(...(r[field] as unknown[]))
    const next = r.nextCursor
    if (typeof next !== "string" || next === "" || next === cursor) return { items: all, whole: next !== cursor || cursor === undefined }
    cursor = next
  }
  return { items: all, whole: false }
}

/** A listing's first request refused (its error is `cause`): read as "not served" when it is -32601 where serve reads it so. */
class FirstPageRefused extends Error {
  readonly rpcCode: number | undefined
  constructor(override readonly cause: unknown) {
    super(errorMessage(cause))
    this.rpcCode = (cause as { rpcCode?: number }).rpcCode
  }
}

function declares(caps: Record<string, unknown> | undefined, key: string): boolean {
  return caps !== undefined && caps[key] !== undefined && caps[key] !== null && caps[key] !== false
}

type Others = Pick<ServerStart, "prompts" | "resources" | "resourceTemplates" | "listFailures">

/**
 * Its prompts and resources, where it declares them, listed as serve lists them (proxy/list-parts):
 * "method not found" to a declared list is none (serve reads it so, with a note), resource
 * templates that fail are none unless the answer is no list; any other failure is a listFailure,
 * said as a warning: its tools work, these do not.
 */
async function listOthers(name: string, c: Connected, b: { ms: number; key: string }, until: number): Promise<Others> {
  const caps = c.info.capabilities as Record<string, unknown> | undefined
  const parts: { method: string; field: string; key: "prompts" | "resources" | "resourceTemplates"; lenient?: true }[] = []
  if (declares(caps, "prompts")) parts.push({ method: "prompts/list", field: "prompts", key: "prompts" })
  if (declares(caps, "resources")) parts.push({ method: "resources/list", field: "resources", key: "resources" }, { method: "resources/templates/list", field: "resourceTemplates", key: "resourceTemplates", lenient: true })
  const out: Others = {}
  const failures: NonNullable<Others["listFailures"]> = []
  await Promise.all(
    parts.map(async (p) => {
      try {
        out[p.key] = (await listAll(c, p.method, p.field, until)).items.length
      } catch (e) {
        if (e instanceof FirstPageRefused && (p.lenient || e.rpcCode === -32601)) return
        if (p.lenient && !(e instanceof ListShape)) return
        failures.push(otherFailure(name, c, p.method, e instanceof FirstPageRefused ? e.cause : e, b))
      }
    }),
  )
  if (failures.length) out.listFailures = failures.sort((x, y) => x.method.localeCompare(y.method))
  return out
}

/** A prompts or resources listing that failed while the tools listed: its error (and what stderr says), with what to do. */
function otherFailure(name: string, c: Connected, method: string, e: unknown, b: { ms: number; key: string }): NonNullable<Others["listFailures"]>[number] {
  const said = stderrReason(c.stderrTail(STDERR_REASON_BYTES))
  const stderr = said ? `\nstderr: ${said}` : ""
  const code = isOrchestratorError(e) ? e.code : undefined
  const what = method.startsWith("prompts") ? "prompts" : "resources"
  const where = c.transport !== "stdio" ? "check its status or logs" : "run it by hand to see its output"
  if (e instanceof ListShape) return { code: "BAD_RESPONSE", method, message: `server ${name} lists its tools, but ${e.message}`, remedy: `Its ${method} answer is not MCP: update the server, or report it to its authors; its tools work.` }
  if (code === "TIMEOUT") return { code, method, message: `server ${name} lists its tools, but did not answer ${method} within what was left of ${b.key} (${b.ms / 1000} s for its whole start and listings)${stderr}`, remedy: `Its ${what} are not available until it answers: ${where}, or raise ${b.key} if it is only slow; its tools work.` }
  if (e instanceof RpcError) {
    return {
      ...(code ? { code } : {}),
      method,
      message: `server ${name} lists its tools, but ${method} failed: ${errorMessage(e)}${stderr}`,
      remedy: `Its ${what} are not available (serve shows this listing failed in orchestrator_status): check what the server depends on (a database, a service it connects to, a path or credential in its args or env), then ${where}; its tools work.`,
    }
  }
  return { ...(code ? { code } : {}), method, message: `server ${name} lists its tools, but ${method} failed: ${errorMessage(e)}${stderr}`, remedy: `${listRemedy(method, e).replace(/\.$/, "")}; its tools work.` }
}

class ListShape extends Error {}

function shape(v: unknown): string {
  if (v === null || typeof v !== "object") return `got ${v === null ? "null" : typeof v}`
  const keys = Object.keys(v).slice(0, 5)
  return keys.length ? `keys: ${keys.join(", ")}` : "an empty object"
}

/** A failed connect as pool/connect words it (its message and remedy: the reason from stderr, the env entry, the interpreter). */
function failure(e: unknown, b: { ms: number; key: string }, remote = false): ServerStart["error"] {
  if (isOrchestratorError(e)) {
    const remedy = e.remedy ?? undefined
    const timedOut = /within .*connectTimeout/.test(e.message)
    // pool/connect puts the remedy of a missing variable in the text too (a later call quotes only
    // the text): here it is shown once, as the remedy
    const message = remedy && e.message.endsWith(` ${remedy}`) ? e.message.slice(0, -remedy.length - 1) : e.message
    return {
      code: e.code,
      message,
      ...(remedy || timedOut ? { remedy: timedOut ? `${remedy ? `${remedy} ` : ""}${remote ? `Check the server's status, or raise ${b.key} if it is only slow.` : `A first start may download the server (npx -y, uvx): run doctor again once it has, or raise ${b.key}.`}`.trim() : remedy } : {}),
    }
  }
  return { message: errorMessage(e) }
}

/** A tools/list that failed after a good start: its error, or its exit (with what its stderr says); for a remote server, a refused login or token named with what to do. */
function listFailure(name: string, spec: ServerSpec, c: Connected, e: unknown, b: { ms: number; key: string }): ServerStart["error"] {
  const exit = c.exitSummary()
  const said = stderrReason(c.stderrTail(STDERR_REASON_BYTES))
  const stderr = said ? `\nstderr: ${said}` : ""
  const remote = c.transport !== "stdio"
  const started = remote ? "connected" : "started"
  const answered = remote ? "accepted the connection" : "answered initialize"
  if (e instanceof ListShape) return { code: "BAD_RESPONSE", message: `server ${name} ${started} but ${e.message}`, remedy: "The server's tools/list answer is not MCP: update the server, or report it to its authors." }
  const code = isOrchestratorError(e) ? e.code : undefined
  // a login that is needed (or refused and not renewable) only once tools are asked for: auth/serve's words and its `auth login` command
  if (code === "NEEDS_AUTH" && isOrchestratorError(e)) {
    const why = e.message.startsWith(`server ${name} needs authorization: `) ? e.message.slice(`server ${name} needs authorization: `.length) : e.message
    return { code, message: `server ${name} ${answered} but needs a login to list its tools: ${why}`, ...(e.remedy ? { remedy: e.remedy } : {}) }
  }
  const status = isOrchestratorError(e) ? (e.details as { status?: unknown } | undefined)?.status : undefined
  if (remote && (status === 401 || status === 403)) {
    const key = `servers.${name}`
    const header = "url" in spec && setsAuthorizationHeader(spec)
    return {
      code,
      message: `server ${name} ${answered} but refused tools/list (HTTP ${status}): ${header ? `the credentials in ${key}.headers.Authorization are not enough to list its tools` : "it wants credentials to list its tools"}`,
      remedy: header
        ? `The token is wrong, expired or lacks access: renew it and update ${key}.headers (or the variable it comes from); its value is not shown here.`
        : `Run mcp-orchestrator auth login ${name} (OAuth), or set ${key}.headers.Authorization if the server takes a static token.`,
    }
  }
  if (exit) return { ...(code ? { code } : {}), message: `server ${name} answered initialize, then ${exit} on tools/list${stderr}`, remedy: "Its tool listing crashes it: read its stderr above, run it by hand, or update it." }
  // an answer it sent that cannot be used (over pool.maxFrameBytes, cut short, no JSON-RPC answer): serve's words for it
  if (code === "FRAME_TOO_LARGE" || code === "RESULTS_OVER_BUDGET" || code === "BAD_RESPONSE") return { code, message: `server ${name} ${answered} but tools/list failed: ${errorMessage(e)}${stderr}`, remedy: listRemedy("tools/list", e) }
  if (code === "TIMEOUT") return { code, message: `server ${name} ${answered} but did not answer tools/list within ${b.key} (${b.ms / 1000} s for its whole start and listings)${stderr}`, remedy: `${remote ? "Check the server's status or logs" : "Run it by hand to see why it does not list its tools"}, or raise ${b.key} if it is only slow.` }
  return {
    ...(code ? { code } : {}),
    message: `server ${name} ${answered} but tools/list failed: ${errorMessage(e)}${stderr}`,
    remedy: remote ? "Read the error: the server refuses to list its tools (a missing setting or permission, a bug on its side); check its status or logs." : "Read the error: the server refuses to list its tools (a missing setting or login, a bug); run it by hand to see its output.",
  }
}
