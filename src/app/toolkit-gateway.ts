/**
 * @module app/toolkit-gateway
 * Keeps one long-lived `docker mcp gateway run` session in the pool while the Toolkit has enabled
 * servers: added when the first server is enabled, restarted after a change (so new tools appear and
 * removed ones go, with list_changed), removed (session closed) when no server is left enabled, and
 * started again with a new launch spec when the Toolkit CLI changes under it (profiles switched, an
 * upgrade in place; at a quiet moment). Its tools are exposed as `docker__<tool>`. Changes are serialised: one sync at a time.
 */
import { cutText, errorMessage, isOrchestratorError, type Logger } from "../core/index.ts"
import type { GatewayLaunchSpec as GatewayLaunch, ToolkitChange, ToolkitDriver } from "../docker/index.ts"
import { GATEWAY_HIDDEN_TOOLS as HIDDEN } from "../core/index.ts"
import { gatewayRemedy } from "../docker/remedy.ts"
import { DockerWait, dockerMayComeUp } from "./docker-wait.ts"
import type { Proxy, SessionState } from "../proxy/index.ts"

export const GATEWAY_SERVER_NAME = "docker"
/**
 * The gateway's connect budget: its first start pulls the enabled servers' images (the driver gives
 * such commands at least as long: docker/exec SLOW_COMMAND_TIMEOUT_MS).
 */
export const GATEWAY_CONNECT_MS = 120_000

/** The gateway's built-in tools its session denies (core/gateway-hidden). */
export const GATEWAY_HIDDEN_TOOLS: string[] = [...HIDDEN]

/** How many of the gateway's tool names a change's note lists. */
const GATEWAY_NAMES_SHOWN = 20
const cut = (s: string): string => (s.length > 800 ? `${cutText(s, 800)}…` : s)

/**
 * What to do when the gateway fails to start or stay up (the pool's and proxy's remedy for it: it is
 * not in the user's config): what the docker error's class says (`docker login`, start Docker, set
 * a secret, disable one of two colliding servers…), else how to find out.
 */
export function gatewayFailureRemedy(error: string): string {
  return (
    gatewayRemedy(error) ??
    "Run the gateway by hand to see why it fails (`docker mcp gateway run`, with `--profile default` in the profiles era; the orchestrator's log has the exact command), then fix or disable the server it names (server_disable; servers_list shows the enabled ones)."
  )
}

/** Why a `docker__` tool cannot be called once the last Toolkit server was disabled (proxy: `Server docker …, so X cannot be called`). */
export const GATEWAY_STOPPED = "is stopped: no Docker MCP Toolkit server is enabled now (servers_list shows them; server_enable starts the gateway again)"

/**
 * A restart because the Toolkit CLI changed waits for a quiet moment: no call in flight or queued on
 * the gateway, checked every QUIET_POLL_MS, at most QUIET_WAIT_MS (then calls still in flight are
 * told the gateway was restarted). The running gateway process keeps serving until then.
 */
export const QUIET_WAIT_MS = 30_000
const QUIET_POLL_MS = 100

export class ToolkitGateway {
  private running = false
  /** The enabled servers the running gateway was started with (sorted, joined); "" when none runs. */
  private runningServers = ""
  /** Syncs asked for and not finished: a read of the servers meanwhile is theirs to follow. */
  private pending = 0
  /** The argv the running session was started with (status, logs). */
  private runningArgs: readonly string[] | undefined
  /** A re-detection asked for by a failing gateway session is under way. */
  private rechecking = false
  private readonly unsubscribe: () => void
  private chain: Promise<void> = Promise.resolve()
  lastError: string | undefined
  /** Set with `lastError`: what to do (the driver's remedy for its error, else how to find out why), for orchestrator_status. */
  lastRemedy: string | undefined
  /** Whether the first decision was asked for (a first sync, or `absent()`: no Toolkit here). */
  private decided = false
  /** The Toolkit probe that leads to the first decision has begun (`probing()`). */
  private probed = false
  private decide!: () => void
  /** Settles once the first decision is made and carried out. */
  private readonly firstDecision = new Promise<void>((r) => (this.decide = r))
  /** The first decision was carried out (the gateway added, or none needed). */
  private firstDone = false
  /** Disposed: a sync its `docker` commands were stopped under is cut short, not a failure. */
  private closed = false
  /** After a start with Docker down: the syncs tried again with backoff until one reads the Toolkit. */
  private readonly dockerWait: DockerWait

