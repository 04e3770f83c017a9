/**
 * @module pool/types
 * Shapes the pool shares with the proxy contract (structurally identical to those in proxy/types.ts,
 * declared here because pool/ sits below proxy/ and must not import it).
 */
import type { ServerSpec } from "../config/index.ts"

export type SessionState = "idle" | "starting" | "ready" | "failed" | "backoff" | "open-circuit" | "needs-auth" | "closed"

export interface DownstreamDef {
  name: string
  source: "config" | "toolkit"
  spec: ServerSpec
  /**
   * What to do about a failure of this server (`error`: its message with the output quoted), worded
   * by its owner when the config is not where to look (the Toolkit gateway: from the docker error's
   * class); replaces the pool's and proxy's generic remedies. Undefined: those apply.
   */
  remedy?: (error: string) => string
}
