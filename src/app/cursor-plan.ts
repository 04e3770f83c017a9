/**
 * @module app/cursor-plan
 * Pure planning for `mcp-orchestrator cursor connect`: given Cursor's mcp.json and our config's
 * servers, what the new mcp.json holds (one mcp-orchestrator entry), which servers move into our
 * config (validated with our schema), which are skipped and why. No I/O here (whether a command is
 * this binary is asked of `isOrchestrator`).
 *
 * An entry moves only when it means the same behind the orchestrator as it did in Cursor: a
 * variable only Cursor can resolve (`${workspaceFolder}` of the global mcp.json is the project open
 * in Cursor; the orchestrator it starts cannot know it), a form we do not know, or an envFile, a
 * cwd or a command relative to a directory that differs between the two (ours is the config file's,
 * Cursor's the one it starts servers in) keeps the entry in mcp.json, with the reason.
 */
import { isAbsolute } from "node:path"
import { canonicalJson } from "../cache/index.ts"
import { SecretRegistry, serverSecrets, suggestServerName } from "../core/index.ts"
import { adoptClientKeys, commandLineHint, interpolate, namesPath, runsOrchestrator, servesArgs, serverEntryProblems, ServerSpecSchema, type InterpolationContext } from "../config/index.ts"

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
  /**
   * The project whose .cursor/mcp.json this is (`--project`): our entry sets MCPO_WORKSPACE to it,
   * so `${workspaceFolder}` means the same for Cursor and for us. Absent (the global mcp.json):
   * entries that use it stay in mcp.json.
   */
  project?: string
  /** Does this entry start mcp-orchestrator (`serve`)? Default: by command name only. */
  isOrchestrator?: (spec: unknown) => boolean
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
  /**
   * The entry already under our key when it is not mcp-orchestrator (the user's own server):
   * nothing is planned over it (the caller refuses; `mcpJson` keeps it).
   */
  taken?: unknown
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/** The `docker mcp gateway run …` entry that `docker mcp client connect cursor` writes. */
export function isDockerGateway(e: unknown): e is { command: string; args: string[] } {
  const x = e as { command?: unknown; args?: unknown }
  return typeof x?.command === "string" && /(^|[\\/])docker(\.exe)?$/.test(x.command) && Array.isArray(x.args) && x.args[0] === "mcp" && x.args[1] === "gateway" && x.args[2] === "run"
}

/**
 * An entry that is mcp-orchestrator (ours to replace or remove): it runs the orchestrator, starts
 * `command` (what connect writes), or carries the MCPO_* settings connect writes into its env.
 */
export function isOrchestratorEntry(spec: unknown, isOrchestrator: (spec: unknown) => boolean = defaultIsOrchestrator, command?: string): boolean {
  if (isOrchestrator(spec)) return true
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return false
  const e = spec as { command?: unknown; args?: unknown; env?: unknown }
  if (command !== undefined && e.command === command) return true
  const env = e.env
  return servesArgs(e.args) && typeof env === "object" && env !== null && Object.keys(env).some((k) => k.startsWith("MCPO_"))
}

const defaultIsOrchestrator = (spec: unknown): boolean => runsOrchestrator(spec, [])

