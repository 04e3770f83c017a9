/**
 * @module proxy/hook-tools
 * What a plugin's `tools` hook may list: not a name of the orchestrator's own tools (the client
 * would reach the own tool, never the one listed: `call_tool`, `orchestrator_status`…), and, while
 * no `route` hook could map it back, not a name no server's tool has (a call of it could only be
 * "Unknown tool"). Such entries are left out of the list, each with a warning, once per name and
 * reason (lists are answered many times).
 */
import type { Logger } from "../core/index.ts"
import type { Tool } from "./types.ts"

/** Warned names kept at most (a hook that makes up new names on every list does not grow memory). */
const MAX_WARNED = 1000

export interface HookedToolsEnv {
  /** Names no listed tool may have: the own tools. */
  reserved: ReadonlySet<string>
  /** The exposed name is a server's tool. */
  routed(name: string): boolean
  /** A `route` hook is active (it may map a new name back to a server's tool). */
  rerouted: boolean
}

export class HookedTools {
  private readonly warned = new Set<string>()

  constructor(private readonly log: Logger) {}

  /** `tools` (a tools hook's output) without the entries it may not list; the same array when none. */
  check(tools: Tool[], env: HookedToolsEnv): Tool[] {
    let out: Tool[] | undefined
    for (let i = 0; i < tools.length; i++) {
      const name = tools[i]!.name
      const why = env.reserved.has(name)
        ? "it is the name of one of mcp-orchestrator's own tools (a call of it reaches that tool)"
        : !env.rerouted && !env.routed(name)
          ? "no server has a tool of that name and no plugin route hook maps it to one (a call of it could only fail)"
          : undefined
      if (why === undefined) {
        out?.push(tools[i]!)
        continue
      }
      out ??= tools.slice(0, i)
      this.warn(name, why)
    }
    return out ?? tools
  }

  private warn(name: string, why: string): void {
    const key = `${name}\u0000${why}`
    if (this.warned.has(key)) return
    if (this.warned.size >= MAX_WARNED) this.warned.clear()
    this.warned.add(key)
    this.log.warn("a plugin tools hook listed a tool that cannot be called by that name; left out of the list", { tool: name, why })
  }
}