  /** `waitForDockerMs`: how long a start with Docker down keeps looking for it (toolkit.waitForDocker). */
  constructor(
    private readonly proxy: Proxy,
    private readonly toolkit: ToolkitDriver,
    private readonly log: Logger,
    waitForDockerMs = 30 * 60_000,
  ) {
    this.dockerWait = new DockerWait(waitForDockerMs, log, "toolkit gateway")
    void this.firstDecision.then(() => (this.firstDone = true))
    // Another CLI (profiles switched on or off, an upgrade or downgrade in place): the launch spec
    // built for the old one (`--profile` that a legacy CLI refuses with exit 125, or the old plugin
    // binary still running) is built again and the session restarted with it.
    const offEra = toolkit.onEraChange((c) => this.cliChanged(c))
    // Another orchestrator (a second editor window) or the user's docker CLI enabled or disabled a
    // server: the profiles-era gateway has no watcher (docs/toolkit.md §5.4), so a fresh read of the
    // enabled servers that differs from the running gateway's starts it again with them.
    const offServers = toolkit.onServersListed?.((names) => this.serversSeen(names))
    this.unsubscribe = () => {
      offEra()
      offServers?.()
    }
  }

  /** The argv of the running gateway session, if one runs. */
  get args(): readonly string[] | undefined {
    return this.running ? this.runningArgs : undefined
  }

  /** A fresh read of the enabled servers (anyone's): the gateway follows one that differs from its own. */
  private serversSeen(names: readonly string[]): void {
    if (!this.decided || this.pending > 0) return
    const seen = [...names].sort().join("\n")
    if (seen === (this.running ? this.runningServers : "")) return
    this.log.info("the Toolkit's enabled servers changed outside this orchestrator: the gateway follows", { servers: [...names] })
    // these names, not a read of its own: the cache may still hold the old list (this read is storing it)
    void this.sync("the Toolkit's enabled servers changed outside this orchestrator (another window or the docker CLI)", { quiet: true, servers: [...names] })
  }

  private cliChanged(c: ToolkitChange): void {
    // before the first decision the first sync reads the new era itself
    if (!this.decided) return
    const what = `${c.from.era} ${c.from.version} → ${c.to.era} ${c.to.version}`
    this.log.info("docker mcp changed: the gateway is started again with the new CLI's launch spec", { change: what, reason: c.reason })
    void this.sync(`the Toolkit CLI changed (${what})`, { quiet: true })
  }

  /**
   * A session state seen by the pool. The gateway failing to start (or to stay up) may mean the CLI
   * changed under it (its argv refused, exit 125): the era is detected again; a change restarts it
   * with a new spec (`cliChanged`), no change leaves the pool's own retries to it.
   */
  sessionState(server: string, state: SessionState): void {
    if (server !== GATEWAY_SERVER_NAME || !this.running || this.rechecking) return
    if (state !== "failed" && state !== "backoff" && state !== "open-circuit") return
    this.rechecking = true
    void this.toolkit
      .recheck()
      .catch((e: unknown) => this.log.debug("re-detecting the Toolkit after a gateway failure failed", { error: errorMessage(e) }))
      .finally(() => (this.rechecking = false))
  }

  get active(): boolean {
    return this.running
  }

  /** Settles when the syncs asked for so far are done (never rejects). */
  settled(): Promise<void> {
    return this.chain
  }

  /**
   * For the completeness of a tools/list answer (whether it may be stored as the next start's first
   * answer): pending from construction until the first decision about the gateway was carried out —
   * while the Toolkit is still being probed, an answer without `docker__` tools is not the fleet's —
   * then the syncs asked for so far. Calls do not wait on this (they use `settled`).
   */
  listingSettled(): Promise<void> | undefined {
    if (this.decided) return this.chain
    // not probing (the orchestrator was never started: it is shutting down): nothing to wait for
    return this.probed ? this.firstDecision : undefined
  }

  /** The Toolkit is being probed: whether it has enabled servers (the gateway, its tools) is not known yet. */
  get undecided(): boolean {
    return this.probed && !this.firstDone
  }

  /** The Toolkit probe began: lists wait for its outcome (the first decision) from now on. */
  probing(): void {
    this.probed = true
  }

  /** The Toolkit is not there (or not wanted): the gateway's first decision is "none". */
  absent(): void {
    if (this.decided) return
    this.decided = true
    this.decide()
  }

