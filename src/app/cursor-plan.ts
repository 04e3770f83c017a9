/**
 * @module app/cursor-plan
 * Pure planning for `mcp-orchestrator cursor connect`: given Cursor's mcp.json and our config's
 * servers, what the new mcp.json holds (one mcp-orchestrator entry), which servers move into our
 * config (validated with our schema), which are skipped and why. No I/O here.
 */
import { canonicalJson } from "../cache/index.ts"
import { interpolate, ServerSpecSchema, type InterpolationContext } from "../config/index.ts"

export interface CursorEntry {
  command: string
  args: string[]
  env?: Record<string, string>
}

export interface ConnectOptions {
  /** Key of our entry in mcp.json. */
  name: string
  /** Our entry (command = this binary). */
  entry: CursorEntry
  /** Move the other servers into our config. */
  importServers: boolean
  /** Resolves `${…}` in an entry before it is checked (a URL written with a variable is a URL). */
  vars?: InterpolationContext
}

export interface ConnectPlan {
  mcpJson: Record<string, unknown>
  /** Servers to add to our config, as written in mcp.json. */
  imported: Record<string, Record<string, unknown>>
  /** Entries taken out of mcp.json (imported, already in our config unchanged, the Docker gateway), as written. */
  moved: Record<string, unknown>
  /** Imported earlier: the same entry is already in our config, so it only leaves mcp.json. */
  already: string[]
  skipped: Array<{ name: string; reason: string }>
  /** `--profile` of a Docker MCP gateway entry that was replaced (becomes toolkit.profile). */
  dockerProfile?: string
  replacedDocker: boolean
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/** The `docker mcp gateway run …` entry that `docker mcp client connect cursor` writes. */
export function isDockerGateway(e: unknown): e is { command: string; args: string[] } {
  const x = e as { command?: unknown; args?: unknown }
  return typeof x?.command === "string" && /(^|[\\/])docker(\.exe)?$/.test(x.command) && Array.isArray(x.args) && x.args[0] === "mcp" && x.args[1] === "gateway" && x.args[2] === "run"
}

export function planConnect(mcpJson: Record<string, unknown>, ours: Record<string, unknown>, o: ConnectOptions): ConnectPlan {
  const servers = { ...((mcpJson.mcpServers as Record<string, unknown> | undefined) ?? {}) }
  const plan: ConnectPlan = { mcpJson: { ...mcpJson }, imported: {}, moved: {}, already: [], skipped: [], replacedDocker: false }
  if (o.importServers) {
    for (const [name, spec] of Object.entries(servers)) {
      if (name === o.name) continue
      if (isDockerGateway(spec)) {
        // The orchestrator runs the Toolkit gateway itself; keeping both would duplicate every tool.
        const i = spec.args.indexOf("--profile")
        const p = i >= 0 ? spec.args[i + 1] : spec.args.find((a) => a.startsWith("--profile="))?.slice("--profile=".length)
        if (p) plan.dockerProfile = p
        plan.replacedDocker = true
        plan.moved[name] = spec
        delete servers[name]
        continue
      }
      if (!NAME_RE.test(name)) {
        plan.skipped.push({ name, reason: "name is not usable as a tool prefix (letters, digits, _ and - only); rename it in mcp.json first" })
        continue
      }
      if (name in ours) {
        if (sameEntry(ours[name], spec)) {
          // Moved by an earlier `connect --import` (and put back by `disconnect`): only leave mcp.json.
          plan.already.push(name)
          plan.moved[name] = spec
          delete servers[name]
        } else plan.skipped.push({ name, reason: "a different server with this name is already in the mcp-orchestrator config" })
        continue
      }
      const problem = checkEntry(spec, o.vars)
      if (problem) {
        plan.skipped.push({ name, reason: `not a server entry mcp-orchestrator understands: ${problem}` })
        continue
      }
      // Imported as written: `${…}` variables, envFile and Cursor's `auth` keep their meaning in our config.
      plan.imported[name] = spec as Record<string, unknown>
      plan.moved[name] = spec
      delete servers[name]
    }
  }
  servers[o.name] = o.entry
  plan.mcpJson.mcpServers = servers
  return plan
}

/** Why `spec` is not a server entry we can run, or undefined. Variables are resolved for the check only. */
function checkEntry(spec: unknown, vars: InterpolationContext | undefined): string | undefined {
  let probe = spec
  if (vars && typeof spec === "object" && spec !== null && !Array.isArray(spec)) {
    const copy: Record<string, unknown> = { ...spec }
    for (const f of ["command", "url"]) {
      if (typeof copy[f] !== "string") continue
      const r = interpolate(copy[f] as string, vars)
      if (r.errors.length) return `${f}: ${r.errors[0]}`
      copy[f] = r.value
    }
    probe = copy
  }
  const parsed = ServerSpecSchema.safeParse(probe)
  return parsed.success ? undefined : (parsed.error.issues[0]?.message ?? "invalid")
}

/** Key order is not meaning. */
function sameEntry(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}
