/**
 * @module app/serve
 * Runs the orchestrator: MCP over stdio (the default, how Cursor starts it) and/or Streamable HTTP.
 * The stdio face answers `initialize` before the rest of the orchestrator is even loaded: the
 * orchestrator (cache, Toolkit driver, pool, plugins) is imported and built right after the first
 * client message is answered, and list/call requests wait for it. Shuts down on stdin EOF or the
 * parent's death (stdio mode, or HTTP only with stdin a pipe), SIGINT, SIGTERM and SIGHUP from any state, within 1.8 s; a second
 * signal ends it at once. No path out leaves a child process behind, nor what a child moved out of
 * its process group (app/shutdown, core/children).
 * Every request gets an answer: one that arrives once shutdown began is answered at once with
 * SHUTTING_DOWN, the ones in flight get up to 1 s to finish, then are cancelled (downstream too)
 * and answered with SHUTTING_DOWN, on both faces (on a second signal at once, before the exit);
 * HTTP listens until the end of the shutdown, so a late request is answered, not refused.
 * With a config file in use, SIGHUP reloads it instead (as do changes to the file: app/reload).
 * HTTP that cannot be served (the address is taken: a second editor window with the same config)
 * is an error line; with stdio served, stdio goes on without HTTP; HTTP only, the serve stops.
 * Stdin that ends before its first byte while HTTP is configured (a service manager's /dev/null,
 * `docker run` without -i) had no client on it: the serve goes on HTTP only, as `--no-stdio`
 * (app/stdin-end; the parent is still watched when stdin was a pipe).
 */
import { isatty } from "node:tty"
import { join } from "node:path"
import { configHome, DEFAULT_NAMES, unknownToolset, type LoadedConfig } from "../config/index.ts"
import { armParentWatch, becomeSubreaper, createLogger, endLeftBehind, errorMessage, holdForTest, holdLoopForTest, jitInteractiveSoon, OrchestratorError, trimWhenQuiet, type LogHub, type Logger } from "../core/index.ts"
import { createMcpFace, FastLaneTransport, LineStdioServerTransport, processIO, type McpFace, type StdinHandover } from "../mcp/index.ts"
import type { HttpServer } from "./http-server.ts"
import type { Orchestrator } from "./orchestrator.ts"
import type { ConfigReloader } from "./reload.ts"
import { PARENT_POLL_MS, Shutdown, startParent, watchParent } from "./shutdown.ts"
import { GUARD_GRACE_MS, guardExit } from "./exit-guard.ts"
import { stdinIsPipe, watchInput } from "./stdin-end.ts"
import { watchStdoutClosed } from "./stdout-watch.ts"
import { BUSY_WAIT_MS, startWhileBusy } from "./listen-busy.ts"
import { logInvalidServers } from "./invalid-servers.ts"
import { ToolSnapshot, type Completeness, type EarlyKey, type EarlyListing } from "./tool-snapshot.ts"

export interface ServeOptions {
  stdio: boolean
  logHub: LogHub
  /**
   * Stdin as the early face left it (it may have answered `initialize`, and the first tools/list
   * from the snapshot, already), with the key of its early index.
   */
  stdin?: StdinHandover & { early?: EarlyKey; listed?: EarlyListing; outputClosed?: boolean }
  /** SIGHUP, SIGINT and SIGTERM held since the process started (src/early-signals): acted on once serve listens. */
  held?: HeldSignals
}

/** Signals held until serve listens for them (src/early-signals, main.ts). */
export interface HeldSignals {
  /** Stops holding them; returns each one that came meanwhile, in order of first arrival. */
  release(): readonly NodeJS.Signals[]
  /** Those that came so far, still held (a synchronous wait of the start ends on one: core/start-end). */
  pending?(): readonly NodeJS.Signals[]
}

