/**
 * @module app/cursor-setup
 * `mcp-orchestrator cursor connect|disconnect`: puts mcp-orchestrator into Cursor's mcp.json (global
 * ~/.cursor/mcp.json, or a project's .cursor/mcp.json) and, with `--import`, moves the servers listed
 * there into the orchestrator's config. mcp.json is edited in place (comments, formatting and key
 * order kept; app/jsonc-edit), what was moved out is recorded (app/cursor-record) so `disconnect`
 * puts it back. Every file it changes is backed up first and written atomically; `--dry-run` only
 * reports. A file keeps what it had besides the edit: a leading UTF-8 BOM, its mode (a new file is
 * 0600: it may hold the moved servers' secrets), and a symlink stays a link (its target is written).
 * Paths written into our entry (`--config`, a `--command` with a directory) are absolute: Cursor
 * starts the entry from a directory of its own.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { chooseConfigFile, configHome, runsOrchestrator, selfBinary, workspaceFolder } from "../config/index.ts"
import { ConfigError, writeFileAtomic } from "../core/index.ts"
import { isOrchestratorEntry, planConnect, type ConnectPlan, type CursorEntry } from "./cursor-plan.ts"
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

const BOM = "\uFEFF"

/** The file's text without a leading UTF-8 BOM ("" when absent), and whether it had one (written back with it). */
function readText(path: string): { text: string; bom: boolean } {
  const raw = existsSync(path) ? readFileSync(path, "utf8") : ""
  return raw.startsWith(BOM) ? { text: raw.slice(1), bom: true } : { text: raw, bom: false }
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

/**
 * Writes atomically after backing the old file up (returns the backup path, if any). The file keeps
 * its mode and BOM; a symlink is written through (its target replaced, the link kept). A new file
 * is 0600.
 */
function writeWithBackup(path: string, text: string, bom = false): string | undefined {
  mkdirSync(dirname(path), { recursive: true })
  let backup: string | undefined
  let target = path
  let mode = 0o600
  if (existsSync(path)) {
    target = realpathSync(path)
    mode = statSync(target).mode & 0o7777
    backup = `${path}.bak-${new Date().toISOString().replace(/[:.]/g, "-")}`
    copyFileSync(target, backup)
  }
  writeFileAtomic(target, bom ? BOM + text : text, { dirMode: 0o755, mode })
  return backup
}

/** The user's own server under our key: refused, nothing written. */
function refuseTaken(mcpPath: string, name: string, spec: unknown): never {
  const e = spec as { command?: unknown; args?: unknown; url?: unknown }
  const what = typeof e?.command === "string" ? [e.command, ...(Array.isArray(e.args) ? e.args : [])].join(" ") : typeof e?.url === "string" ? e.url : JSON.stringify(spec)
  throw new ConfigError([`${mcpPath}: mcpServers.${name} is another server (${what}), not mcp-orchestrator`], {
    remedy: `Nothing was changed. Pass another key with --name (e.g. --name ${name === "mo" ? "mcpo" : "mo"}; short keys leave room for tool names), or rename that entry in mcp.json first (then \`--import\` moves it too).`,
  })
}

export function cursorConnect(o: CursorOptions): CursorReport {
  const env = o.env ?? process.env
  const mcpPath = cursorFile(o)
  const { text: mcpText, bom: mcpBom } = readText(mcpPath)
  const mcpJson = parseMcpJson(mcpPath, mcpText)
  // absolute: Cursor starts our entry from a directory of its own (and without this shell's
  // MCPO_CONFIG: a config found through it is named in the entry)
  const chosen = o.config ?? (env.MCPO_CONFIG ? chooseConfigFile(undefined, env)?.path : undefined)
  const config = chosen !== undefined ? resolve(chosen) : undefined
  const command = /[\\/]/.test(o.command) ? resolve(o.command) : o.command
  const cfgPath = config ?? chooseConfigFile(undefined, env)?.path ?? join(configHome(env), "config.yaml")
  const { text: cfgText, bom: cfgBom } = readText(cfgPath)
  const asJson = /\.jsonc?$/i.test(cfgPath)
  const { parseDocument } = require("yaml") as typeof import("yaml")
  const doc = parseDocument(cfgText || "{}\n")
  const cfg = ((asJson ? parseMcpJson(cfgPath, cfgText) : doc.toJS()) ?? {}) as { servers?: Record<string, unknown>; mcpServers?: Record<string, unknown> }
  const ours = { ...(cfg.servers ?? {}), ...(cfg.mcpServers ?? {}) }
  const workspace = o.project ? resolve(o.project) : undefined
  const entry: CursorEntry = {
    command,
    args: ["serve", ...(config ? ["--config", config] : [])],
    env: {
      // Cursor drops tools whose key + tool name exceeds 60 characters.
      MCPO_PROXY_NAME_BUDGET: String(Math.max(8, 60 - o.name.length)),
      // ${workspaceFolder} of a project's servers keeps meaning that project.
      ...(workspace ? { MCPO_WORKSPACE: workspace } : {}),
    },
  }
  const vars = { env, workspace: workspace ?? workspaceFolder(env) }
  const isOrchestrator = (spec: unknown): boolean => runsOrchestrator(spec, [command, selfBinary()], env)
  const plan = planConnect(mcpJson, ours, { name: o.name, entry, importServers: o.importServers, vars, isOrchestrator, ...(workspace ? { project: workspace } : {}) })
  if (plan.taken !== undefined) refuseTaken(mcpPath, o.name, plan.taken)
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
    const b = writeWithBackup(cfgPath, text, cfgBom)
    if (b) report.backups.push(b)
  }
  let text = mcpText
  for (const name of Object.keys(plan.moved)) text = removeJsonc(text, ["mcpServers", name])
  text = setJsonc(text, ["mcpServers", o.name], entry)
  const b = writeWithBackup(mcpPath, text, mcpBom)
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
  const { text: mcpText, bom } = readText(mcpPath)
  const servers = (parseMcpJson(mcpPath, mcpText).mcpServers ?? {}) as Record<string, unknown>
  // the user's own server under that key is not ours to remove
  const has = (name: string): boolean => Object.hasOwn(servers, name)
  if (has(o.name) && !isOrchestratorEntry(servers[o.name], (spec) => runsOrchestrator(spec, [selfBinary()], env))) refuseTaken(mcpPath, o.name, servers[o.name])
  const rec = importOf(env, mcpPath)
  const restore = rec && rec.entry === o.name ? Object.entries(rec.servers).filter(([n]) => !has(n)) : []
  const report: CursorReport = { mcpJson: mcpPath, backups: [], removed: has(o.name), restored: restore.map(([n]) => n), dryRun: o.dryRun }
  if ((!report.removed && !restore.length) || o.dryRun) return report
  let text = removeJsonc(mcpText, ["mcpServers", o.name])
  for (const [name, spec] of restore) text = setJsonc(text, ["mcpServers", name], spec)
  const b = writeWithBackup(mcpPath, text, bom)
  if (b) report.backups.push(b)
  forgetImport(env, mcpPath)
  return report
}
