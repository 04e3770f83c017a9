/**
 * @module proxy/log-levels
 * The log level downstreams are asked for: the most verbose level any connected client set with
 * `logging/setLevel` (each client's own level is applied again when its messages are forwarded).
 */
import type { ClientLink } from "./types.ts"

export const LOG_LEVEL_ORDER = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const

/** Levels other loggers write, as the MCP level they mean. */
const LEVEL_SPELLINGS: Readonly<Record<string, string>> = { warn: "warning", fatal: "critical", crit: "critical", err: "error", trace: "debug", verbose: "debug", information: "info" }

/** The MCP log level `level` is or means (any case; `warn` → `warning`, `fatal` → `critical`, `trace` → `debug`…), else undefined. */
export function mcpLogLevel(level: unknown): string | undefined {
  if (typeof level !== "string" || level.length > 16) return undefined
  const l = level.toLowerCase()
  // own entries only: "constructor" or "__proto__" read Object.prototype's members (a function as a level)
  return (LOG_LEVEL_ORDER as readonly string[]).includes(l) ? l : Object.hasOwn(LEVEL_SPELLINGS, l) ? LEVEL_SPELLINGS[l] : undefined
}

export class LogLevels {
  private readonly byClient = new Map<ClientLink, number>()
  private current: number | undefined

  /** Record `client`'s level; returns the new downstream level when it changed. */
  set(client: ClientLink, level: string): string | undefined {
    const rank = LOG_LEVEL_ORDER.indexOf(level as (typeof LOG_LEVEL_ORDER)[number])
    if (rank < 0) return undefined
    this.byClient.set(client, rank)
    return this.recompute()
  }

  /** The level `client` set, if it set one. */
  of(client: ClientLink): string | undefined {
    const rank = this.byClient.get(client)
    return rank === undefined ? undefined : LOG_LEVEL_ORDER[rank]
  }

  /** A client went away: its level no longer counts (downstreams keep theirs until a client sets one). */
  drop(client: ClientLink): void {
    if (this.byClient.delete(client)) this.recompute()
  }

  /** The level to ask downstreams for, if any client set one. */
  get level(): string | undefined {
    return this.current === undefined ? undefined : LOG_LEVEL_ORDER[this.current]
  }

  private recompute(): string | undefined {
    if (this.byClient.size === 0) return undefined
    const next = Math.min(...this.byClient.values())
    if (next === this.current) return undefined
    this.current = next
    return LOG_LEVEL_ORDER[next]
  }
}

/** Does a message at `level` pass a client that asked for `min`? (Unknown levels pass.) */
export function passes(level: string, min: string): boolean {
  return LOG_LEVEL_ORDER.indexOf(level as (typeof LOG_LEVEL_ORDER)[number]) >= LOG_LEVEL_ORDER.indexOf(min as (typeof LOG_LEVEL_ORDER)[number])
}
