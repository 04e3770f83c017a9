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
import { existsSync, lstatSync, mkdirSync, readlinkSync, realpathSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { chooseConfigFile, configHome, parseConfigText, readJsonc, runsOrchestrator, selfBinary, workspaceFolder } from "../config/index.ts"
import { ConfigError, homeDir, readPlainFile, readPlainText, REDACTED, serverSecrets, writeFileAtomic } from "../core/index.ts"
import { isOrchestratorEntry, planConnect, type ConnectPlan, type CursorEntry } from "./cursor-plan.ts"
import { forgetImport, importOf, recordImport } from "./cursor-record.ts"
import { addYamlEntries } from "./cursor-yaml.ts"
import { entryComments, parseJsonc, removeJsonc, setJsonc } from "./jsonc-edit.ts"

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
  /** `connect`: whether the run changes (or, with --dry-run, would change) either file. */
  changed?: boolean
  /** Things read in a way worth saying (`"mcpServers": null` read as none). */
  notes: string[]
}

/**
 * The `proxy.nameBudget` for an entry under `key` in Cursor's mcp.json: Cursor drops a tool whose key
 * + tool name is 60 characters or more ("Combined server and tool name length (60) exceeds 60
 * characters" for key `g` and a 59-character tool), so the longest exposed name is 59 minus the key.
 */
export function cursorNameBudget(key: string): number {
  return Math.max(8, 59 - key.length)
}

export function cursorFile(o: Pick<CursorOptions, "file" | "project" | "env">): string {
  if (o.file) return o.file
  if (o.project) {
    // a mistyped --project would otherwise be created (with a .cursor/mcp.json in it) and named in the entry
    let dir = false
    try {
      dir = statSync(o.project).isDirectory()
    } catch {
      // not there
    }
    if (!dir) throw new ConfigError([`--project ${o.project}: ${existsSync(o.project) ? "not a directory" : "no such directory"}`], { remedy: "Name the project's folder (the one Cursor opens); nothing was written." })
    return join(o.project, ".cursor", "mcp.json")
  }
  return join(homeDir(o.env ?? process.env), ".cursor", "mcp.json")
}

const BOM = "\uFEFF"

/** The file's text without a leading UTF-8 BOM ("" when absent), and whether it had one (written back with it). */
function readText(path: string, other = "--file with the mcp.json to edit"): { text: string; bom: boolean } {
  let raw = ""
  try {
    raw = readPlainText(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e)
    // not there yet: created; anything else (a directory, no permission) is said naming the file
    if (code !== "ENOENT") {
      throw new ConfigError([`${path}: cannot read the file (${code})`], {
        remedy:
          code === "EISDIR"
            ? `That is a directory, not a file: move it out of the way (or pass ${other}); nothing was changed.`
            : code === "ENOTREG"
              ? `That is no regular file (a FIFO, a socket or a device): move it out of the way (or pass ${other}); nothing was changed.`
              : code === "ENOTDIR"
              ? `A file stands where one of the directories on that path should be (${dirname(path)}): move it out of the way (or pass ${other}); nothing was changed.`
              : `Make it readable by this user (or pass ${other}); nothing was changed.`,
      })
    }
  }
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
  // a key written twice: Cursor takes the last, an edit would find the first (and leave the other behind)
  const lines = readJsonc(text)
  if ("duplicate" in lines && lines.duplicate) {
    const d = lines.duplicate
    throw new ConfigError([`${d.path.join(".")} (${path}:${d.line}): duplicate key; it is already set on line ${d.firstLine}`], {
      remedy: "Cursor uses the last of the two; remove the one not meant, then run the command again. Nothing was changed.",
    })
  }
  const servers = (v as Record<string, unknown>).mcpServers
  if (servers !== undefined && servers !== null && (typeof servers !== "object" || Array.isArray(servers))) {
    throw new ConfigError([`${path}: mcpServers: expected an object of server entries ({ "NAME": { "command": … } }), got ${describe(servers)}`], { remedy: "Fix the file by hand, then run the command again. Nothing was changed." })
  }
  return v as Record<string, unknown>
}

