/**
 * @module cli/doctor-run
 * `doctor`: checks and reports (human or --json). Never crashes when something is missing: every
 * check reports ok / warn / fail with a remedy.
 */
import { existsSync, statSync } from "node:fs"
import { join } from "node:path"
import { probeCacheDir, resolveCacheDir, scanCacheDir } from "../cache/index.ts"
import { MAX_UNLISTED_PINS, ToolPins } from "../catalog/index.ts"
import { chooseConfigFile, configHome, envBindings, stateHome, unknownEnvWarnings, type InvalidServer, type LoadedConfig } from "../config/index.ts"
import { ConfigError, createLogger, cutText, createLogHub, errorMessage, isSecretKey, NAME, REDACTED, redactValues, silentLogger, VERSION, isOrchestratorError } from "../core/index.ts"
import { classifyRun, createSpawnRunner, createToolkitDriver, explainNotInstalled } from "../docker/index.ts"
import { loadFromFlags, type ConfigFlags } from "./flags.ts"
import { checkStdioServers } from "./doctor-servers.ts"
import type { ServerStart } from "./doctor-start.ts"
import type { StartProgress } from "./doctor-progress.ts"
import { checkRemoteServers } from "./doctor-remote.ts"
import { checkPlugins } from "./doctor-plugins.ts"
import { groupServerChecks } from "./doctor-group.ts"
import { leftOutLine } from "./left-out.ts"

export interface Check {
  name: string
  status: "ok" | "warn" | "fail"
  detail: string
  remedy?: string
  /** A "fail" that is an invalid config (exit code 2, as for every command), not a runtime failure. */
  configError?: boolean
  /** The server this row is about (a configured server's start or connect). */
  server?: string
  /** The servers a row stands for when they all had this problem (cli/doctor-group): `NAME` in its text is each of them. */
  servers?: string[]
}

export interface DoctorReport {
  name: string
  version: string
  checks: Check[]
  config?: { file: string | null; via: string | null; effective: unknown; sources: Record<string, string>; env: string[]; invalidServers?: InvalidServer[] }
  /** Each enabled stdio server's start (cli/doctor-start); absent with --no-start or when the config did not load. */
  servers?: ServerStart[]
}