/** From the first shutdown trigger to the process exit, at most (then children are killed, exit). */
const SHUTDOWN_BUDGET_MS = 1800
/** On stdin EOF or a signal, requests already received are still answered for up to this long. */
const DRAIN_MS = 1000
/**
 * Then what is still in flight is answered with SHUTTING_DOWN; stdout is waited for while the
 * client reads it: until it took everything, or until it took nothing for this long (stdout may be
 * a pipe nobody reads), bounded by the shutdown budget (or while the downstreams close, whichever
 * is longer).
 */
const FLUSH_MS = 100
/** Build the orchestrator at the latest this long after start, even if no client message came. */
const LOAD_FALLBACK_MS = 50
/** An answer nothing is known about (no orchestrator yet) is never stored. */
const INCOMPLETE: Completeness = { complete: false }

/**
 * The error a request gets from a stopping orchestrator (SHUTTING_DOWN, `why` it stops): `late` when
 * it arrived after shutdown began (not served), else it was in flight and was cancelled; `tool` for a
 * tools/call (the face answers it as a tool error result, anything else as a JSON-RPC error).
 */
function stoppingError(why: string): (late: boolean, tool: boolean) => OrchestratorError {
  return (late, tool) => {
    const what = tool ? "call" : "request"
    const fate = late ? `the ${what} arrived after shutdown began and was not served` : `the ${what} was cancelled${tool ? " downstream" : ""}`
    return new OrchestratorError("protocol", "SHUTTING_DOWN", `the orchestrator is stopping (${why}); ${fate} — retry when it is back`)
  }
}

/**
 * Everything written to `stdio` is taken by the client, or the client took nothing for `idleMs`: a
 * large answer still going out to a client that reads it is not cut by the exit, a client that
 * stopped reading does not hold it.
 */
async function whileRead(stdio: LineStdioServerTransport, idleMs: number): Promise<void> {
  let done = false
  const flushed = stdio.flushed().then(
    () => void (done = true),
    () => void (done = true),
  )
  for (let before = stdio.taken(); ; ) {
    await atMost(flushed, idleMs)
    const now = stdio.taken()
    if (done || now === before) return
    before = now
  }
}

/** `p`, waited for at most `ms`. */
async function atMost(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([p.catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, ms)))])
  clearTimeout(timer)
}

/** Why HTTP could not be served, as log fields: the address, the key and where it is set, a remedy. */
function httpProblem(e: unknown, loaded: LoadedConfig): Record<string, unknown> {
  const listen = loaded.config.http.listen
  const source = loaded.sources.get("http.listen")
  const where = `http.listen${source ? ` (${source})` : ""}`
  const code = (e as { code?: unknown }).code
  const given = (e as { remedy?: unknown }).remedy
  const remedy =
    typeof given === "string"
      ? given
      : code === "EADDRINUSE"
        ? `Another process listens on ${listen} (another editor window's orchestrator, started with the same config?). Set ${where} to a free port, or serve HTTP from one of them only (\`serve --http PORT\` there, no http.listen in the shared config), or stop the other process.`
        : typeof code === "string"
          ? `Set ${where} to an address of this machine and a port it may open (ports below 1024 need privileges); ${listen} cannot be opened (${code}).`
          : undefined
  return { setting: "http.listen", listen, ...(source ? { source } : {}), error: errorMessage(e), ...(typeof code === "string" ? { code } : {}), ...(remedy ? { remedy } : {}) }
}

/**
 * What is wrong with the config that the serve goes on with: a server missing from every list, a
 * config file not read, a key ignored. Logged first, before anything can end the serve (stdin at
 * its end already, a SIGTERM, a fatal error, a usage error): said last, they were lost then.
 */
export function logConfigProblems(log: Logger, loaded: LoadedConfig): void {
  logInvalidServers(log, loaded.invalidServers)
  for (const w of loaded.warnings ?? []) log.warn("config", { problem: w })
}