/** `"mcpServers": null` (a client that wrote no servers that way): read as none, with this note. */
function nullServersNote(path: string, mcpJson: Record<string, unknown>): string[] {
  return mcpJson.mcpServers === null ? [`${path}: "mcpServers" is null; read as no servers`] : []
}

/**
 * Writes atomically after backing the old file up (returns the backup path, if any; the backup is
 * 0600: `backUp`). The file keeps its mode and BOM; a symlink is written through (its target
 * replaced, the link kept). A new file is 0600.
 */
function writeWithBackup(path: string, text: string, bom = false): string | undefined {
  const target = linkTarget(path)
  mkdirSync(dirname(target), { recursive: true })
  let backup: string | undefined
  let mode = 0o600
  const data = bom ? BOM + text : text
  if (existsSync(target)) {
    // nothing changes (a second run): the file is left alone, no backup piles up
    if (readPlainText(target) === data) return undefined
    mode = statSync(target).mode & 0o7777
    backup = backUp(target, path)
  }
  writeFileAtomic(target, data, { dirMode: 0o755, mode })
  return backup
}

/**
 * The config the servers moved into keeps its mode (the user chose it); one that other users may
 * read and now holds the moved servers' secrets is said, with the command that makes it owner-only.
 */
function readableSecretsNote(cfgPath: string, imported: Record<string, unknown>): string[] {
  if (process.platform === "win32") return []
  let mode: number
  try {
    mode = statSync(cfgPath).mode & 0o777
  } catch {
    return []
  }
  if ((mode & 0o077) === 0) return []
  const holding = Object.entries(imported).filter(([, spec]) => serverSecrets(spec as Parameters<typeof serverSecrets>[0]).length > 0).map(([n]) => n)
  if (!holding.length) return []
  return [`${cfgPath} may be read by other users (mode ${mode.toString(8).padStart(4, "0")}) and now holds the secrets of ${holding.join(", ")}: run \`chmod 600 ${cfgPath}\``]
}

/**
 * Copies `target` to `<path>.bak-<time>`, owner-only (0600) from its creation, whatever the file's
 * mode: the backup keeps what the edit moves out (`connect --import` moves the servers' env and
 * headers, their secrets, out of a 0644 mcp.json; a copy with the file's mode left them readable
 * by everyone). Never over an existing file (two runs within a millisecond: `-1`, `-2`…).
 */
function backUp(target: string, path: string): string {
  const data = readPlainFile(target)
  const stamp = `${path}.bak-${new Date().toISOString().replace(/[:.]/g, "-")}`
  for (let i = 0; ; i++) {
    const backup = i === 0 ? stamp : `${stamp}-${i}`
    try {
      writeFileSync(backup, data, { mode: 0o600, flag: "wx" })
      return backup
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || i >= 20) throw e
    }
  }
}

/**
 * The file a write to `path` goes to: `path` itself, or the file its symlink (chain) points to,
 * also when that one does not exist yet (a dotfiles link made before its target): the link stays.
 */
function linkTarget(path: string): string {
  let p = path
  for (let hops = 0; hops < 40; hops++) {
    let isLink = false
    try {
      isLink = lstatSync(p).isSymbolicLink()
    } catch {
      return p // nothing there: created as a file
    }
    if (!isLink) return p
    p = resolve(dirname(p), readlinkSync(p))
  }
  return realpathSync(path) // a loop: the error names it
}

/**
 * A file nobody may write (mode without any w bit: made read-only on purpose) is left alone: the
 * atomic rename would replace it regardless of its mode. Refused naming it; nothing is written.
 */
function refuseReadOnly(path: string): void {
  const target = linkTarget(path)
  let mode: number
  try {
    mode = statSync(target).mode & 0o7777
  } catch {
    return // not there yet: created
  }
  if ((mode & 0o222) !== 0) return
  throw new ConfigError([`${path}${target !== path ? ` (→ ${target})` : ""}: the file is read-only (mode ${mode.toString(8).padStart(4, "0")}); it was not changed`], {
    remedy: `Nothing was written. Make it writable (chmod u+w ${target}) and run the command again, or make the change by hand.`,
  })
}

/** A mapping, or nothing there yet (absent, or a key written without a value). */
function mapOrNothing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "object" && !Array.isArray(v))
}

