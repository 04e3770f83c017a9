/**
 * @module proxy/hook-tools
 * What a plugin's `tools` hook may list: not a name of the orchestrator's own tools (the client
 * would reach the own tool, never the one listed: `call_tool`, `orchestrator_status`…), and, while
 * no `route` hook could map it back, not a name no server's tool has (a call of it could only be
 * "Unknown tool"). And each entry must be a valid definition, checked as a downstream's are
 * (catalog/validate: repaired where that is safe, else left out): the hook's output is the guest's
 * JSON, and one bad entry (`properties: 5`, `annotations: "x"`) would make a client reject the
 * whole list, leaving it with no tools at all. Entries left out get a warning, once per name and
 * reason (lists are answered many times), at most ONCE_PER_PASS (core/once-keys) one by one per
 * list and the rest counted in one line: a hook listing 10 000 such entries wrote 10 000 lines on
 * every list.
 */
import { downstreamArgs, modelArgTool, checkList, portableTool, sanitizeItem, stripInvisible, type SanitizeOptions, type SanitizeReport } from "../catalog/index.ts"
import { OnceKeys, type Logger, type OncePass } from "../core/index.ts"
import { hookServed, type ServedEnv } from "./hook-served.ts"
import type { Tool } from "./types.ts"

export interface HookedToolsEnv extends ServedEnv {
  /** Names no listed tool may have: the own tools. */
  reserved: ReadonlySet<string>
  /** A `route` hook is active (it may map a new name back to a server's tool). */
  rerouted: boolean
  /**
   * The proxy's definition cleaning (`proxy.sanitize`): the hook's output gets what a downstream's
   * definitions get (hidden characters removed from prose, descriptions capped, an entry hiding them
   * in a value matched exactly or in its name withheld). Undefined: off.
   */
  sanitize?: SanitizeOptions
  /** `proxy.portableSchemas`: the hook's input schemas in the subset every model API reads, as a downstream's (catalog/portable-schema). */
  portable?: boolean
}

export class HookedTools {
  private readonly warned = new OnceKeys()
  /** The last list checked, with the argument names the hook gave (`hookArgs` maps a call's back to them). */
  private listed: readonly Tool[] | undefined

  /** A call's `args` of the listed tool `name`, each argument exposed under another name given the name the hook listed (the same object when none is). */
  hookArgs(name: string, args: Record<string, unknown>): Record<string, unknown> {
    return downstreamArgs(this.listed, name, args)
  }

  constructor(private readonly log: Logger) {}

  /** `tools` (a tools hook's output) without the entries it may not list, the others valid; the same array when all are. */
  check(tools: Tool[], env: HookedToolsEnv): Tool[] {
    const pass = this.warned.pass()
    try {
      const own = this.checked(tools, env, pass)
      this.listed = own
      // argument names a model API refuses are exposed under valid ones, as a downstream's are
      // (catalog/arg-keys): a hook's re-described schema is the guest's, one such name blanks every tool
      const shown = own.map((t) => modelArgTool(t))
      return shown.every((t, i) => t === own[i]) ? own : shown
    } finally {
      if (pass.more > 0) this.log.warn("a plugin tools hook listed more tools that were left out, withheld, repaired or cleaned; not logged one by one", { more: pass.more, loggedOneByOne: pass.limit })
    }
  }

  private checked(tools: Tool[], env: HookedToolsEnv, pass: OncePass): Tool[] {
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
      this.warn(pass, name, why, "a plugin tools hook listed a tool that cannot be called by that name; left out of the list")
    }
    // an outputSchema the tool's results cannot match, or a task the face never serves, would make
    // the client refuse every call of the tool (proxy/hook-served)
    const served = hookServed(out ?? tools, env)
    for (const f of served.fixed) this.warn(pass, f.tool.name, f.why, "a plugin tools hook listed a tool promising what its server does not answer; that part is not listed")
    const named = served.tools
    const checked = checkList<Tool>("tool", named)
    for (const issue of checked.issues) {
      if (issue.duplicate) this.warn(pass, issue.name, issue.why, "a plugin tools hook listed a tool name twice; the later copy is left out of the list")
      else if (issue.action === "dropped") this.warn(pass, issue.name, issue.why, "a plugin tools hook listed an invalid tool definition; left out of the list")
      else this.warn(pass, issue.name, issue.why, "a plugin tools hook listed a tool definition that needed a repair")
    }
    const valid = checked.issues.length === 0 ? named : checked.items
    const clean = env.sanitize ? this.clean(valid, env.sanitize, pass) : valid
    if (!env.portable) return clean
    const portable = clean.map((t) => portableTool(t))
    return portable.every((t, i) => t === clean[i]) ? clean : portable
  }

  /** The entries with their model-read text cleaned as a downstream's are (the same array when all are clean). */
  private clean(tools: Tool[], o: SanitizeOptions, pass: OncePass): Tool[] {
    let out: Tool[] | undefined
    for (let i = 0; i < tools.length; i++) {
      const t = tools[i]!
      const report: SanitizeReport = { hidden: 0, truncated: 0 }
      // the hook's name is the exposed one (no server name replaces it): hidden characters there withhold it
      const poisoned = stripInvisible(t.name).removed > 0 ? ["name"] : undefined
      const c = poisoned ? t : sanitizeItem(t, o, report, "tool")
      const where = poisoned ?? report.poisoned
      if (where?.length) {
        this.warn(pass, t.name, `hidden characters in ${where.join(", ")} (possible tool poisoning)`, "a plugin tools hook listed a tool hiding characters in a value matched exactly; withheld")
        out ??= tools.slice(0, i)
        continue
      }
      if (report.hidden) this.warn(pass, t.name, "hidden characters removed", "hidden characters removed from a tool definition a plugin tools hook listed (possible tool poisoning)")
      if (c !== t) out ??= tools.slice(0, i)
      out?.push(c)
    }
    return out ?? tools
  }

  private warn(pass: OncePass, name: string, why: string, msg: string): void {
    pass.say(`${name}\u0000${why}`, () => this.log.warn(msg, { tool: name, why }))
  }
}