export async function runDoctor(flags: ConfigFlags & { start?: boolean }, env: Record<string, string | undefined> = process.env, progress?: StartProgress): Promise<DoctorReport> {
  const checks: Check[] = [{ name: "binary", status: "ok", detail: `${NAME} ${VERSION} (bun ${Bun.version}, ${process.platform}-${process.arch})` }]
  let loaded: LoadedConfig | undefined
  // more than one config file in the default location: which one is read (whether or not it loads)
  let choice: ReturnType<typeof chooseConfigFile>
  try {
    choice = chooseConfigFile(flags.config, env)
  } catch {
    choice = undefined // a file where the config directory should be: the config check below says so
  }
  const chosen = choice?.warning
  const whichFile = (): void => {
    if (chosen) checks.push({ name: "config", status: "warn", detail: chosen, remedy: `remove or rename the file not meant to be read (${choice!.ignored!.join(", ")}), or name the one to use with --config / MCPO_CONFIG` })
  }
  try {
    loaded = loadFromFlags(flags)
    checks.push({
      name: "config",
      status: "ok",
      detail: loaded.file ? `${loaded.file.path} (found via ${loaded.file.via})` : `no config file; defaults (looked in ${configHome(env)})`,
    })
    whichFile()
    // a server entry that is invalid on its own: left out by serve (the others run), a config error here (exit 2)
    // (one that says `disabled: true` would not start anyway: a warning)
    for (const bad of loaded.invalidServers ?? []) {
      checks.push({
        name: "config",
        status: bad.disabled ? "warn" : "fail",
        detail: leftOutLine(bad),
        remedy: withoutDoctor(bad.remedy),
        ...(bad.disabled ? {} : { configError: true }),
        server: bad.name,
      })
    }
    // e.g. a ${env:NAME} whose variable is not set (it resolves to "")
    const fromEnv = new Set(loaded.envWarnings ?? [])
    for (const w of loaded.warnings ?? []) if (!fromEnv.has(w) && w !== chosen) checks.push({ name: "config", status: "warn", detail: w, remedy: configWarningRemedy(w) })
    // the HTTP allow lists: an entry no Host/Origin header can ever equal (serve warns about it at start too)
    const { hostAllowList, originAllowList } = await import("../http/index.ts")
    const http = loaded.config.http
    for (const p of [...hostAllowList(http.allowedHosts).problems, ...originAllowList(http.allowedOrigins).problems]) {
      const source = loaded.sources.get(p.key)
      checks.push({ name: "http", status: "warn", detail: `${p.key}${source ? ` (${source})` : ""}: entry ${JSON.stringify(p.entry)} can never match: ${p.why}`, remedy: `change the entry in ${p.key}` })
    }
  } catch (e) {
    checks.push({
      name: "config",
      status: "fail",
      detail: isOrchestratorError(e) ? e.message : errorMessage(e),
      remedy: withoutDoctor(isOrchestratorError(e) ? e.remedy ?? "fix the config" : "fix the config"),
      ...(e instanceof ConfigError ? { configError: true } : {}),
    })
    whichFile()
  }
  // a misspelled MCPO_* variable is ignored: shown whether or not the config loaded
  for (const w of unknownEnvWarnings(env)) checks.push({ name: "environment", status: "warn", detail: w, remedy: "rename or unset the variable; docs/config.md lists every MCPO_* variable" })
  const setEnv = envBindings().filter((b) => env[b.env] !== undefined).map((b) => b.env)
  if (env.MCPO_CONFIG) setEnv.unshift("MCPO_CONFIG")

  // cache dir writable, and what it holds
  const cacheDir = resolveCacheDir(loaded?.config.cache.dir, env)
  const probe = await probeCacheDir(cacheDir)
  if (probe.writable) {
    const usage = await scanCacheDir(cacheDir).catch(() => undefined)
    checks.push({
      name: "cache dir",
      status: "ok",
      detail: `${cacheDir} is writable${usage ? `; ${usage.entries} entries, ${usage.bytes} bytes${usage.corrupt ? `, ${usage.corrupt} quarantined` : ""}` : ""}`,
    })
  } else {
    checks.push({ name: "cache dir", status: "warn", detail: `${cacheDir} is not writable (${probe.error}); the cache will stay in memory`, remedy: probe.remedy ?? "set cache.dir (or MCPO_CACHE_DIR / --cache-dir) to a writable directory" })
  }

  // tool pins (rug-pull defence): the file, what waits for approval, servers whose names do not stay
  if (loaded) checks.push(...checkPins(loaded, env))

  // each stdio server's command found and its cwd a directory, then (unless --no-start) started as
  // serve starts it, listed and stopped; meanwhile each remote server asked what serve asks first
  // (unreachable, a refused token, a login needed, a wrong path), then (unless --no-start) connected
  // to as serve connects and its tools listed
  let servers: ServerStart[] | undefined
  if (loaded) {
    const start = flags.start !== false
    const [stdio, remote] = await Promise.all([checkStdioServers(loaded, env, start, progress), checkRemoteServers(loaded, env, { list: start, ...(progress ? { progress } : {}) })])
    checks.push(...stdio.checks, ...remote.checks)
    if (stdio.servers || remote.servers) servers = [...(stdio.servers ?? []), ...(remote.servers ?? [])]
    // the whole listings that worked, stdio and remote, stored where serve keeps them (one writer):
    // the next serve's first tools/list has them at once (app/listed-store)
    const listed = [...(stdio.listed ?? []), ...(remote.listed ?? [])]
    if (listed.length) {
      const { storeListedLists } = await import("./doctor-start.ts")
      await storeListedLists(loaded, env, listed, createLogger(createLogHub("warn"), "doctor"))
    }
  }

  // docker and the Toolkit
  const dockerName = loaded?.config.toolkit.docker ?? "docker"
  const dockerPath = Bun.which(dockerName)
  if (loaded?.config.toolkit.enabled === "off") {
    checks.push({ name: "docker", status: "ok", detail: "Toolkit disabled in config (toolkit.enabled: off)" })
  } else if (!dockerPath && dockerName.includes("/") && existsSync(dockerName)) {
    // there, but not something this user can run: saying "not found" would send them looking for it
    const what = statSync(dockerName).isDirectory() ? "is a directory" : "is not executable"
    checks.push({ name: "docker", status: "warn", detail: `toolkit.docker "${dockerName}" ${what}`, remedy: "point toolkit.docker at the docker executable (or `chmod +x` it)" })
  } else if (!dockerPath) {
    checks.push({ name: "docker", status: "warn", detail: `"${dockerName}" not found on PATH`, remedy: "install Docker Desktop (it ships the MCP Toolkit), or set toolkit.enabled: off to silence this" })
  } else {
    checks.push({ name: "docker", status: "ok", detail: dockerPath })
    const tk = await checkToolkit(dockerPath)
    checks.push(tk)
    const profile = loaded?.config.toolkit.profile
    const profileCheck = tk.status === "ok" && profile ? await checkToolkitProfile(dockerPath, profile) : undefined
    if (profileCheck) checks.push(profileCheck)
    // `docker mcp version` answers without the daemon or the Toolkit feature: what serve does next
    // (its enabled servers, the gateway started as serve starts it) is tried too
    if (tk.status === "ok" && profileCheck?.status !== "warn" && loaded) {
      const { checkToolkitGateway } = await import("./doctor-toolkit.ts")
      const gw = await checkToolkitGateway(dockerPath, loaded, env, { start: flags.start !== false, ...(progress ? { progress } : {}) })
      checks.push(...gw.checks)
      if (gw.server) servers = [...(servers ?? []), gw.server]
    }
  }

  // plugins dir
  const dirs = loaded?.config.plugins.dirs ?? [join(configHome(env), "plugins")]
  for (const d of dirs) {
    checks.push(
      existsSync(d)
        ? { name: "plugins dir", status: "ok", detail: d }
        : { name: "plugins dir", status: "ok", detail: `${d} does not exist (no plugins loaded)`, remedy: `create ${d} and put plugin .js/.ts files in it` },
    )
  }
  // the plugin files, loaded as serve loads them: failures, and a load longer than plugins.loadBudget
  if (loaded) {
    try {
      checks.push(...(await checkPlugins(loaded)))
    } catch (e) {
      checks.push({ name: "plugins", status: "warn", detail: `could not load the plugins: ${errorMessage(e)}` })
    }
  }
  // many servers that fail for one reason: one row naming them, not one row each
  const report: DoctorReport = { name: NAME, version: VERSION, checks: groupServerChecks(checks), ...(servers ? { servers } : {}) }
  if (loaded) {
    report.config = {
      file: loaded.file?.path ?? null,
      via: loaded.file?.via ?? null,
      effective: maskSecretKeys(loaded.config),
      sources: Object.fromEntries(loaded.sources),
      env: setEnv,
      // entries left out of `effective` (invalid), with their problems
      ...(loaded.invalidServers?.length ? { invalidServers: loaded.invalidServers } : {}),
    }
  }
  // The redaction point of doctor (text and --json are both printed from this report): key-based
  // masking above misses a password inside a URL or a token after --api-key in args; the secret
  // registry (filled when the config was loaded) does not.
  return redactValues(report)
}

