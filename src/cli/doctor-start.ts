/**
 * @module cli/doctor-start
 * `doctor` starting each enabled stdio server as `serve` starts it (pool/connect: the same minimal
 * environment plus its `env`/`envFile`, its `cwd`, the protocol-era detection, `initialize`, within
 * its connect budget: `servers.NAME.connectTimeout`, else `pool.connectTimeout`), then asking for
 * its tools (`tools/list`, every page, within the same budget) and stopping it (stdin EOF, then the
 * process group's SIGTERM and SIGKILL after `EXIT_GRACE_MS` each, then whatever it left outside its
 * group). A server that exits at start (a missing token), crashes, hangs before answering or fails
 * its `tools/list` is reported with the reason its stderr gives and the remedy pool/connect found
 * (the env entry to write, the interpreter to install); one that works with its tool count and
 * protocol revision. Servers start in parallel, at most `PARALLEL_STARTS` at once. Never shown: an
 * env value (only names, as pool/connect words them; the report is redacted as a whole after).
 */
import type { LoadedConfig, StdioServerSpec } from "../config/index.ts"
import { createLogHub, createLogger, endLeftBehind, errorMessage, EXIT_GRACE_MS, isOrchestratorError, liveChildren } from "../core/index.ts"
import { connect, FileEraStore, STDERR_REASON_BYTES, stderrReason, type Connected } from "../pool/index.ts"
import type { Check } from "./doctor-run.ts"

/** How many servers start at once (each may be an `npx` download; the machine may be small). */
export const PARALLEL_STARTS = 8
/** Pages of `tools/list` read at most (a server whose cursor never ends is not followed forever). */
const MAX_PAGES = 100

/** One stdio server's start, as `doctor --json` lists it under `servers`. */
export interface ServerStart {
  name: string
  transport: "stdio"
  /** ok: started and listed its tools; failed: did not start (or cannot: its command or cwd is not there) or did not list; skipped: not started (`skipped` says why). */
  status: "ok" | "failed" | "skipped"
  tools?: number
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
}

/** Starts every enabled stdio server not in `skip`; a check per server and the `servers` rows. */
export async function startStdioServers(loaded: LoadedConfig, env: Record<string, string | undefined>, o: StartOptions): Promise<{ checks: Check[]; servers: ServerStart[] }> {
  const { stateHome } = await import("../config/index.ts")
  const entries = Object.entries(loaded.config.servers).filter((e): e is [string, StdioServerSpec] => "command" in e[1] && !e[1].disabled)
  if (!entries.length) return { checks: [], servers: [] }
  // what the connects log (a server that closed its stdout, an oversize message) goes to stderr as
  // JSON lines, warnings and errors only: stdout is the report
  const log = createLogger(createLogHub("warn"), "doctor")
  // the era verdicts serve remembers are used (and what is found here is remembered for serve)
  const eras = new FileEraStore(stateHome(env))
  const rows: ServerStart[] = entries.map(([name]) => {
    const p = o.problems.get(name)
    if (p) return { name, transport: "stdio", status: "failed", error: { code: "CONNECT_FAILED", message: p.message, remedy: p.remedy } }
    return { name, transport: "stdio", status: "skipped", ...(o.skip.has(name) ? { skipped: o.skip.get(name)! } : {}) }
  })
  const todo = entries.map((e, i) => ({ name: e[0], spec: e[1], row: rows[i]! })).filter((t) => !o.skip.has(t.name) && !o.problems.has(t.name))
  let next = 0
  const worker = async (): Promise<void> => {
    for (let t = todo[next++]; t; t = todo[next++]) Object.assign(t.row, await startOne(t.name, t.spec, loaded, log, eras))
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_STARTS, todo.length) }, worker))
  // a failed start's process is being stopped when its connect fails (stdin EOF, SIGTERM, SIGKILL
  // to its group, EXIT_GRACE_MS apart): waited for, so none is running when the report is printed
  const until = performance.now() + 4 * EXIT_GRACE_MS + 1000
  while (liveChildren() > 0 && performance.now() < until) await Bun.sleep(10)
  // what a server left running outside its process group (a helper it detached): ended too
  await endLeftBehind().catch(() => 0)
  const checks: Check[] = []
  for (const r of rows) {
    if (o.problems.has(r.name)) continue
    if (r.status === "ok") checks.push({ name: "servers", status: "ok", detail: `server ${r.name} started: ${r.tools} tool${r.tools === 1 ? "" : "s"}, MCP ${r.protocolVersion}${r.serverInfo ? ` (${r.serverInfo.name} ${r.serverInfo.version})` : ""}, ${((r.ms ?? 0) / 1000).toFixed(1)} s; stopped again` })
    else if (r.status === "failed") checks.push({ name: "servers", status: "warn", detail: r.error!.message, ...(r.error!.remedy ? { remedy: r.error!.remedy } : {}) })
  }
  return { checks, servers: rows }
}

