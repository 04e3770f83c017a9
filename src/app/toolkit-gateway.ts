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

export class ToolkitGateway {
  private running = false
  private chain: Promise<void> = Promise.resolve()
  lastError: string | undefined

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

  /** `toolkit.tools` changed in the running config (a reload): the gateway's tools are filtered anew. */
  refilter(): void {
    this.proxy.refilter(GATEWAY_SERVER_NAME)
  }

  /** Re-reads the enabled servers and adds, restarts or removes the gateway session. */
  sync(reason: string): Promise<void> {
    this.chain = this.chain.then(() => this.syncNow(reason)).catch(() => {})
    return this.chain
  }

  private async syncNow(reason: string): Promise<void> {
    try {
      const enabled = await this.toolkit.serversList()
      if (this.running) {
        await this.proxy.removeServer(GATEWAY_SERVER_NAME)
        this.running = false
      }
      if (enabled.length === 0) {
        this.log.info("toolkit gateway not needed: no server enabled", { reason })
        return
      }
      const spec = await this.toolkit.gatewayLaunchSpec()
      this.proxy.addServer({ name: GATEWAY_SERVER_NAME, source: "toolkit", spec: { command: spec.command, args: spec.args, env: spec.env } })
      this.running = true
      this.lastError = undefined
      this.log.info("toolkit gateway session started", { reason, servers: enabled.map((s) => s.name) })
    } catch (e) {
      this.lastError = errorMessage(e)
      this.log.warn("toolkit gateway sync failed", { reason, error: this.lastError })
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.chain
  }
}
