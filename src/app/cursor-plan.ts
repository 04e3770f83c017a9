/**
 * @module app/cursor-plan
 * Pure planning for `mcp-orchestrator cursor connect`: given Cursor's mcp.json and our config's
 * servers, what the new mcp.json holds (one mcp-orchestrator entry), which servers move into our
 * config (validated with our schema), which are skipped and why. No I/O here.
 */
import { ServerSpecSchema, type ServerSpec } from "../config/index.ts"

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
}

export interface ConnectPlan {
  mcpJson: Record<string, unknown>
  /** Servers to add to our config. */
  imported: Record<string, ServerSpec>
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
  const plan: ConnectPlan = { mcpJson: { ...mcpJson }, imported: {}, skipped: [], replacedDocker: false }
  if (o.importServers) {
    for (const [name, spec] of Object.entries(servers)) {
      if (name === o.name) continue
      if (isDockerGateway(spec)) {
        // The orchestrator runs the Toolkit gateway itself; keeping both would duplicate every tool.
        const i = spec.args.indexOf("--profile")
        const p = i >= 0 ? spec.args[i + 1] : spec.args.find((a) => a.startsWith("--profile="))?.slice("--profile=".length)
        if (p) plan.dockerProfile = p
        plan.replacedDocker = true
        delete servers[name]
        continue
      }
      if (!NAME_RE.test(name)) {
        plan.skipped.push({ name, reason: "name is not usable as a tool prefix (letters, digits, _ and - only); rename it in mcp.json first" })
        continue
      }
      if (name in ours) {
        plan.skipped.push({ name, reason: "a server with this name is already in the mcp-orchestrator config" })
        continue
      }
      const parsed = ServerSpecSchema.safeParse(spec)
      if (!parsed.success) {
        plan.skipped.push({ name, reason: `not a server entry mcp-orchestrator understands: ${parsed.error.issues[0]?.message ?? "invalid"}` })
        continue
      }
      plan.imported[name] = parsed.data
      delete servers[name]
    }
  }
  servers[o.name] = o.entry
  plan.mcpJson.mcpServers = servers
  return plan
}

/** JSON with comments (// and /* *\/, as Cursor tolerates) → value. Strings are left intact. */
export function parseJsonc(text: string): unknown {
  let out = ""
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (c === '"') {
      const start = i++
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1
      out += text.slice(start, ++i)
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2)
      i = end < 0 ? text.length : end + 2
    } else if (c === "," && /^\s*[}\]]/.test(text.slice(i + 1, i + 200).replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ""))) {
      i++ // trailing comma, which JSONC allows
    } else {
      out += c
      i++
    }
  }
  return JSON.parse(out)
}