  /** `toolkit.tools` changed in the running config (a reload): the gateway's tools are filtered anew. */
  refilter(): void {
    this.proxy.refilter(GATEWAY_SERVER_NAME)
  }

  /**
   * Re-reads the enabled servers and adds, restarts or removes the gateway session. Resolves once
   * the tool surface follows (the removed gateway's tools gone, or the new session added), which
   * may be before an old gateway process has exited; `settled()` waits for that too.
   */
  sync(reason: string, opts: { quiet?: boolean; servers?: readonly string[]; noWait?: boolean } = {}): Promise<void> {
    let surfaced!: () => void
    const done = new Promise<void>((r) => (surfaced = r))
    this.pending++
    this.chain = this.chain
      .then(() => this.syncNow(reason, surfaced, opts.quiet ?? false, opts.servers, opts.noWait ?? false))
      .catch(() => {})
      .finally(() => {
        this.pending--
        surfaced()
      })
    if (!this.decided) {
      this.decided = true
      void this.chain.then(this.decide)
    }
    return done
  }

  /**
   * For the tool that changed the Toolkit (manage/toolkit `changeOutcome`, asked after its
   * `onServersChanged`): once the syncs asked for so far are done, a note on the gateway for the
   * model (never rejects). Only that tool asks: nothing starts the gateway early for anyone else.
   */
  async changeOutcome(): Promise<string | undefined> {
    await this.chain
    try {
      return await this.outcome()
    } catch {
      return undefined
    }
  }

  /**
   * After a change: the gateway started and listed its tools (how many, which, and that call_tool
   * reaches them: a client such as Cursor does not list tools again), or it failed to start (why:
   * none of the Toolkit's tools can be called then, not only the changed server's).
   */
  private async outcome(): Promise<string | undefined> {
    if (!this.running) return this.lastError ? `The Docker MCP gateway could not be set up after this change: ${cut(this.lastError)}` : undefined
    const session = this.proxy.pool.get(GATEWAY_SERVER_NAME)
    if (!session) return undefined
    try {
      await session.ensure()
    } catch (e) {
      const remedy = e instanceof Error && "remedy" in e && typeof e.remedy === "string" ? `${e.remedy} ` : ""
      return `The Docker MCP gateway failed to start after this change, so none of the Toolkit's tools can be called now (not only this server's): ${cut(errorMessage(e))}\n${remedy}Undo the change or fix its cause; orchestrator_status shows the gateway's state (it is retried with backoff).`
    }
    const cat = this.proxy.catalog ? await this.proxy.catalog() : undefined
    const names = (cat?.tools ?? []).map((t) => t.name).filter((n) => cat?.route(n)?.server === GATEWAY_SERVER_NAME)
    const shown = names.slice(0, GATEWAY_NAMES_SHOWN).join(", ")
    return `${names.length} Toolkit gateway tool(s) can be called now with call_tool (search_tools finds them by what they do)${names.length ? `: ${shown}${names.length > GATEWAY_NAMES_SHOWN ? ", …" : ""}` : ""}.`
  }

