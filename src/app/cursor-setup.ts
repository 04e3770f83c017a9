/**
 * @module app/cursor-setup
 * `mcp-orchestrator cursor connect|disconnect`: puts mcp-orchestrator into Cursor's mcp.json (global
 * ~/.cursor/mcp.json, or a project's .cursor/mcp.json) and, with `--import`, moves the servers listed
 * there into the orchestrator's config. Every file it changes is backed up first and written
 * atomically; `--dry-run` only reports.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, join } from "node:path"
import { chooseConfigFile, configHome, type ServerSpec } from "../config/index.ts"
import { ConfigError } from "../core/index.ts"
import { parseJsonc, planConnect, type ConnectPlan, type CursorEntry } from "./cursor-plan.ts"

export interface CursorOptions {
  /** mcp.json to edit (default ~/.cursor/mcp.json, or <project>/.cursor/mcp.json). */
  file?: string
  project?: string
  name: string
  importServers: boolean
  dryRun: boolean
  /** Our config file (default: the one the orchestrator would read, else the default location). */
  config?: string
  /** Command Cursor should start (default: this binary). */
  command: string
  env?: Record<string, string | undefined>
}

export interface CursorReport {
  mcpJson: string
  config?: string
  plan?: ConnectPlan
  backups: string[]
  removed?: boolean
  dryRun: boolean
}

export function cursorFile(o: Pick<CursorOptions, "file" | "project" | "env">): string {
  if (o.file) return o.file
  if (o.project) return join(o.project, ".cursor", "mcp.json")
  return join(o.env?.HOME || homedir(), ".cursor", "mcp.json")
}

function readJsonFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {}
  const text = readFileSync(path, "utf8")
  if (!text.trim()) return {}
  let v: unknown
  try {
    v = parseJsonc(text)
  } catch (e) {
    throw new ConfigError([`${path}: not valid JSON (${(e as Error).message})`], { remedy: "Fix the file by hand (Cursor shows JSON errors in its MCP settings), then run the command again." })
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ConfigError([`${path}: expected a JSON object at the top level`])
  return v as Record<string, unknown>
}

/** Writes atomically after backing the old file up (returns the backup path, if any). */
function writeWithBackup(path: string, text: string): string | undefined {
  mkdirSync(dirname(path), { recursive: true })
  let backup: string | undefined
  if (existsSync(path)) {
    backup = `${path}.bak-${new Date().toISOString().replace(/[:.]/g, "-")}`
    copyFileSync(path, backup)
  }
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text, { mode: 0o600 })
  renameSync(tmp, path)
  return backup
}

export function cursorConnect(o: CursorOptions): CursorReport {
  const env = o.env ?? process.env
  const mcpPath = cursorFile(o)
  const mcpJson = readJsonFile(mcpPath)
  const cfgPath = o.config ?? chooseConfigFile(undefined, env)?.path ?? join(configHome(env), "config.yaml")
  const { parseDocument } = require("yaml") as typeof import("yaml")
  const cfgText = existsSync(cfgPath) ? readFileSync(cfgPath, "utf8") : ""
  const doc = parseDocument(cfgText || "{}\n")
  const cfg = (doc.toJS() ?? {}) as { servers?: Record<string, unknown>; mcpServers?: Record<string, unknown> }
  const ours = { ...(cfg.servers ?? {}), ...(cfg.mcpServers ?? {}) }
  const entry: CursorEntry = {
    command: o.command,
    args: ["serve", ...(o.config ? ["--config", o.config] : [])],
    // Cursor drops tools whose key + tool name exceeds 60 characters.
    env: { MCPO_PROXY_NAME_BUDGET: String(Math.max(8, 60 - o.name.length)) },
  }
  const plan = planConnect(mcpJson, ours, { name: o.name, entry, importServers: o.importServers })
  const report: CursorReport = { mcpJson: mcpPath, plan, backups: [], dryRun: o.dryRun }
  const needConfig = Object.keys(plan.imported).length > 0 || plan.dockerProfile !== undefined
  if (needConfig) report.config = cfgPath
  if (o.dryRun) return report
  if (needConfig) {
    const key = cfg.mcpServers && !cfg.servers ? "mcpServers" : "servers"
    for (const [name, spec] of Object.entries(plan.imported)) doc.setIn([key, name], doc.createNode(stripDefaults(spec)))
    if (plan.dockerProfile && doc.getIn(["toolkit", "profile"]) === undefined) doc.setIn(["toolkit", "profile"], plan.dockerProfile)
    const b = writeWithBackup(cfgPath, doc.toString())
    if (b) report.backups.push(b)
  }
  const b = writeWithBackup(mcpPath, JSON.stringify(plan.mcpJson, null, 2) + "\n")
  if (b) report.backups.push(b)
  return report
}

export function cursorDisconnect(o: Pick<CursorOptions, "file" | "project" | "name" | "dryRun" | "env">): CursorReport {
  const mcpPath = cursorFile(o)
  const mcpJson = readJsonFile(mcpPath)
  const servers = { ...((mcpJson.mcpServers as Record<string, unknown> | undefined) ?? {}) }
  const report: CursorReport = { mcpJson: mcpPath, backups: [], removed: o.name in servers, dryRun: o.dryRun }
  if (!report.removed || o.dryRun) return report
  delete servers[o.name]
  const b = writeWithBackup(mcpPath, JSON.stringify({ ...mcpJson, mcpServers: servers }, null, 2) + "\n")
  if (b) report.backups.push(b)
  return report
}

/** Keep the config readable: no `args: []` that the schema added by default. */
function stripDefaults(spec: ServerSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { ...spec }
  if (Array.isArray(out.args) && out.args.length === 0) delete out.args
  return out
}