/**
 * Text under a secret-looking key masked whatever it holds (a 3-character API_KEY is below what the
 * registry takes); numbers and booleans are settings, not secrets (`cache.ttl.secrets: 30000`).
 * Every value of a server's `env` and `headers` is masked too, whatever its name (`MYSQL_ROOT:
 * hunter2x` is a password under a name no rule knows): doctor's output is what users paste into bug
 * reports, and the names alone say what is set (the values are in the user's own config file).
 */
function maskSecretKeys(value: unknown, depth = 0, maskAll = false): unknown {
  if (typeof value === "string") return maskAll && value !== "" ? REDACTED : value
  if (value === null || typeof value !== "object" || depth > 16) return value
  if (Array.isArray(value)) return value.map((v) => maskSecretKeys(v, depth + 1, maskAll))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = typeof v === "string" && v !== "" && isSecretKey(k) ? REDACTED : maskSecretKeys(v, depth + 1, maskAll || VALUES_MASKED.has(k))
  }
  return out
}

/** Maps whose every value doctor masks (a server's environment and HTTP headers). */
const VALUES_MASKED = new Set(["env", "headers"])

/** The pins file as `serve` reads it (bounded, never fatal): its size and pins, pending approvals, dropped unlisted pins. */
function checkPins(loaded: LoadedConfig, env: Record<string, string | undefined>): Check[] {
  const { pinTools, pinsFile } = loaded.config.proxy
  const path = pinsFile ?? join(stateHome(env), "pins.json")
  if (pinTools === "off") return [{ name: "tool pins", status: "ok", detail: `off (proxy.pinTools: off); ${path} is not read` }]
  let bytes: number
  try {
    bytes = statSync(path).size
  } catch {
    return [{ name: "tool pins", status: "ok", detail: `${path}: no tools pinned yet (proxy.pinTools: ${pinTools})` }]
  }
  const pins = new ToolPins(path, pinTools, silentLogger)
  const problem = pins.problem()
  if (problem) return [{ name: "tool pins", status: "warn", detail: problem, remedy: pins.remedy() ?? "nothing to do: the next write keeps it as pins.json.corrupt" }]
  const rows = pins.list()
  const servers = new Set(rows.map((r) => r.server)).size
  const pending = rows.filter((r) => r.pending !== undefined)
  const out: Check[] = [{ name: "tool pins", status: "ok", detail: `${path}: ${rows.length} pins of ${servers} server${servers === 1 ? "" : "s"}, ${bytes} bytes (proxy.pinTools: ${pinTools})` }]
  if (pending.length) {
    out.push({ name: "tool pins", status: "warn", detail: `${pending.length} changed tool definition${pending.length === 1 ? " waits" : "s wait"} for approval: ${pending.slice(0, 10).map((r) => `${r.server}/${r.tool}`).join(", ")}${pending.length > 10 ? ", …" : ""}`, remedy: "review the servers, then `mcp-orchestrator pins approve SERVER/TOOL` (`pins list` shows them all)" })
  }
  for (const d of pins.dropped()) {
    out.push({
      name: "tool pins",
      status: "warn",
      detail: `server ${d.server} changes its tool names all the time: ${d.pins} pins of tools it no longer listed were dropped (last ${d.at}); of those, ${MAX_UNLISTED_PINS} are kept (the ones seen first)`,
      remedy: `nothing to do if the server puts ids or dates in its tool names (each new name is a new tool, pinned at first sight); otherwise find out why it renames its tools. \`mcp-orchestrator pins reset ${d.server}\` forgets its pins and this note`,
    })
  }
  return out
}

