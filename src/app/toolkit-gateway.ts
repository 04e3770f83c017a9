/**
 * @module app/toolkit-gateway
 * Keeps one long-lived `docker mcp gateway run` session in the pool while the Toolkit has enabled
 * servers: added when the first server is enabled, restarted after a change (so new tools appear and
 * removed ones go, with list_changed), removed (session closed) when no server is left enabled.
 * Its tools are exposed as `docker__<tool>`. Changes are serialised: one sync at a time.
 */
import { errorMessage, type Logger } from "../core/index.ts"
import type { ToolkitDriver } from "../docker/index.ts"
import type { Proxy } from "../proxy/index.ts"

export const GATEWAY_SERVER_NAME = "docker"
/**
 * The gateway's connect budget: its first start pulls the enabled servers' images (the driver gives
 * such commands at least as long: docker/exec SLOW_COMMAND_TIMEOUT_MS).
 */
export const GATEWAY_CONNECT_MS = 120_000

/**
 * The gateway's own dynamic tools (feature `dynamic-tools`, on by default since v0.26;
 * pkg/gateway/dynamic_mcps.go) that are hidden: `mcp-exec` and `code-mode` call any gateway tool
 * by name, past toolkit.tools and the tool pins; `mcp-add`, `mcp-remove`, `mcp-config-set`,
 * `mcp-create-profile` and `mcp-activate-profile` change servers, config and profiles without the
 * confirmation server_enable and config_set ask. The orchestrator's own tools do all of that.
 * `mcp-find` (read-only) stays.
 */
export const GATEWAY_HIDDEN_TOOLS = ["mcp-exec", "code-mode", "mcp-add", "mcp-remove", "mcp-config-set", "mcp-create-profile", "mcp-activate-profile"]

export class ToolkitGateway {
  private running = false
  private chain: Promise<void> = Promise.resolve()
  lastError: string | undefined
  /** Whether the first decision was asked for (a first sync, or `absent()`: no Toolkit here). */
  private decided = false
  /** The Toolkit probe that leads to the first decision has begun (`probing()`). */
  private probed = false
  private decide!: () => void
  /** Settles once the first decision is made and carried out. */
  private readonly firstDecision = new Promise<void>((r) => (this.decide = r))

  constructor(
    private readonly proxy: Proxy,
    private readonly toolkit: ToolkitDriver,
    private readonly log: Logger,
  ) {}

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
  sync(reason: string): Promise<void> {
    let surfaced!: () => void
    const done = new Promise<void>((r) => (surfaced = r))
    this.chain = this.chain
      .then(() => this.syncNow(reason, surfaced))
      .catch(() => {})
      .finally(surfaced)
    if (!this.decided) {
      this.decided = true
      void this.chain.then(this.decide)
    }
    return done
  }

  private async syncNow(reason: string, surfaced: () => void): Promise<void> {
    try {
      const enabled = await this.toolkit.serversList()
      if (this.running) {
        const closing = this.proxy.removeServer(GATEWAY_SERVER_NAME)
        this.running = false
        // nothing to add back: the surface has followed already (the process may take seconds)
        if (enabled.length === 0) surfaced()
        await closing
      }
      if (enabled.length === 0) {
        this.log.info("toolkit gateway not needed: no server enabled", { reason })
        return
      }
      const spec = await this.toolkit.gatewayLaunchSpec()
      // its first start pulls the enabled servers' images: minutes, not pool.connectTimeout's 30 s (it
      // was killed and started again in a loop); the driver's own minimum for such commands
      this.proxy.addServer({ name: GATEWAY_SERVER_NAME, source: "toolkit", spec: { command: spec.command, args: spec.args, env: spec.env, tools: { deny: GATEWAY_HIDDEN_TOOLS }, connectTimeout: GATEWAY_CONNECT_MS } })
      this.running = true
      surfaced()
      this.lastError = undefined
      this.log.info("toolkit gateway session started", { reason, servers: enabled.map((s) => s.name) })
    } catch (e) {
      this.lastError = errorMessage(e)
      this.log.warn("toolkit gateway sync failed", { reason, error: this.lastError })
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    // a probe still running when the orchestrator stops decides nothing: nobody may wait on it
    this.absent()
    await this.chain
  }
}
