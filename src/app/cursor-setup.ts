/**
 * @module app/cursor-setup
 * `mcp-orchestrator cursor connect|disconnect`: puts mcp-orchestrator into Cursor's mcp.json (global
 * ~/.cursor/mcp.json, or a project's .cursor/mcp.json) and, with `--import`, moves the servers listed
 * there into the orchestrator's config. mcp.json is edited in place (comments, formatting and key
 * order kept; app/jsonc-edit), what was moved out is recorded (app/cursor-record) so `disconnect`
 * puts it back. Every file it changes is backed up first and written atomically; `--dry-run` only
 * reports.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { chooseConfigFile, configHome, workspaceFolder } from "../config/index.ts"
import { ConfigError, writeFileAtomic } from "../core/index.ts"
import { planConnect, type ConnectPlan, type CursorEntry } from "./cursor-plan.ts"
import { forgetImport, importOf, recordImport } from "./cursor-record.ts"
import { parseJsonc, removeJsonc, setJsonc } from "./jsonc-edit.ts"

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
  /** `disconnect`: servers put back into mcp.json from the import record. */
  restored?: string[]
  dryRun: boolean
}

export function cursorFile(o: Pick<CursorOptions, "file" | "project" | "env">): string {
  if (o.file) return o.file
  if (o.project) return join(o.project, ".cursor", "mcp.json")
  return join(o.env?.HOME || homedir(), ".cursor", "mcp.json")
}

function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : ""
}

function parseMcpJson(path: string, text: string): Record<string, unknown> {
  if (!text.trim()) return {}
  let v: unknown
  try {
    v = parseJsonc(text)
  } catch (e) {
    throw new ConfigError([`${path}: not valid JSON (${(e as Error).message})`], { remedy: "Fix the file by hand (Cursor shows JSON errors in its MCP settings), then run the command again." })
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ConfigError([`${path}: expected a JSON object at the top level`])
  const servers = (v as Record<string, unknown>).mcpServers
  if (servers !== undefined && (typeof servers !== "object" || servers === null || Array.isArray(servers))) throw new ConfigError([`${path}: mcpServers: expected an object`])
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
  writeFileAtomic(path, text, { dirMode: 0o755 })
  return backup
}

export function cursorConnect(o: CursorOptions): CursorReport {
  const env = o.env ?? process.env
  const mcpPath = cursorFile(o)
  const mcpText = readText(mcpPath)
  const mcpJson = parseMcpJson(mcpPath, mcpText)
  const cfgPath = o.config ?? chooseConfigFile(undefined, env)?.path ?? join(configHome(env), "config.yaml")
  const cfgText = readText(cfgPath)
  const asJson = cfgPath.endsWith(".json")
  const { parseDocument } = require("yaml") as typeof import("yaml")
  const doc = parseDocument(cfgText || "{}\n")
  const cfg = ((asJson ? parseMcpJson(cfgPath, cfgText) : doc.toJS()) ?? {}) as { servers?: Record<string, unknown>; mcpServers?: Record<string, unknown> }
  const ours = { ...(cfg.servers ?? {}), ...(cfg.mcpServers ?? {}) }
  const workspace = o.project ? resolve(o.project) : undefined
  const entry: CursorEntry = {
    command: o.command,
    args: ["serve", ...(o.config ? ["--config", o.config] : [])],
    env: {
      // Cursor drops tools whose key + tool name exceeds 60 characters.
      MCPO_PROXY_NAME_BUDGET: String(Math.max(8, 60 - o.name.length)),
      // ${workspaceFolder} of a project's servers keeps meaning that project.
      ...(workspace ? { MCPO_WORKSPACE: workspace } : {}),
    },
  }
  const vars = { env, workspace: workspace ?? workspaceFolder(env) }
  const plan = planConnect(mcpJson, ours, { name: o.name, entry, importServers: o.importServers, vars })
  const report: CursorReport = { mcpJson: mcpPath, plan, backups: [], dryRun: o.dryRun }
  const needConfig = Object.keys(plan.imported).length > 0 || plan.dockerProfile !== undefined
  if (needConfig) report.config = cfgPath
  if (o.dryRun) return report
  // Recorded first: should a write below fail, disconnect restores only what is missing from mcp.json.
  if (Object.keys(plan.moved).length) recordImport(env, mcpPath, { entry: o.name, servers: plan.moved, config: cfgPath })
  if (needConfig) {
    const key = cfg.mcpServers && !cfg.servers ? "mcpServers" : "servers"
    let text: string
    if (asJson) {
      text = cfgText
      for (const [name, spec] of Object.entries(plan.imported)) text = setJsonc(text, [key, name], spec)
      if (plan.dockerProfile && !(cfg as { toolkit?: { profile?: string } }).toolkit?.profile) text = setJsonc(text, ["toolkit", "profile"], plan.dockerProfile)
    } else {
      for (const [name, spec] of Object.entries(plan.imported)) doc.setIn([key, name], doc.createNode(spec))
      if (plan.dockerProfile && doc.getIn(["toolkit", "profile"]) === undefined) doc.setIn(["toolkit", "profile"], plan.dockerProfile)
      text = doc.toString()
    }
    const b = writeWithBackup(cfgPath, text)
    if (b) report.backups.push(b)
  }
  let text = mcpText
  for (const name of Object.keys(plan.moved)) text = removeJsonc(text, ["mcpServers", name])
  text = setJsonc(text, ["mcpServers", o.name], entry)
  const b = writeWithBackup(mcpPath, text)
  if (b) report.backups.push(b)
  return report
}

/**
 * Removes our entry and puts back what `connect --import` moved out of this mcp.json (entries
 * present there again are left alone). The orchestrator config is not touched: the servers stay
 * there too, and a later `connect --import` recognises them as already moved.
 */
export function cursorDisconnect(o: Pick<CursorOptions, "file" | "project" | "name" | "dryRun" | "env">): CursorReport {
  const env = o.env ?? process.env
  const mcpPath = cursorFile(o)
  const mcpText = readText(mcpPath)
  const servers = (parseMcpJson(mcpPath, mcpText).mcpServers ?? {}) as Record<string, unknown>
  const rec = importOf(env, mcpPath)
  const restore = rec && rec.entry === o.name ? Object.entries(rec.servers).filter(([n]) => !(n in servers)) : []
  const report: CursorReport = { mcpJson: mcpPath, backups: [], removed: o.name in servers, restored: restore.map(([n]) => n), dryRun: o.dryRun }
  if ((!report.removed && !restore.length) || o.dryRun) return report
  let text = removeJsonc(mcpText, ["mcpServers", o.name])
  for (const [name, spec] of restore) text = setJsonc(text, ["mcpServers", name], spec)
  const b = writeWithBackup(mcpPath, text)
  if (b) report.backups.push(b)
  forgetImport(env, mcpPath)
  return report
}