/** How long `doctor` waits for `docker mcp version`. */
const VERSION_WAIT_MS = 10_000

async function checkToolkit(docker: string): Promise<Check> {
  try {
    // the driver's runner, as serve runs docker: the same env allowlist, and a timeout that stops
    // the `docker-mcp` plugin too (docker runs it as a child sharing the pipes; a SIGTERM to docker
    // alone left doctor waiting for a hung plugin, however long it hung)
    const run = createSpawnRunner({ docker, env: process.env as Record<string, string | undefined>, timeoutMs: VERSION_WAIT_MS })
    const r = await run({ args: ["mcp", "version"] })
    const [out, err, code] = [r.stdout, r.stderr, r.exitCode]
    // what it printed, fit for one line of a terminal report: no escape sequences or control characters
    const shown = (s: string): string => cutText((s.trim().split("\n")[0] ?? "").replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`), 200)
    if (r.timedOut) {
      return { name: "docker mcp", status: "warn", detail: `\`docker mcp version\` did not answer within ${VERSION_WAIT_MS / 1000} s and was stopped${shown(err || out) ? ` (it printed: ${shown(err || out)})` : ""}`, remedy: "run `docker mcp version` yourself: Docker Desktop may be starting, updating or waiting for a sign-in" }
    }
    if (code === 0) {
      const version = shown(out)
      // the Toolkit prints its version (v0.43.3, or a dev build's); anything else is not a version
      if (/^v?\d+\.\d+(\.\d+)?([-+][\w.-]+)?$/.test(version)) return { name: "docker mcp", status: "ok", detail: `version ${version}` }
      return { name: "docker mcp", status: "warn", detail: `\`docker mcp version\` printed no version: ${version ? JSON.stringify(version) : "(nothing)"}`, remedy: "run `docker mcp version` yourself; update Docker Desktop / the MCP Toolkit if it does not print vX.Y.Z" }
    }
    const first = shown(err || out)
    // worded as the driver words it: a plugin that is there but does not run (docker calls it an
    // unknown command; a crash, exit 126/127) is TOOLKIT_BROKEN, with its reason and remedy
    const failure = classifyRun(["mcp", "version"], r, VERSION_WAIT_MS)
    const explained = failure && (await explainNotInstalled(failure, process.env as Record<string, string | undefined>))
    if (explained?.code === "TOOLKIT_BROKEN") return { name: "docker mcp", status: "warn", detail: explained.message, ...(explained.remedy ? { remedy: explained.remedy } : {}) }
    if (/unknown command|is not a docker command/i.test(first)) return { name: "docker mcp", status: "warn", detail: `the MCP Toolkit CLI plugin is not installed (${first})`, remedy: "install or update Docker Desktop and enable Settings → Beta features → MCP Toolkit" }
    if (/ping Docker daemon|Cannot connect to the Docker daemon/i.test(first)) return { name: "docker mcp", status: "warn", detail: `Docker is not running (${first})`, remedy: "start Docker Desktop" }
    return { name: "docker mcp", status: "warn", detail: `exit ${code}: ${first || "(no output)"}`, remedy: "run `docker mcp version` yourself to see the full error" }
  } catch (e) {
    return { name: "docker mcp", status: "warn", detail: `could not run docker: ${errorMessage(e)}`, remedy: "check the docker installation" }
  }
}

