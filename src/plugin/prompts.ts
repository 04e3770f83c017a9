/**
 * @module plugin/prompts
 * Prompt manager: built-in prompts first, then plugin prompts in composition order (the first
 * prompt with a given name wins). Validates arguments before rendering.
 */
import { ProtocolError } from "../core/index.ts"
import { RenderResultSchema, formatIssues, toPromptResult, type PromptInfo, type PromptResult, type RenderResult } from "./contract.ts"

export interface PromptEntry {
  info: PromptInfo
  /** "builtin" or the plugin name. */
  source: string
  /** Who serves it, for warnings: `built-in prompt` or `plugin "name" (file)`; default `source`. */
  origin?: string
  render(args: Record<string, string>): Promise<RenderResult> | RenderResult
}

const INVALID_PARAMS = -32602
/** The plugin failed, not the caller: JSON-RPC internal error. */
const INTERNAL_ERROR = -32603

export class PromptManager {
  private entries = new Map<string, PromptEntry>()
  /** Prompts skipped because an earlier one had the same name: the prompt, who offered it, who serves it instead. */
  shadowed: Array<{ prompt: string; hidden: string; by: string }> = []

  /** Replace the whole set; earlier entries win on name clashes. */
  set(entries: readonly PromptEntry[]): void {
    const next = new Map<string, PromptEntry>()
    const shadowed: PromptManager["shadowed"] = []
    for (const e of entries) {
      const first = next.get(e.info.name)
      if (first) shadowed.push({ prompt: e.info.name, hidden: e.origin ?? e.source, by: first.origin ?? first.source })
      else next.set(e.info.name, e)
    }
    this.entries = next
    this.shadowed = shadowed
  }

  has(name: string): boolean {
    return this.entries.has(name)
  }

  /** Who serves prompt `name` (`plugin "x" (/path/x.js)`, `the built-in prompt`), when one does. */
  originOf(name: string): string | undefined {
    const e = this.entries.get(name)
    return e && (e.origin ?? e.source)
  }

  list(): PromptInfo[] {
    return [...this.entries.values()].map((e) => e.info)
  }

  /** A signature of the listed prompts, to detect changes. */
  signature(): string {
    return JSON.stringify(this.list())
  }

  /** Render `name`; undefined when no such prompt (another source may have it). */
  async get(name: string, args: Record<string, unknown> = {}): Promise<PromptResult | undefined> {
    const e = this.entries.get(name)
    if (!e) return undefined
    const declared = e.info.arguments ?? []
    const problems: string[] = []
    const clean: Record<string, string> = {}
    for (const [k, v] of Object.entries(args)) {
      if (!declared.some((d) => d.name === k)) problems.push(`unknown argument "${k}"`)
      else if (typeof v !== "string") problems.push(`argument "${k}" must be a string`)
      else clean[k] = v
    }
    for (const d of declared) {
      // an own value only: a required argument named like an Object.prototype member (toString,
      // constructor) is no less missing when the client leaves it out
      const given = Object.hasOwn(clean, d.name) ? clean[d.name] : undefined
      if (d.required && (given === undefined || given === "")) problems.push(`missing required argument "${d.name}"${d.description ? ` (${d.description})` : ""}`)
    }
    if (problems.length) {
      const expected = declared.map((d) => `${d.name}${d.required ? "" : "?"}`).join(", ") || "none"
      throw new ProtocolError(INVALID_PARAMS, `Prompt "${name}": ${problems.join("; ")}. Arguments: ${expected}.`)
    }
    const out = await e.render(clean)
    const r = RenderResultSchema.safeParse(out)
    if (!r.success) throw new ProtocolError(INTERNAL_ERROR, `Prompt "${name}" rendered an invalid result: ${formatIssues(r.error).join("; ")}`)
    return toPromptResult(r.data, e.info.description)
  }
}