  /**
   * `quiet`: a running session is restarted once no call is in flight on it (bounded: QUIET_WAIT_MS).
   * `servers`: the enabled servers as just read (instead of reading them again).
   */
  private async syncNow(reason: string, surfaced: () => void, quiet: boolean, servers?: readonly string[], noWait = false): Promise<void> {
    try {
      const enabled = servers ? servers.map((name) => ({ name })) : await this.toolkit.serversList(noWait ? { noWait: true } : undefined)
      // Docker answered: no more background tries (also when another sync got through first)
      this.dockerWait.done()
      // the new gateway's launch is read before the old one is closed: the old one's calls that were
      // not sent yet go to the new one (pool: a session's successor), not CLOSED "retry it"; and a
      // launch that cannot be read leaves the running gateway as it is
      const spec = enabled.length > 0 ? await this.launchSpec() : undefined
      if (this.running) {
        if (quiet) await this.quietMoment()
        // a call in flight on the old gateway (any restart, not only a quiet one) and a later call of
        // one of its tools are told what happened, not "server docker was removed" / "Unknown tool"
        const closing =
          spec === undefined
            ? this.proxy.removeServer(GATEWAY_SERVER_NAME, GATEWAY_STOPPED, `was stopped: ${reason}; no Docker MCP Toolkit server is enabled now (a call in flight was not completed)`)
            : this.proxy.removeServer(GATEWAY_SERVER_NAME, undefined, { restarted: reason })
        this.running = false
        if (spec !== undefined) this.launch(spec, enabled, reason, surfaced)
        // nothing to add back: the surface has followed already (the process may take seconds)
        else surfaced()
        await closing
        if (spec !== undefined) return
      }
      if (spec === undefined) {
        this.log.info("toolkit gateway not needed: no server enabled", { reason })
        return
      }
      this.launch(spec, enabled, reason, surfaced)
    } catch (e) {
      if (this.closed) return this.log.debug("toolkit gateway sync cut short: the orchestrator stopped", { reason, error: errorMessage(e) })
      this.lastError = errorMessage(e)
      // said with the error (status, log): before, gatewayError stood without a word on what to do
      this.lastRemedy = (isOrchestratorError(e) && e.remedy) || gatewayFailureRemedy(this.lastError)
      // Docker starting (DESKTOP_STARTING), its engine not up yet (DAEMON_DOWN) or Desktop closed
      // (DESKTOP_NOT_RUNNING) at a sync the first answer waits on (`noWait`: serve's start): the
      // first answer goes without the Toolkit's tools rather than wait the driver's retries out, and
      // the sync is tried again in the background with backoff (DockerWait: 2 s doubling to a minute,
      // for toolkit.waitForDocker) until Docker answers: a Toolkit that comes up minutes later is
      // taken up (list_changed; its tools reachable through search_tools and call_tool at once)
      const later = noWait && !this.closed && dockerMayComeUp(e)
      const base = reason.replace(/ \(again, once Docker is up\)$/, "")
      // each background try that fails is a debug line: DockerWait logs the first and the last
      if (later && this.dockerWait.waiting) this.log.debug("toolkit gateway sync failed", { reason, error: this.lastError })
      else this.log.warn("toolkit gateway sync failed", { reason, error: this.lastError, remedy: this.lastRemedy, ...(later ? { retrying: "in the background, while Docker starts" } : {}) })
      if (later) this.dockerWait.later(() => void this.sync(`${base} (again, once Docker is up)`, { noWait: true }), this.lastError)
    }
  }

  /**
   * How the gateway runs now; the enabled servers' configuration is read alongside: its secret
   * values are registered (docker driver) before the gateway runs them, so a server echoing its
   * config is redacted.
   */
  private async launchSpec(): Promise<GatewayLaunch> {
    const [spec] = await Promise.all([this.toolkit.gatewayLaunchSpec(), this.toolkit.configGet().catch(() => undefined)])
    return spec
  }

  private launch(spec: GatewayLaunch, enabled: ReadonlyArray<{ name: string }>, reason: string, surfaced: () => void): void {
    // its first start pulls the enabled servers' images: minutes, not pool.connectTimeout's 30 s (it
    // was killed and started again in a loop); the driver's own minimum for such commands
    this.proxy.addServer({ name: GATEWAY_SERVER_NAME, source: "toolkit", spec: { command: spec.command, args: spec.args, env: spec.env, tools: { deny: GATEWAY_HIDDEN_TOOLS }, connectTimeout: GATEWAY_CONNECT_MS }, remedy: gatewayFailureRemedy, listKey: { enabled: enabled.map((s) => s.name).sort() } })
    this.running = true
    this.runningArgs = spec.args
    this.runningServers = enabled.map((s) => s.name).sort().join("\n")
    surfaced()
    this.lastError = undefined
    this.lastRemedy = undefined
    this.log.info("toolkit gateway session started", { reason, servers: enabled.map((s) => s.name), args: spec.args })
  }

  /** Waits until the gateway session has no call in flight or queued, at most QUIET_WAIT_MS. */
  private async quietMoment(): Promise<void> {
    const end = performance.now() + QUIET_WAIT_MS
    for (;;) {
      const s = this.proxy.pool.get(GATEWAY_SERVER_NAME)
      if (!s || (s.limiter.inFlight === 0 && s.limiter.queued === 0)) return
      if (performance.now() >= end) {
        this.log.info("toolkit gateway still busy; restarting it anyway", { inFlight: s.limiter.inFlight, queued: s.limiter.queued })
        return
      }
      await Bun.sleep(QUIET_POLL_MS)
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.closed = true
    this.dockerWait.stop()
    this.unsubscribe()
    // a probe still running when the orchestrator stops decides nothing: nobody may wait on it
    this.absent()
    await this.chain
  }
}
