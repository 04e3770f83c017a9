/**
 * @module cli/commands/pins
 * `pins list` / `pins approve [server[/tool]]` / `pins reset [server]`: the tool-definition pins of
 * the rug-pull defence (proxy.pinTools). A running orchestrator picks the change up at its next
 * tool listing.
 */
import type { Command } from "commander"
import { pinKey, ToolPins } from "../../catalog/index.ts"
import { pinsFile, type InvalidServer } from "../../config/index.ts"
import { silentLogger } from "../../core/index.ts"
import { loadFromFlags, withConfigOptions, type ConfigFlags } from "../flags.ts"
import { leftOutJson, leftOutLine, noteLeftOut } from "../left-out.ts"

function open(flags: ConfigFlags): { pins: ToolPins; servers: string[]; invalid: InvalidServer[] } {
  const { config, invalidServers } = loadFromFlags(flags)
  return { pins: new ToolPins(pinsFile(config.proxy.pinsFile, process.env), config.proxy.pinTools, silentLogger), servers: Object.keys(config.servers), invalid: invalidServers ?? [] }
}

/**
 * Why `server` (and `tool`) name nothing pinned, or undefined when they do: a mistyped name must not
 * read as "nothing waits" (exit 0), which would leave the user thinking the approval went through.
 */
function unknownTarget(pins: ToolPins, configured: string[], invalid: InvalidServer[], server: string, tool?: string): string | undefined {
  const rows = pins.list()
  const ofServer = rows.filter((r) => r.server === server)
  if (ofServer.length === 0) {
    const pinned = [...new Set(rows.map((r) => r.server))].sort()
    const bad = configured.includes(server) ? undefined : invalid.find((s) => s.name === server)
    const where = configured.includes(server)
      ? `server ${server} is configured but has no tool pinned yet (pins are made when its tools are first listed)`
      : bad
        ? `server ${server} has no tool pinned: its config entry ${leftOutLine(bad)}`
        : `no server ${server} is configured or pinned`
    return `${where}; servers with pins: ${pinned.length ? pinned.join(", ") : "(none)"}`
  }
  // a tool named after a configured value is pinned under its key (`fetch_[REDACTED]#…`): either name finds it
  if (tool !== undefined && !ofServer.some((r) => r.tool === tool || r.tool === pinKey(tool))) {
    const names = ofServer.map((r) => r.tool).sort()
    return `server ${server} has no tool ${tool} pinned; its pinned tools: ${names.slice(0, 20).join(", ")}${names.length > 20 ? ` (and ${names.length - 20} more)` : ""}`
  }
  return undefined
}

function refuse(why: string): never {
  process.stderr.write(`mcp-orchestrator pins: ${why}\n`)
  process.exit(2)
}

export function register(program: Command): void {
  const pins = program.command("pins").description("tool-definition pins (rug-pull defence): list, approve changed tools, reset")
  withConfigOptions(pins.command("list").description("every pinned tool; tools whose definition changed and wait for approval are marked"))
    .option("--json", "as JSON")
    .action((o: ConfigFlags & { json?: boolean }) => {
      const { pins: p, invalid } = open(o)
      const rows = p.list()
      const dropped = p.dropped()
      const problem = p.problem()
      const remedy = problem ? p.remedy() : undefined
      if (o.json) {
        process.stdout.write(JSON.stringify({ file: p.path, mode: p.mode, pins: rows, ...(dropped.length ? { dropped } : {}), ...(problem ? { problem } : {}), ...(remedy ? { remedy } : {}), ...leftOutJson(invalid) }, null, 2) + "\n")
        return
      }
      noteLeftOut("pins", invalid, "its tools are not pinned until the entry is fixed")
      const lines = [`${p.path} (proxy.pinTools: ${p.mode})`]
      if (problem) lines.push(`  file not read: ${problem}`)
      if (remedy) lines.push(`  what to do: ${remedy}`)
      for (const r of rows) lines.push(`  ${r.server}/${r.tool}  ${r.hash}  first seen ${r.firstSeen}${r.pending ? `  CHANGED ${r.pending}, waiting for approval` : ""}`)
      if (!rows.length) lines.push("  (no tools pinned yet)")
      for (const d of dropped) lines.push(`  server ${d.server} changes its tool names all the time: ${d.pins} pins of tools it no longer listed dropped (last ${d.at})`)
      process.stdout.write(lines.join("\n") + "\n")
    })
  withConfigOptions(pins.command("approve").description("accept changed definitions: all, a server's (NAME) or one tool's (NAME/TOOL)").argument("[target]", "server or server/tool"))
    .action((target: string | undefined, o: ConfigFlags) => {
      const [server, ...rest] = (target ?? "").split("/")
      const tool = rest.length ? rest.join("/") : undefined
      const { pins, servers, invalid } = open(o)
      // a file that cannot be read: its pins are unknown, not none (a target is not "unknown" then)
      if (pins.problem() !== undefined && fileNotRead(pins)) return
      const unknown = server ? unknownTarget(pins, servers, invalid, server, tool) : undefined
      if (unknown) refuse(unknown)
      const n = pins.approve(server || undefined, tool)
      if (fileNotRead(pins)) return
      process.stdout.write(n ? `approved ${n} changed tool definition${n === 1 ? "" : "s"}; the tools reappear at the next tool listing\n` : "nothing waits for approval\n")
    })
  withConfigOptions(pins.command("reset").description("forget the pins of a server (or of every server): pinned afresh when next seen").argument("[server]", "server name"))
    .action((server: string | undefined, o: ConfigFlags) => {
      const { pins, servers, invalid } = open(o)
      // a file that cannot be read: its pins are unknown, not none (a target is not "unknown" then)
      if (pins.problem() !== undefined && !pins.damagedFile() && fileNotRead(pins)) return
      const unknown = server ? unknownTarget(pins, servers, invalid, server) : undefined
      if (unknown) refuse(unknown)
      const n = pins.reset(server)
      if (fileNotRead(pins)) return
      process.stdout.write(`forgot ${n} pin${n === 1 ? "" : "s"}\n`)
    })
}

/**
 * The pins file could not be read (its permissions, a damaged file `approve` leaves as it is): what
 * it holds is unknown, so "nothing waits for approval" or "forgot 0 pins" would be untrue. Says so,
 * with what to do, on stderr, exit code 1; true when it did.
 */
function fileNotRead(pins: ToolPins): boolean {
  const problem = pins.problem()
  if (problem === undefined) return false
  process.stderr.write(`pins file not read: ${problem}\nwhat to do: ${pins.remedy() ?? "see mcp-orchestrator pins list"}\n`)
  process.exitCode = 1
  return true
}