/** This server's connect budget and the setting it comes from (as pool/session decides it). */
function budget(name: string, spec: StdioServerSpec, loaded: LoadedConfig): { ms: number; key: string } {
  const own = (spec as { connectTimeout?: number }).connectTimeout
  return own !== undefined ? { ms: own, key: `servers.${name}.connectTimeout` } : { ms: loaded.config.pool.connectTimeout, key: "pool.connectTimeout" }
}

async function startOne(name: string, spec: StdioServerSpec, loaded: LoadedConfig, log: ReturnType<typeof createLogger>, eras: FileEraStore): Promise<Partial<ServerStart>> {
  const started = performance.now()
  const took = (): number => Math.round(performance.now() - started)
  const b = budget(name, spec, loaded)
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
      eras,
    })
  } catch (e) {
    return { status: "failed", ms: took(), error: failure(e, b) }
  }
  const base: Partial<ServerStart> = { protocolVersion: c.info.protocolVersion, era: c.era.era, ...(c.info.serverInfo ? { serverInfo: { name: String(c.info.serverInfo.name), version: String(c.info.serverInfo.version) } } : {}) }
  try {
    const tools = await listTools(c, b.ms)
    return { ...base, status: "ok", tools, ms: took() }
  } catch (e) {
    const why = listFailure(name, c, e, b)
    return { ...base, status: "failed", ms: took(), error: why }
  } finally {
    await c.conn.close().catch(() => {})
  }
}

/** Every page of its tools/list within `ms` (the whole listing); how many tools. */
async function listTools(c: Connected, ms: number): Promise<number> {
  const until = performance.now() + ms
  const caps = c.info.capabilities as Record<string, unknown> | undefined
  let count = 0
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    let result: unknown
    try {
      result = await c.conn.request("tools/list", cursor === undefined ? undefined : { cursor }, { timeoutMs: Math.max(1, Math.ceil(until - performance.now())) })
    } catch (e) {
      // a server that declares no tools and has no tools/list serves none (as the proxy takes it)
      if (page === 0 && caps && (caps.tools === undefined || caps.tools === null) && (e as { rpcCode?: number }).rpcCode === -32601) return 0
      throw e
    }
    const r = result as { tools?: unknown; nextCursor?: unknown } | null
    if (typeof r !== "object" || r === null || !Array.isArray(r.tools)) throw new ListShape(`answered tools/list without a tools array (${shape(r)})`)
    count += r.tools.length
    if (typeof r.nextCursor !== "string" || r.nextCursor === "" || r.nextCursor === cursor) return count
    cursor = r.nextCursor
  }
  return count
}

class ListShape extends Error {}

function shape(v: unknown): string {
  if (v === null || typeof v !== "object") return `got ${v === null ? "null" : typeof v}`
  const keys = Object.keys(v).slice(0, 5)
  return keys.length ? `keys: ${keys.join(", ")}` : "an empty object"
}

/** A failed connect as pool/connect words it (its message and remedy: the reason from stderr, the env entry, the interpreter). */
function failure(e: unknown, b: { ms: number; key: string }): ServerStart["error"] {
  if (isOrchestratorError(e)) {
    const remedy = e.remedy ?? undefined
    const timedOut = /within .*connectTimeout/.test(e.message)
    // pool/connect puts the remedy of a missing variable in the text too (a later call quotes only
    // the text): here it is shown once, as the remedy
    const message = remedy && e.message.endsWith(` ${remedy}`) ? e.message.slice(0, -remedy.length - 1) : e.message
    return {
      code: e.code,
      message,
      ...(remedy || timedOut ? { remedy: timedOut ? `${remedy ? `${remedy} ` : ""}A first start may download the server (npx -y, uvx): run doctor again once it has, or raise ${b.key}.`.trim() : remedy } : {}),
    }
  }
  return { message: errorMessage(e) }
}

/** A tools/list that failed after a good start: its error, or its exit (with what its stderr says). */
function listFailure(name: string, c: Connected, e: unknown, b: { ms: number; key: string }): ServerStart["error"] {
  const exit = c.exitSummary()
  const said = stderrReason(c.stderrTail(STDERR_REASON_BYTES))
  const stderr = said ? `\nstderr: ${said}` : ""
  if (e instanceof ListShape) return { code: "BAD_RESPONSE", message: `server ${name} started but ${e.message}`, remedy: "The server's tools/list answer is not MCP: update the server, or report it to its authors." }
  const code = isOrchestratorError(e) ? e.code : undefined
  if (exit) return { ...(code ? { code } : {}), message: `server ${name} answered initialize, then ${exit} on tools/list${stderr}`, remedy: "Its tool listing crashes it: read its stderr above, run it by hand, or update it." }
  if (code === "TIMEOUT") return { code, message: `server ${name} answered initialize but did not answer tools/list within ${b.key} (${b.ms / 1000} s)${stderr}`, remedy: `Run it by hand to see why it does not list its tools, or raise ${b.key} if it is only slow.` }
  return { ...(code ? { code } : {}), message: `server ${name} answered initialize but tools/list failed: ${errorMessage(e)}${stderr}`, remedy: "Read the error: the server refuses to list its tools (a missing setting or login, a bug); run it by hand to see its output." }
}