/**
 * `toolkit.profile` names a profile serve will use for everything (enable, config, the gateway): it
 * must exist, and the Toolkit must be in the profiles era. Otherwise every Toolkit tool fails later,
 * in front of the model, with UNKNOWN_PROFILE.
 */
async function checkToolkitProfile(docker: string, profile: string): Promise<Check> {
  const name = "toolkit.profile"
  try {
    const driver = createToolkitDriver({ docker, profile, timeoutMs: VERSION_WAIT_MS, env: process.env as Record<string, string | undefined> })
    const st = await driver.status()
    if (st.era === "legacy") {
      return { name, status: "warn", detail: `"${profile}" is set, but docker mcp ${st.version} runs in the legacy (file) era, without profiles: it is ignored`, remedy: "turn profiles on (always on from MCP Toolkit v0.42 / Docker Desktop 4.62), or remove toolkit.profile" }
    }
    const p = await driver.profileShow(profile)
    return { name, status: "ok", detail: `"${profile}" (${p.servers.length} server${p.servers.length === 1 ? "" : "s"}; docker mcp ${st.version}, profiles era)` }
  } catch (e) {
    if (isOrchestratorError(e) && e.code === "UNKNOWN_PROFILE") {
      return { name, status: "warn", detail: `profile "${profile}" does not exist in the MCP Toolkit`, remedy: `create it (\`docker mcp profile create --name ${profile} --id ${profile}\`), or set toolkit.profile to one \`docker mcp profile list\` shows` }
    }
    return { name, status: "warn", detail: `could not check profile "${profile}": ${isOrchestratorError(e) ? e.message : errorMessage(e)}`, ...(isOrchestratorError(e) && e.remedy ? { remedy: e.remedy } : {}) }
  }
}