function describe(v: unknown): string {
  return Array.isArray(v) ? "a list" : typeof v === "string" ? "a string" : typeof v
}

/** The user's own server under our key: refused, nothing written. */
function refuseTaken(mcpPath: string, name: string, spec: unknown): never {
  const e = spec as { command?: unknown; args?: unknown; url?: unknown }
  let what = typeof e?.command === "string" ? [e.command, ...(Array.isArray(e.args) ? e.args : [])].join(" ") : typeof e?.url === "string" ? e.url : JSON.stringify(spec)
  // that server's own secrets (an --api-key value, a token in its URL) are not ours to print
  for (const secret of serverSecrets(spec as Parameters<typeof serverSecrets>[0]).sort((a, b) => b.length - a.length)) what = what.split(secret).join(REDACTED)
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
  const { text: cfgText, bom: cfgBom } = readText(cfgPath, "--config with the orchestrator config file to import into")
  const asJson = /\.jsonc?$/i.test(cfgPath)
  // read as serve reads it: a syntax error, a duplicate key or a list at the top is said with file:line before anything is written
  const cfgFile = parseConfigText(cfgText, cfgPath)
  const cfg = cfgFile.values as { servers?: Record<string, unknown> | null; mcpServers?: Record<string, unknown> | null; toolkit?: unknown }
  const ours = { ...(cfg.servers ?? {}), ...(cfg.mcpServers ?? {}) }
  const workspace = o.project ? resolve(o.project) : undefined
  const entry: CursorEntry = {
    command,
    args: ["serve", ...(config ? ["--config", config] : [])],
    env: {
      // Cursor drops tools whose key + tool name reaches 60 characters (key `g` + a 59-character tool is dropped).
      MCPO_PROXY_NAME_BUDGET: String(cursorNameBudget(o.name)),
      // ${workspaceFolder} of a project's servers keeps meaning that project.
      ...(workspace ? { MCPO_WORKSPACE: workspace } : {}),
    },
  }
  const vars = { env, workspace: workspace ?? workspaceFolder(env) }
  const isOrchestrator = (spec: unknown): boolean => runsOrchestrator(spec, [command, selfBinary()], env)
  const plan = planConnect(mcpJson, ours, { name: o.name, entry, importServers: o.importServers, vars, isOrchestrator, ...(workspace ? { project: workspace } : {}) })
  if (plan.taken !== undefined) refuseTaken(mcpPath, o.name, plan.taken)
  const report: CursorReport = { mcpJson: mcpPath, plan, backups: [], dryRun: o.dryRun, notes: nullServersNote(mcpPath, mcpJson) }
  const needConfig = Object.keys(plan.imported).length > 0 || plan.dockerProfile !== undefined
  const key = cfg.mcpServers && !cfg.servers ? "mcpServers" : "servers"
  if (needConfig) {
    report.config = cfgPath
    // the mappings the entries go into: absent or empty (`servers:`) is fine, anything else is refused before anything is written
    const notMap = (k: string): ConfigError =>
      new ConfigError([`${k} (${cfgPath}:${cfgFile.lineOf([k]) ?? 1}): expected a mapping, got ${describe((cfg as Record<string, unknown>)[k])}; the servers cannot be moved into it`], {
        remedy: "Fix the config file (see docs/config.md), then run the command again; nothing was changed.",
      })
    if (Object.keys(plan.imported).length && !mapOrNothing(cfg[key])) throw notMap(key)
    if (plan.dockerProfile && !mapOrNothing(cfg.toolkit)) throw notMap("toolkit")
  }
  // a file made read-only on purpose is not replaced (checked for both before either is written)
  refuseReadOnly(mcpPath)
  if (needConfig) refuseReadOnly(cfgPath)
  // the new texts first: a run that changes neither file says so (and writes nothing)
  // the comments written with each entry that leaves mcp.json go with it (into the config, and the record)
  const comments: Record<string, string[]> = {}
  for (const name of Object.keys(plan.moved)) {
    const c = entryComments(mcpText, ["mcpServers", name])
    if (c.length) comments[name] = c
  }
  const dockerName = Object.keys(plan.moved).find((n) => !Object.hasOwn(plan.imported, n) && !plan.already.includes(n))
  let cfgNew: string | undefined
  if (needConfig) {
    const profile = plan.dockerProfile && (cfg.toolkit as { profile?: unknown } | null | undefined)?.profile === undefined ? plan.dockerProfile : undefined
    const hasImports = Object.keys(plan.imported).length > 0
    let text: string
    if (asJson) {
      text = cfgText
      // `"servers": null` is replaced by the mapping (a key cannot be added to null)
      if (hasImports && cfg[key] === null) text = setJsonc(text, [key], {})
      for (const [name, spec] of Object.entries(plan.imported)) text = setJsonc(text, [key, name], spec, comments[name])
      if (profile !== undefined && cfg.toolkit === null) text = setJsonc(text, ["toolkit"], {})
      if (profile !== undefined) text = setJsonc(text, ["toolkit", "profile"], profile, dockerName ? comments[dockerName] : undefined)
    } else {
      // only the new entries are written; the rest of the file stays as it was (app/cursor-yaml)
      text = cfgText
      if (hasImports) text = addYamlEntries(text, key, plan.imported, comments)
      if (profile !== undefined) text = addYamlEntries(text, "toolkit", { profile }, dockerName && comments[dockerName] ? { profile: comments[dockerName] } : {})
    }
    cfgNew = text
  }
  // `"mcpServers": null` becomes the object our entry goes into
  let mcpNew = mcpJson.mcpServers === null ? setJsonc(mcpText, ["mcpServers"], {}) : mcpText
  for (const name of Object.keys(plan.moved)) mcpNew = removeJsonc(mcpNew, ["mcpServers", name], true)
  mcpNew = setJsonc(mcpNew, ["mcpServers", o.name], entry)
  report.changed = mcpNew !== mcpText || !existsSync(mcpPath) || (cfgNew !== undefined && (cfgNew !== cfgText || !existsSync(cfgPath)))
  if (o.dryRun || !report.changed) return report
  // Recorded first: should a write below fail, disconnect restores only what is missing from mcp.json.
  if (Object.keys(plan.moved).length) recordImport(env, mcpPath, { entry: o.name, servers: plan.moved, config: cfgPath, ...(Object.keys(comments).length ? { comments } : {}) }, (n) => report.notes.push(n))
  if (cfgNew !== undefined) {
    const b = writeWithBackup(cfgPath, cfgNew, cfgBom)
    if (b) report.backups.push(b)
    report.notes.push(...readableSecretsNote(cfgPath, plan.imported))
  }
  const b = writeWithBackup(mcpPath, mcpNew, mcpBom)
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
  const mcpJson = parseMcpJson(mcpPath, mcpText)
  const servers = (mcpJson.mcpServers ?? {}) as Record<string, unknown>
  // the user's own server under that key is not ours to remove
  const has = (name: string): boolean => Object.hasOwn(servers, name)
  if (has(o.name) && !isOrchestratorEntry(servers[o.name], (spec) => runsOrchestrator(spec, [selfBinary()], env))) refuseTaken(mcpPath, o.name, servers[o.name])
  const damagedRecord: string[] = []
  const rec = importOf(env, mcpPath, (n) => damagedRecord.push(n))
  const restore = rec && rec.entry === o.name ? Object.entries(rec.servers).filter(([n]) => !has(n)) : []
  const report: CursorReport = { mcpJson: mcpPath, backups: [], removed: has(o.name), restored: restore.map(([n]) => n), dryRun: o.dryRun, notes: [...damagedRecord, ...nullServersNote(mcpPath, mcpJson)] }
  if (!report.removed && !restore.length) return report
  refuseReadOnly(mcpPath)
  if (o.dryRun) return report
  let text = removeJsonc(mcpText, ["mcpServers", o.name])
  if (mcpJson.mcpServers === null && restore.length) text = setJsonc(text, ["mcpServers"], {})
  for (const [name, spec] of restore) text = setJsonc(text, ["mcpServers", name], spec, rec?.comments?.[name])
  const b = writeWithBackup(mcpPath, text, bom)
  if (b) report.backups.push(b)
  forgetImport(env, mcpPath)
  return report
}