export function planConnect(mcpJson: Record<string, unknown>, ours: Record<string, unknown>, o: ConnectOptions): ConnectPlan {
  const servers = { ...((mcpJson.mcpServers as Record<string, unknown> | undefined) ?? {}) }
  const plan: ConnectPlan = { mcpJson: { ...mcpJson }, imported: {}, moved: {}, already: [], skipped: [], replacedDocker: false }
  const isOrchestrator = o.isOrchestrator ?? defaultIsOrchestrator
  if (Object.hasOwn(servers, o.name) && !isOrchestratorEntry(servers[o.name], isOrchestrator, o.entry.command)) {
    // the user's own server under our key: never overwritten (nor imported: the caller refuses)
    plan.taken = servers[o.name]
    return plan
  }
  if (o.importServers) {
    for (const [name, spec] of Object.entries(servers)) {
      if (name === o.name) continue
      if (isOrchestrator(spec)) {
        // behind the orchestrator it would be a nested copy: every server started twice, every tool listed twice
        plan.skipped.push({ name, reason: `it runs mcp-orchestrator itself; moved behind "${o.name}" it would be a nested copy (its servers started twice, its tools listed twice). Left as it is; if it serves the same config as "${o.name}", remove one of the two` })
        continue
      }
      if (isDockerGateway(spec)) {
        // The orchestrator runs the Toolkit gateway itself; keeping both would duplicate every tool.
        const i = spec.args.indexOf("--profile")
        const p = i >= 0 ? spec.args[i + 1] : spec.args.find((a) => a.startsWith("--profile="))?.slice("--profile=".length)
        if (p) plan.dockerProfile = p
        plan.replacedDocker = true
        setOwn(plan.moved, name, spec)
        delete servers[name]
        continue
      }
      if (!NAME_RE.test(name)) {
        const better = suggestServerName(name)
        plan.skipped.push({ name, reason: `name is not usable as a tool prefix (server names are 1-64 of A-Z a-z 0-9 _ - and start with a letter or digit); rename it in mcp.json first${better !== undefined ? ` (e.g. to "${better}")` : ""}` })
        continue
      }
      if (Object.hasOwn(ours, name)) {
        if (sameEntry(ours[name], spec)) {
          // Moved by an earlier `connect --import` (and put back by `disconnect`): only leave mcp.json.
          plan.already.push(name)
          plan.moved[name] = spec
          delete servers[name]
        } else plan.skipped.push({ name, reason: "a different server with this name is already in the mcp-orchestrator config" })
        continue
      }
      const problem = checkEntry(spec, o)
      if (problem) {
        plan.skipped.push({ name, reason: problem })
        continue
      }
      // Imported as written: `${…}` variables, envFile and Cursor's `auth` keep their meaning in our config.
      plan.imported[name] = spec as Record<string, unknown>
      plan.moved[name] = spec
      delete servers[name]
    }
  }
  setOwn(servers, o.name, o.entry)
  plan.mcpJson.mcpServers = servers
  return plan
}