/**
 * 0 when nothing failed; 2 when the config is invalid (as every command exits on a config error);
 * else 1. `strict` (`--strict`, for CI): a warning is a failure too (a server that fails to start,
 * connect or list its tools, docker missing…): 1, unless the config is invalid (2).
 */
export function doctorExitCode(r: DoctorReport, strict = false): number {
  const failed = r.checks.filter((c) => c.status === "fail" || (strict && c.status === "warn"))
  if (!failed.length) return 0
  return failed.some((c) => c.configError) ? 2 : 1
}

export function formatReport(r: DoctorReport): string {
  const icon = { ok: "✓", warn: "!", fail: "✗" } as const
  const lines = [`${r.name} ${r.version} — doctor`, ""]
  for (const c of r.checks) {
    // a start failure's quoted stderr is several lines: indented under its check
    lines.push(`${icon[c.status]} ${c.name}: ${c.detail.replace(/\n/g, "\n    ")}`)
    if (c.remedy && c.status !== "ok") lines.push(`    remedy: ${c.remedy}`)
  }
  if (r.config) {
    lines.push("", "Effective configuration (secrets and every env and header value redacted):", JSON.stringify(r.config.effective, null, 2))
    const src = Object.entries(r.config.sources)
    if (src.length) lines.push("", "Set explicitly:", ...src.map(([k, v]) => `  ${k} ← ${v}`))
  }
  return lines.join("\n") + "\n"
}

/** A config remedy as doctor says it: not "or run `mcp-orchestrator doctor`", which is what is running. */
function withoutDoctor<T extends string | undefined>(remedy: T): T {
  return (remedy === undefined ? remedy : remedy.replace(/,? or run `mcp-orchestrator doctor`/, "")) as T
}

/** What to do about a config warning, by its kind (each warning names the key and its source). */
function configWarningRemedy(warning: string): string {
  if (/ after a bare \$ is taken as written, not as the variable|\(opencode's form, no \$\) is taken as written/.test(warning)) return "write the variable as the warning says (${NAME} or ${env:NAME}); a value that really holds that text may stay as it is"
  if (/ is not set in the environment/.test(warning)) return "set the variable in the environment the orchestrator starts in, or change the entry"
  if (/\(EFBIG: .*will fail to start until it can be read/.test(warning)) return "point the envFile at the dotenv file itself (KEY=VALUE lines, a few KiB); the other servers run meanwhile"
  if (/will fail to start until it can be read/.test(warning)) return "create the file (or fix the envFile path: a relative one is read from the config file's directory); the other servers run meanwhile"
  if (/runs mcp-orchestrator itself/.test(warning)) return "remove that entry from the orchestrator's config"
  if (/\(a bare number is milliseconds[;)]/.test(warning)) return 'write the duration with its unit: "60s" for seconds, or "60ms" to keep milliseconds'
  if (/a secret is given on its command line/.test(warning)) return "move the secret out of command/args into the server's env or an envFile (see the warning)"
  if (/looks like a (shell )?command line/.test(warning)) return "put the program alone in `command` and each of its arguments in `args` (the command is never run through a shell)"
  return "change the entry named"
}
