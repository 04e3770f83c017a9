/**
 * @module cli/commands/cursor
 * `cursor connect` / `cursor disconnect`: add or remove mcp-orchestrator in Cursor's mcp.json,
 * optionally moving the servers listed there into the orchestrator's config.
 */
import type { Command } from "commander"
import { loadCursorSetup } from "../../app/index.ts"

const compiled = (): boolean => Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:\\~BUN")

/** Longest key: Cursor drops tools whose key + tool name passes 60 characters, so a longer key leaves tool names too little room. */
const MAX_NAME = 40

/** Why `name` cannot be our entry's key in mcp.json (Cursor prefixes every tool with it), or undefined. */
export function nameProblem(name: string): string | undefined {
  if (name === "") return "the key is empty; expected 1-40 of A-Z a-z 0-9 _ - . (e.g. mo)"
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return "expected 1-40 of A-Z a-z 0-9 _ - . (Cursor puts the key in front of every tool name; e.g. mo)"
  if (name.length > MAX_NAME) return `${name.length} characters; expected at most ${MAX_NAME} (Cursor drops tools whose key + tool name passes 60 characters; short keys such as mo leave room for the tool names)`
  return undefined
}

export function register(program: Command): void {
  const cursor = program.command("cursor").description("add mcp-orchestrator to Cursor's mcp.json (and move your servers behind it)")
  cursor
    .command("connect")
    .description("add an mcp-orchestrator entry to ~/.cursor/mcp.json (or a project's); --import moves the other servers into the orchestrator config")
    .option("--import", "move the servers listed in mcp.json into the orchestrator config (the Docker MCP gateway entry is replaced: the orchestrator runs it)")
    .option("--project <dir>", "edit <dir>/.cursor/mcp.json instead of the global one")
    .option("--file <path>", "edit this mcp.json")
    .option("--name <key>", "key of the entry in mcp.json (short keys leave more room for tool names)", "mo")
    .option("-c, --config <file>", "orchestrator config file to import into (also written into the entry, as an absolute path)")
    .option("--command <path>", "command Cursor should start (default: this binary)")
    .option("--dry-run", "show what would change, write nothing")
    .action(async (o: { import?: boolean; project?: string; file?: string; name: string; config?: string; command?: string; dryRun?: boolean }) => {
      const bad = nameProblem(o.name)
      if (bad) {
        process.stderr.write(`mcp-orchestrator: --name ${JSON.stringify(o.name)}: ${bad} (run 'mcp-orchestrator cursor connect --help' for usage)\n`)
        process.exitCode = 2
        return
      }
      const { cursorConnect } = await loadCursorSetup()
      const command = o.command ?? (compiled() ? process.execPath : undefined)
      if (!command) {
        process.stderr.write("mcp-orchestrator: run this from the compiled binary (dist/mcp-orchestrator), or pass --command <path to the binary>\n")
        process.exitCode = 2
        return
      }
      const r = cursorConnect({
        name: o.name,
        importServers: !!o.import,
        dryRun: !!o.dryRun,
        command,
        ...(o.project ? { project: o.project } : {}),
        ...(o.file ? { file: o.file } : {}),
        ...(o.config ? { config: o.config } : {}),
      })
      const p = r.plan!
      const written = (p.mcpJson.mcpServers as Record<string, { command: string; args: string[] }>)[o.name]!
      const target = `entry "${o.name}" → ${[written.command, ...written.args].join(" ")}`
      // a second run finds everything in place: it says so, and writes nothing
      const lines = [...r.notes.map((n) => `note: ${n}`), r.changed ? `${r.dryRun ? "would write" : "wrote"} ${r.mcpJson}: ${target}` : `${r.mcpJson} already has ${target}; nothing to change`]
      const imported = Object.keys(p.imported)
      if (imported.length) lines.push(`${r.dryRun ? "would move" : "moved"} into ${r.config}: ${imported.join(", ")}`)
      if (p.already.length) lines.push(`already in the orchestrator config, ${r.dryRun ? "would be " : ""}removed from mcp.json: ${p.already.join(", ")}`)
      if (p.replacedDocker) lines.push(`the Docker MCP gateway entry was ${r.dryRun ? "to be " : ""}removed (the orchestrator runs the gateway itself${p.dockerProfile ? `; toolkit.profile: ${p.dockerProfile}` : ""})`)
      for (const s of p.skipped) lines.push(`kept in mcp.json: ${s.name} (${s.reason})`)
      for (const b of r.backups) lines.push(`backup: ${b}`)
      if (!r.dryRun && r.changed) lines.push("Restart Cursor (or toggle the server in Settings → MCP) to pick up the change.")
      process.stdout.write(lines.join("\n") + "\n")
    })
  cursor
    .command("disconnect")
    .description("remove the mcp-orchestrator entry from Cursor's mcp.json and put back the servers `connect --import` moved out of it (a backup is kept)")
    .option("--project <dir>", "edit <dir>/.cursor/mcp.json instead of the global one")
    .option("--file <path>", "edit this mcp.json")
    .option("--name <key>", "key of the entry", "mo")
    .option("--dry-run", "show what would change, write nothing")
    .action(async (o: { project?: string; file?: string; name: string; dryRun?: boolean }) => {
      // a key connect could never have written: a typo, said as connect says it (not "no entry …; nothing to do")
      const bad = nameProblem(o.name)
      if (bad) {
        process.stderr.write(`mcp-orchestrator: --name ${JSON.stringify(o.name)}: ${bad} (run 'mcp-orchestrator cursor disconnect --help' for usage)\n`)
        process.exitCode = 2
        return
      }
      const { cursorDisconnect } = await loadCursorSetup()
      const r = cursorDisconnect({ name: o.name, dryRun: !!o.dryRun, ...(o.project ? { project: o.project } : {}), ...(o.file ? { file: o.file } : {}) })
      const restored = r.restored ?? []
      const notes = r.notes.map((n) => `note: ${n}\n`).join("")
      if (!r.removed && !restored.length) {
        process.stdout.write(`${notes}no entry "${o.name}" in ${r.mcpJson}; nothing to do\n`)
        return
      }
      const lines: string[] = r.notes.map((n) => `note: ${n}`)
      if (r.removed) lines.push(`${r.dryRun ? "would remove" : "removed"} "${o.name}" from ${r.mcpJson}`)
      if (restored.length) lines.push(`${r.dryRun ? "would put back" : "put back"} into ${r.mcpJson}: ${restored.join(", ")} (they stay in the orchestrator config too)`)
      for (const b of r.backups) lines.push(`backup: ${b}`)
      process.stdout.write(lines.join("\n") + "\n")
    })
}