/** Defined, not assigned: a key named "__proto__" stays a key instead of replacing the prototype. */
function setOwn(map: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Fields whose `${…}` variables the orchestrator resolves (config/server-vars). */
const STRING_FIELDS = ["command", "url", "cwd", "envFile"] as const
const MAP_FIELDS = ["env", "headers"] as const
const WORKSPACE_VAR = /\$\{(workspaceFolder(?:Basename)?)\}/
/**
 * The editor's own variables (VS Code's predefined set; Cursor is VS Code underneath): the open file,
 * selection, … We read the bare `${NAME}` form as an environment variable, so `${file}` would
 * silently become $file (unset: empty).
 */
const EDITOR_VAR = /(?<!\$)\$\{(file|fileBasename|fileBasenameNoExtension|fileDirname|fileDirnameBasename|fileExtname|fileWorkspaceFolder|relativeFile|relativeFileDirname|lineNumber|columnNumber|selectedText|execPath|cwd|defaultBuildTask|workspaceRoot|workspaceRootFolderName|extensionInstallFolder)\}/

/**
 * Why `spec` stays in mcp.json, or undefined: a variable that would not mean there what it means in
 * Cursor, a form we do not know, an envFile, cwd or command relative to another directory, or not an entry we can
 * run. Variables are resolved for the check only; the entry moves as written.
 */
/**
 * Why an entry stays in mcp.json, or undefined. The reason is printed, and it may quote the entry's
 * own secrets (a command line `npx pkg --api-key X` in the hint to split it, a value in a schema
 * problem), as written or as `${env:…}` resolved them: every reason is masked here, of the secrets
 * of both (before qa359 only the schema problem was, by its raw spelling).
 */
function checkEntry(spec: unknown, o: ConnectOptions): string | undefined {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return "not a server entry mcp-orchestrator understands: expected an object"
  const copy: Record<string, unknown> = { ...spec }
  const problem = entryProblem(spec, copy, o)
  if (problem === undefined) return undefined
  const own = new SecretRegistry()
  own.set("entry", [...serverSecrets(spec as EntrySecrets), ...serverSecrets(copy as EntrySecrets)])
  return own.redact(problem)
}

type EntrySecrets = Parameters<typeof serverSecrets>[0]

/** `checkEntry`'s reason as it comes; `copy` (of `spec`) is resolved in place. */
function entryProblem(spec: object, copy: Record<string, unknown>, o: ConnectOptions): string | undefined {
  const vars = o.vars ?? { env: {}, workspace: o.project ?? "" }
  // other clients' keys (autoApprove, serverUrl, excludeTools…) as the config loader reads them (checked below as
  // such); the entry moves as written
  adoptClientKeys(copy, "entry", () => "")
  const resolve = (text: string, where: string): { value: string } | { problem: string } => {
    if (!text.includes("${")) return { value: text }
    const editor = EDITOR_VAR.exec(text)?.[1]
    if (editor) return { problem: `${where} uses \${${editor}}, a variable of the editor (Cursor) that mcp-orchestrator does not have: it would read it as the environment variable "${editor}". Write the value out` }
    const r = interpolate(text, vars)
    if (r.errors.length) return { problem: `${where} uses a variable mcp-orchestrator cannot resolve: ${r.errors[0]}` }
    // a value that changes with ${workspaceFolder}: Cursor's is the open project, ours is where we were started
    if (o.project === undefined && interpolate(text, { ...vars, workspace: "/a/one" }).value !== interpolate(text, { ...vars, workspace: "/b/two" }).value) {
      const v = WORKSPACE_VAR.exec(text)?.[1] ?? "workspaceFolder"
      return {
        problem: `${where} uses \${${v}}: Cursor sets it to the project open in Cursor, which mcp-orchestrator started from the global mcp.json cannot know (it would resolve to the directory Cursor starts it in). Write the path out, or import it from that project's mcp.json with --project DIR`,
      }
    }
    return { value: r.value }
  }
  for (const f of STRING_FIELDS) {
    if (typeof copy[f] !== "string") continue
    const r = resolve(copy[f] as string, f)
    if ("problem" in r) return r.problem
    copy[f] = r.value
  }
  if (Array.isArray(copy.args)) {
    const args: unknown[] = []
    for (const [i, a] of copy.args.entries()) {
      if (typeof a !== "string") {
        args.push(a)
        continue
      }
      const r = resolve(a, `args[${i}]`)
      if ("problem" in r) return r.problem
      args.push(r.value)
    }
    copy.args = args
  }
  for (const f of MAP_FIELDS) {
    const m = copy[f]
    if (typeof m !== "object" || m === null || Array.isArray(m)) continue
    const next: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== "string") {
        next[k] = v
        continue
      }
      const r = resolve(v, `${f}.${k}`)
      if ("problem" in r) return r.problem
      next[k] = r.value
    }
    copy[f] = next
  }
  if (typeof copy.envFile === "string" && !isAbsolute(copy.envFile)) {
    return `envFile ${JSON.stringify((spec as { envFile?: unknown }).envFile)} is a relative path: mcp-orchestrator reads it from its config file's directory, not where Cursor does. Write an absolute path (or \${userHome}/…) first`
  }
  // relative paths start at our config file's directory; Cursor starts servers in a directory of its own
  if (typeof copy.cwd === "string" && copy.cwd !== "" && !isAbsolute(copy.cwd)) {
    return `cwd ${JSON.stringify((spec as { cwd?: unknown }).cwd)} is a relative path: mcp-orchestrator resolves it from its config file's directory, not from the directory Cursor starts servers in. Write an absolute path (or \${userHome}/…) first`
  }
  // a whole command line (`npx -y @scope/pkg`): what it needs is a split, not an absolute path (its `/`
  // is in an argument); moved as written it would fail to start here (no shell runs it)
  if (typeof copy.command === "string") {
    const args = Array.isArray(copy.args) ? copy.args.filter((a): a is string => typeof a === "string") : []
    const childEnv = typeof copy.env === "object" && copy.env !== null ? (copy.env as Record<string, unknown>) : {}
    const PATH = typeof childEnv.PATH === "string" ? childEnv.PATH : (vars.env.PATH ?? process.env.PATH)
    const hint = commandLineHint(copy.command, args, { PATH, cwd: typeof copy.cwd === "string" && copy.cwd !== "" ? copy.cwd : undefined })
    if (hint) return `command ${hint.problem}: ${hint.fix} in mcp.json first`
  }
  if (typeof copy.command === "string" && namesPath(copy.command) && !isAbsolute(copy.command) && !(typeof copy.cwd === "string" && copy.cwd !== "")) {
    return `command ${JSON.stringify((spec as { command?: unknown }).command)} is a relative path: mcp-orchestrator resolves it from its config file's directory, not from the directory Cursor starts servers in. Write an absolute path (or \${userHome}/…), or set an absolute cwd, first`
  }
  const parsed = ServerSpecSchema.safeParse(copy)
  if (parsed.success) return undefined
  // worded as the config loader words it (the key, what it expects, a did-you-mean), not zod's "Invalid input"
  // a value it quotes may be the entry's own secret (a token in its env, args or url): masked by checkEntry
  const why = serverEntryProblems(copy).join("; ") || (parsed.error.issues[0]?.message ?? "invalid")
  return `not a server entry mcp-orchestrator understands: ${why}`
}

/** Key order is not meaning. */
function sameEntry(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}
