/**
 * @module cli/commands/pins
 * `pins list` / `pins approve [server[/tool]]` / `pins reset [server]`: the tool-definition pins of
 * the rug-pull defence (proxy.pinTools). A running orchestrator picks the change up at its next
 * tool listing.
 */
import { join } from "node:path"
import type { Command } from "commander"
import { ToolPins } from "../../catalog/index.ts"
import { stateHome } from "../../config/index.ts"
import { silentLogger } from "../../core/index.ts"
import { loadFromFlags, withConfigOptions, type ConfigFlags } from "../flags.ts"

function open(flags: ConfigFlags): ToolPins {
  const { config } = loadFromFlags(flags)
  return new ToolPins(config.proxy.pinsFile ?? join(stateHome(process.env), "pins.json"), config.proxy.pinTools, silentLogger)
}

export function register(program: Command): void {
  const pins = program.command("pins").description("tool-definition pins (rug-pull defence): list, approve changed tools, reset")
  withConfigOptions(pins.command("list").description("every pinned tool; tools whose definition changed and wait for approval are marked"))
    .option("--json", "as JSON")
    .action((o: ConfigFlags & { json?: boolean }) => {
      const p = open(o)
      const rows = p.list()
      const dropped = p.dropped()
      const problem = p.problem()
      if (o.json) {
        process.stdout.write(JSON.stringify({ file: p.path, mode: p.mode, pins: rows, ...(dropped.length ? { dropped } : {}), ...(problem ? { problem } : {}) }, null, 2) + "\n")
        return
      }
      const lines = [`${p.path} (proxy.pinTools: ${p.mode})`]
      if (problem) lines.push(`  file not read: ${problem}`)
      for (const r of rows) lines.push(`  ${r.server}/${r.tool}  ${r.hash}  first seen ${r.firstSeen}${r.pending ? `  CHANGED ${r.pending}, waiting for approval` : ""}`)
      if (!rows.length) lines.push("  (no tools pinned yet)")
      for (const d of dropped) lines.push(`  server ${d.server} changes its tool names all the time: ${d.pins} pins of tools it no longer listed dropped (last ${d.at})`)
      process.stdout.write(lines.join("\n") + "\n")
    })
  withConfigOptions(pins.command("approve").description("accept changed definitions: all, a server's (NAME) or one tool's (NAME/TOOL)").argument("[target]", "server or server/tool"))
    .action((target: string | undefined, o: ConfigFlags) => {
      const [server, ...rest] = (target ?? "").split("/")
      const n = open(o).approve(server || undefined, rest.length ? rest.join("/") : undefined)
      process.stdout.write(n ? `approved ${n} changed tool definition${n === 1 ? "" : "s"}; the tools reappear at the next tool listing\n` : "nothing waits for approval\n")
    })
  withConfigOptions(pins.command("reset").description("forget the pins of a server (or of every server): pinned afresh when next seen").argument("[server]", "server name"))
    .action((server: string | undefined, o: ConfigFlags) => {
      const n = open(o).reset(server)
      process.stdout.write(`forgot ${n} pin${n === 1 ? "" : "s"}\n`)
    })
}