/** Resolves with the process exit code once the orchestrator has stopped. */
export async function serve(loaded: LoadedConfig, opts: ServeOptions): Promise<number> {
  const log = createLogger(opts.logHub, "app")
  // said at once, however soon the serve ends (stdin at its end already, a SIGTERM, a fatal error)
  logConfigProblems(log, loaded)
  // before any downstream starts: what a downstream's helper leaves orphaned comes to us, not to
  // init, so it ends with us (core/subreaper; Linux, else one debug line)
  await becomeSubreaper((message, fields) => log.debug(message, fields))
  let http: HttpServer | undefined
  let stdioFace: McpFace | undefined
  let stdio: LineStdioServerTransport | undefined
  let lane: FastLaneTransport | undefined
  /** stdio is served (false with --no-stdio, or once stdin ended before any byte and HTTP goes on alone). */
  let stdioServed = opts.stdio
  /** HTTP was configured but could not be served. */
  let httpFailed = false

  // --- the orchestrator, built once, off the initialize path ---
  let orch: Orchestrator | undefined
  let loading: Promise<Orchestrator> | undefined
  let settle!: { resolve(o: Orchestrator): void; reject(e: unknown): void }
  /** Resolves once the orchestrator is built; building starts only when `load()` is first called. */
  const built = new Promise<Orchestrator>((resolve, reject) => (settle = { resolve, reject }))
  built.catch(() => {})
  const load = (): Promise<Orchestrator> => {
    loading ??= import("./orchestrator.ts")
      // a server's changed list is stored only once the stored first answer is marked superseded
      .then((m) => m.createOrchestrator(loaded, { logHub: opts.logHub, onToolsStored: (s, print) => snapshot.superseded(s, print), onToolsDropped: (s) => snapshot.dropped(s) }))
      .then((o) => {
        orch = o
        // an answer given before every server had listed is stored once that turns out complete
        o.proxy.onToolsComplete(() => snapshot.completed(o.listPrints()))
        if (!shutdown.stopping) o.start()
        // the config loaded and the orchestrator stands: the next start like this one may answer
        // `initialize` at once, even if this run ends before a list is stored (after the start's own work)
        setTimeout(() => snapshot.vouchConfig(), 0).unref()
        return o
      })
    loading.then(settle.resolve, settle.reject)
    return loading
  }
  // answers already being written (a ~5 MB tools/list from the snapshot) go out first: building
  // the orchestrator blocks the event loop for a while and would stall them half-written
  const fallback = setTimeout(() => void (stdio?.flushed() ?? Promise.resolve()).then(load).catch(() => {}), LOAD_FALLBACK_MS)

  /** The shutdown's first write of what waits to be written (Orchestrator.saveNow), once started. */
  let saving: Promise<void> | undefined
  const shutdown = new Shutdown({
    log,
    budgetMs: SHUTDOWN_BUDGET_MS,
    guard: guardExit,
    steps: async (why) => {
      holdForTest()
      // the drain's second counts from the trigger (the writes below took part of it under load, and
      // the close after it has its graces fitted to what is left of the budget: core/children exitGrace)
      const began = performance.now()
      clearTimeout(fallback)
      stopWatch()
      stopOutputWatch()
      // From now on a request that arrives is answered at once with SHUTTING_DOWN, on both faces.
      const stop = stoppingError(why)
      lane?.refuse(stop)
      http?.app.refuse(stop)
      // What waits to be written (the last tools/list answer, stored lists, pins) is written first,
      // while the rest winds down: an exit at once (a second signal, the budget spent) waits for it
      // as for the last answers, and the next start's first answer has the tools this one listed.
      snapshot.flush()
      saving = orch?.saveNow().catch((e: unknown) => log.warn("saving the stored lists at shutdown failed", { error: errorMessage(e) }))
      // Answer what was already asked (a client may write requests and close stdin at once).
      const face = stdioFace
      const busy = (): boolean => (face?.pending() ?? 0) > 0 || (stdio?.pendingRequests ?? 0) > 0 || (http?.app.inFlight() ?? 0) > 0
      if (busy()) {
        if (!loading) void load().catch(() => {})
        const until = began + DRAIN_MS
        while (busy() && performance.now() < until) await Bun.sleep(5)
      }
      // What is still in flight is cancelled (downstreams are sent notifications/cancelled before
      // they are closed below) and answered with SHUTTING_DOWN: every request gets its answer.
      lane?.endInFlight(stop)
      http?.app.endInFlight(stop)
      await reloader?.[Symbol.asyncDispose]()
      // what is due is written now, and nothing after: answers given while the orchestrator is
      // closed (servers stopping mid-listing) are no state to start from
      snapshot.close()
      // the stdio face says nothing more (no list_changed while servers close); its answers still
      // go out while the rest closes
      stdioFace?.dispose()
      // Never started loading: nothing to close (and nothing is imported just to be closed).
      const o = orch ?? (loading ? await loading.catch(() => undefined) : undefined)
      // At once: stdout is flushed (waited for while the client reads it, FLUSH_MS at most without
      // progress, or while the downstreams close: a client that does not read cannot hold the exit), the HTTP sessions close (their streams
      // end; the listener stays up, answering SHUTTING_DOWN), the downstreams close.
      await Promise.all([stdio ? whileRead(stdio, FLUSH_MS) : undefined, http?.app[Symbol.asyncDispose](), o?.[Symbol.asyncDispose]()])
      // what the downstreams left running outside their process groups (`setsid`, daemons) goes too
      const left = await endLeftBehind()
      if (left > 0) log.info("ended processes the downstreams left running", { processes: left })
      // last: HTTP stops listening and closes every connection once its answers are out (idle
      // keep-alive ones at once; bounded by app/http-server CLOSE_GRACE_MS)
      await Promise.all([http?.[Symbol.asyncDispose](), stdio?.close()])
    },
    // exiting at once (a second signal, the budget spent): what the clients are still owed is
    // answered now, and waited for (app/shutdown FINAL_MS at most) while the children are killed
    final: (why) => {
      const stop = stoppingError(why)
      lane?.endInFlight(stop)
      if (!http) return Promise.all([stdio?.flushed(), saving])
      http.app.refuse(stop)
      http.app.endInFlight(stop)
      // the sessions' streams end too (their GET requests would count as answers still being written)
      void Promise.resolve(http.app[Symbol.asyncDispose]()).catch(() => {})
      return Promise.all([stdio?.flushed(), http.drained(), saving])
    },
  })

  const onSignal = (sig: NodeJS.Signals) => shutdown.signal(sig)
  // SIGHUP reloads the config file when one is in use (before the orchestrator is built: once it is).
  let reloader: ConfigReloader | undefined
  let hupPending = false
  const reloadable = !!loaded.file && loaded.file.via !== "embedded" && !!loaded.reload
  const onHup = (sig: NodeJS.Signals): void => {
    // a config file written since a start without one is reloaded too: applied by the reloader
    // (loaded.file), or written a moment ago, its watch event not in yet (the user wrote it, then
    // sent SIGHUP to apply it: stopping then would lose the servers it names until the next start)
    if (!(reloadable || (reloader && (loaded.file || reloader.changedSinceApplied()))) || shutdown.stopping) return onSignal(sig)
    if (reloader) void hup(reloader)
    else hupPending = true
  }
  // SIGHUP: the config file is read again, then the plugin directories are scanned again (a
  // directory that came back, or one whose watch could not begin, is read even when the config is unchanged)
  const hup = (r: ConfigReloader): Promise<void> =>
    r
      .reload("SIGHUP")
      .catch(() => {})
      .then(() => o?.rescanPlugins())
      .catch((e) => log.warn("plugins failed to re-scan", { error: errorMessage(e) }))
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  process.on("SIGHUP", onHup)
  // what came before these handlers (held since the start: src/early-signals) is acted on once what
  // the shutdown steps use is set up (below), in order: a stop, a reload, a stop then another (an exit at once)
  const heldSignals = opts.held?.release() ?? []
  const unhook = (): void => {
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
    process.off("SIGHUP", onHup)
  }
  // Over stdio the parent is the client: when it dies without closing our stdin, stop too. HTTP
  // only (--no-stdio), the same when stdin is a pipe or socket: it was given by a process that can
  // die (a client or launcher that starts the HTTP server as its child), and an orphan would hold
  // the port, and every downstream, for good (app/stdin-end; /dev/null, a file, a terminal tie us to no parent).
  const parentWatched = opts.stdio || stdinIsPipe()
  let stopWatch = parentWatched ? watchParent(() => shutdown.trigger("parent process exited")) : () => {}
  // ...and from outside the event loop, which a long synchronous step may hold (core/reaper): past
  // our own poll, the budget and the exit guard's grace, the watchdog ends us
  if (parentWatched) armParentWatch(startParent(), PARENT_POLL_MS + SHUTDOWN_BUDGET_MS + GUARD_GRACE_MS)
  holdLoopForTest()
  // ...and when it closed its end of our stdout while we had nothing to write (a write sees it at once)
  let stopOutputWatch = opts.stdio ? watchStdoutClosed(() => shutdown.trigger("stdout closed")) : () => {}

  // a login or refresh since the snapshot was written is a secret it must not be served with
  // (tool-snapshot readAnswer); loaded only for a config with remote servers (OAuth stays lazy)
  if (Object.values(loaded.config.servers).some((s) => typeof (s as { url?: unknown }).url === "string")) (await import("../auth/stored-logins.ts")).registerStoredLogins(loaded.config.servers)
  const snapshot = new ToolSnapshot(loaded, process.env, opts.stdio ? opts.stdin?.early : undefined, createLogger(opts.logHub, "snapshot"))
  const listed = opts.stdio ? opts.stdin?.listed : undefined
  if (opts.stdio) {
    // The early face answered tools/list already: the face holds what the client saw (list_changed
    // follows when the real list differs), without reading the file again.
    if (listed && !snapshot.adoptEarly(listed)) log.warn("the early face answered tools/list from another snapshot than this config's", { snapshot: listed.path })
    const last = listed?.bytes ?? snapshot.readAnswer()
    const face: McpFace = createMcpFace({
      log: createLogger(opts.logHub, "mcp"),
      logHub: opts.logHub,
      services: built.then((o) => o.servicesFor(() => face.server)),
      onToolCall: (e) => orch?.metrics?.observeToolCall(e),
      usageLinesPerSecond: () => loaded.config.log.callLinesPerSecond,
      ...(last ? { snapshot: last } : {}),
      // a list answer over it leaves out the largest tools, not every tool (read at each new answer: a reload changes it)
      maxListBytes: () => loaded.config.proxy.maxMessageBytes,
      // the early face gave the client `last` already: its replay is recorded as that answer
      ...(listed ? { snapshotAnswered: true } : {}),
      // stored only when built from every server's list (proxy toolsListing), never from a half-started state
      // and only while the plugins' tools hooks shape it: not while stopping (a list built then, the
      // orchestrator winding down or never started, lacks them), nor before they loaded (orchestrator pluginsSettled)
      onToolsListed: (tools, answer) => {
        const settled = !shutdown.stopping && orch?.pluginsSettled() === true
        // with each server's list fingerprint: the next writer compares its own with them (app/tool-snapshot)
        snapshot.save(tools, answer, (settled ? orch?.proxy.toolsListing() : undefined) ?? INCOMPLETE, settled ? orch?.listPrints() : undefined)
      },
      // the stdio transport writes a list answer's memoised text as it is
      textLists: true,
    })
    stdioFace = face
    const input = watchInput(opts.stdin?.input ?? (Bun.stdin.stream() as unknown as AsyncIterable<Uint8Array>))
    const io = new LineStdioServerTransport(processIO(input.input), opts.stdin?.answered, { maxMessageBytes: loaded.config.proxy.maxMessageBytes })
    stdio = io
    // an answer over proxy.maxMessageBytes names the server it came from
    io.serverOf = (method, params) => orch?.proxy.serverOf(method, params)
    // Before connect: stdin may already be at EOF when reading starts (`serve < /dev/null`).
    io.oninputend = () => {
      if (input.received() || !loaded.config.http.listen || httpFailed || shutdown.stopping) return shutdown.trigger("stdin closed")
      // no client ever wrote to stdin (a service manager's /dev/null, `docker run` without -i): HTTP goes on alone
      stdioServed = false
      // stdout is no client's channel any more (a service manager's log)
      stopOutputWatch()
      stopOutputWatch = () => {}
      const pipe = stdinIsPipe()
      if (!pipe) {
        stopWatch()
        stopWatch = () => {}
      }
      face.dispose()
      log.info("stdin ended before any MCP message; serving HTTP only (as --no-stdio) until a signal stops it", {
        http: loaded.config.http.listen,
        parentWatched: pipe,
      })
    }
    // the client closed its end of our stdout: no answer can reach it any more (it would otherwise
    // keep the downstreams running for as long as stdin stays open)
    io.onoutputend = () => shutdown.trigger("stdout closed")
    // an invalid message without an id gets no answer (no one waits for it): said here, the 1st, 10th, 100th…
    io.onunanswered = (problem, count) => log.warn("stdio: an invalid message without an id was not answered (a message without an id gets no answer, not even an error)", { problem: problem.slice(0, 300), unansweredSoFar: count })
    const transport = new FastLaneTransport(io, face, log)
    lane = transport
    await face.server.connect(transport)
    // After connect (the SDK sets it): build the orchestrator once the first message has been answered.
    const loadAfterAnswer = (): void => {
      // a client is here: the orchestrator is built once what it asked is answered (a 5 MB
      // tools/list from the snapshot included), not by the fallback timer in the middle of it
      clearTimeout(fallback)
      if (!loading) setTimeout(() => void io.flushed().then(load).catch(() => {}), 0)
    }
    const sdkOnMessage = transport.onmessage
    transport.onmessage = (m) => {
      sdkOnMessage?.(m)
      loadAfterAnswer()
    }
    // a 2026-07-28 client sends no initialize: its first request (maybe answered in the lane) starts loading too
    transport.onmodern = loadAfterAnswer
    // the early face found our stdout closed (its answer got EPIPE): as at any later write, the serve stops
    if (opts.stdin?.outputClosed) shutdown.trigger("stdout closed")
  }
  for (const sig of heldSignals) (sig === "SIGHUP" ? onHup : onSignal)(sig)

  // Whichever comes first: the orchestrator, or a shutdown (stdin may close before it is even
  // asked for; waiting on `built` then would wait forever).
  let o: Orchestrator
  try {
    const first = await Promise.race([opts.stdio || shutdown.stopping ? built : load(), shutdown.done])
    if (typeof first === "number") {
      unhook()
      return first
    }
    o = first
  } catch (e) {
    log.error("cannot start the orchestrator", { error: errorMessage(e) })
    shutdown.trigger("startup failed", 1)
    const code = await shutdown.done
    unhook()
    return code
  }

  if (loaded.config.http.listen && !shutdown.stopping) {
    try {
      // HTTP, hono and prom-client are loaded only when HTTP is served (keeps stdio cold start lean).
      const [{ startHttpServer }, { Metrics }, { documentedTools }] = await Promise.all([import("./http-server.ts"), import("../http/index.ts"), import("./tool-catalog.ts")])
      const metrics = new Metrics()
      metrics.setSources({ status: () => o.status(), cache: () => o.cache.stats() })
      // an address in use is waited for a while: the orchestrator this one replaces may still be stopping
      const start = (): HttpServer => startHttpServer({
        config: loaded.config.http,
        createFace: (toolset) => o.createFace(toolset),
        // read on each request: a toolset added by a config reload gets its /mcp/t/<name> path
        toolsets: () => Object.keys(loaded.config.toolsets),
        unknownToolset: (name) => unknownToolset(name, Object.keys(loaded.config.toolsets)),
        status: () => o.status(),
        stopping: () => shutdown.stopping,
        metrics,
        tools: documentedTools(),
        // as on stdio: an answer over proxy.maxMessageBytes becomes an error naming its server
        limit: {
          // read on each answer: a config reload changes it (config-diff LIVE_KEYS)
          get maxBytes() {
            return loaded.config.proxy.maxMessageBytes
          },
          serverOf: (method, params) => o.proxy.serverOf(method, params),
          dropped: (method, bytes) => log.warn("notification not sent: too large for the client", { face: "http", method, bytes, maxMessageBytes: loaded.config.proxy.maxMessageBytes }),
        },
        log: log.child("http"),
      })
      http = await startWhileBusy(start, {
        giveUp: () => shutdown.stopping,
        onBusy: () => log.info("HTTP address in use; trying again while it may be another orchestrator stopping", { listen: loaded.config.http.listen, waitMs: BUSY_WAIT_MS }),
      })
      // tool calls are counted only when /metrics is served
      o.metrics = metrics
      o.httpAddress = http.address
    } catch (e) {
      const problem = httpProblem(e, loaded)
      httpFailed = true
      // stopped while the address was waited for (app/listen-busy): no failure, nothing is served any more
      if (shutdown.stopping) log.info("HTTP not served: the serve stopped while its address was in use", { listen: problem.listen })
      // the stdio client (the editor that started us) keeps its server; HTTP is what is missing
      else if (stdioServed) {
        log.error("cannot serve HTTP; stdio goes on without it", problem)
        o.httpError = [`${String(problem.listen)}: ${String(problem.error)}`, problem.remedy].filter((x) => x !== undefined).join(" ")
      } else {
        log.error("cannot serve HTTP (HTTP only: --no-stdio); stopping", problem)
        shutdown.trigger("http failed", 1)
        const code = await shutdown.done
        unhook()
        return code
      }
    }
  }
  log.info("ready", {
    startupMs: Math.round(performance.now() * 10) / 10,
    modulesMs: (globalThis as { __mcpoModulesMs?: number }).__mcpoModulesMs,
    stdio: stdioServed,
    // the early face answered `initialize` (or a modern probe) before the app was loaded
    earlyInit: opts.stdio === true && opts.stdin?.answered !== undefined,
    earlyList: listed !== undefined,
    http: o.httpAddress ?? null,
    servers: Object.keys(loaded.config.servers).length,
    config: loaded.file?.path ?? null,
  })
  // run by hand in a terminal: say what this is and what to run instead (an editor never gives a tty)
  if (stdioServed && isatty(0)) {
    process.stderr.write(
      "mcp-orchestrator: this is an MCP server speaking JSON-RPC on stdin/stdout; an MCP client such as Cursor starts it " +
        "(`mcp-orchestrator cursor connect` adds it to Cursor). To try it: `mcp-orchestrator demo`; to check the setup: `mcp-orchestrator doctor`. Ctrl-D stops it.\n",
    )
  }
  jitInteractiveSoon()
  // the start's garbage and run-once code go back to the system once the first lists are over
  trimWhenQuiet()
  // no config file at start (nothing in the default location: a new user who writes it after Cursor
  // started the orchestrator): the default location is watched, and a file written there is applied
  const defaultFiles = !loaded.file && loaded.reload ? DEFAULT_NAMES.map((n) => join(configHome(process.env), n)) : undefined
  if ((reloadable || defaultFiles) && !shutdown.stopping) {
    const { ConfigReloader } = await import("./reload.ts")
    reloader = new ConfigReloader({ loaded, load: loaded.reload!, ...(defaultFiles ? { defaultFiles } : {}), proxy: o.proxy, logHub: opts.logHub, log: log.child("reload"), nested: o.nested, reapply: (keys) => {
        o.reapply(keys)
        // the stdio face's limit follows the running config too (the HTTP face reads it on each answer)
        if (stdio && keys.includes("proxy.maxMessageBytes")) stdio.maxMessageBytes = loaded.config.proxy.maxMessageBytes
      } })
    o.reloadStatus = () => reloader!.status()
    o.reloadSettled = () => reloader?.settled()
    if (hupPending) void hup(reloader)
  }
  if (!opts.stdio) log.info(parentWatched ? "no stdio: waiting for a signal, or the parent's exit, to stop" : "no stdio: waiting for a signal to stop", { parentWatched })
  const code = await shutdown.done
  unhook()
  return code
}
