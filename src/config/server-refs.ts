/**
 * @module config/server-refs
 * A config refused because a key names a server it does not define (`toolsets.a.servers`,
 * `warm`): the error keeps which key named which server, and the servers the file does define, so
 * a reload can tell a server renamed in the file from one mistyped (app/reload: "did you rename
 * it to mem? update toolsets.a.servers"). Start and doctor read it as any ConfigError.
 */
import { ConfigError } from "../core/index.ts"
import type { ServerSpec } from "./schema.ts"

/** One key naming a server the file does not define. */
export interface MissingServer {
  /** The key holding the name, without its index: `toolsets.a.servers`, `warm`. */
  key: string
  /** The server name it holds. */
  name: string
  /** The problem line of the error that says it (one of its `problems`). */
  problem: string
}

export class UnknownServersError extends ConfigError {
  override name = "UnknownServersError"
  readonly missing: readonly MissingServer[]
  /** The servers the refused file defines (enabled or not). */
  readonly servers: Readonly<Record<string, ServerSpec>>
  constructor(problems: readonly string[], missing: readonly MissingServer[], servers: Readonly<Record<string, ServerSpec>>, options: ConstructorParameters<typeof ConfigError>[1] = {}) {
    super(problems, options)
    this.missing = missing
    this.servers = servers
  }
}
