/**
 * @module docker/classify
 * Turns a failed `docker mcp` run (exit code + stderr) into a typed ToolkitError with a remedy
 * line. Codes are stable and documented in docs/toolkit-driver.md.
 */
import { cutText, REDACTED, ToolkitError, isSecretKey, isSecretReference, keepValue, opensStructure, redactString, terminalText } from "../core/index.ts"
import { commandLabel, type RunResult } from "./runner.ts"
import { cliText } from "./parsers/cli-text.ts"

export const TOOLKIT_ERROR_CODES = [
  "DOCKER_NOT_FOUND",
  "TOOLKIT_NOT_INSTALLED",
  "TOOLKIT_BROKEN",
  "DAEMON_DOWN",
  "DESKTOP_NOT_RUNNING",
  "DESKTOP_STARTING",
  "FEATURE_DISABLED",
  "OBSOLETE_COMMAND",
  "UNKNOWN_SERVER",
  "UNKNOWN_PROFILE",
  "UNKNOWN_CATALOG",
  "MISSING_CONFIG",
  "PASS_MISSING",
  "UNKNOWN_FLAG",
  "TIMEOUT",
  "CANCELLED",
  "OUTPUT_TOO_LARGE",
  "OUTPUT_EMPTY",
  "OUTPUT_UNPARSEABLE",
  "PARSER_OVERRIDE_INVALID",
  "INVALID_NAME",
  "INVALID_VALUE",
  "COMMAND_FAILED",
] as const
export type ToolkitErrorCode = (typeof TOOLKIT_ERROR_CODES)[number]

interface Rule {
  code: ToolkitErrorCode
  test: RegExp
  /** `stderr`: the whole (quoted) error output, for rules whose reason spans lines. */
  message: (m: RegExpExecArray, stderr: string) => string
  remedy: string | ((stderr: string) => string)
}


/**
 * The profiles-era SQLite state held by another `docker mcp` past the CLI's 5 s busy_timeout, or its
 * migration lock: the command changed nothing, and the driver runs it again after a short wait
 * (`DB_BUSY_RETRY_MS` in docker/exec) before it says "busy".
 */
export const DB_BUSY = /database is locked|SQLITE_BUSY|timeout waiting for migration lock|failed to acquire migration lock/i

/**
 * The servers and keys of the gateway's profile validation ("Cannot activate profile 'p'.
 * Validation failed for N server(s):\nServer 'x':\n  Missing/invalid config: k (missing), …"):
 * the first line alone names neither, and they are what the user has to set.
 */
export function missingConfigOf(stderr: string): Array<{ server: string; keys: string }> {
  const out: Array<{ server: string; keys: string }> = []
  const re = /Server '([^'\n]{1,128})':\s*\n\s*Missing\/invalid config:\s*([^\n]{1,300})/g
  for (let m = re.exec(stderr); m && out.length < 10; m = re.exec(stderr)) out.push({ server: m[1] as string, keys: (m[2] as string).trim() })
  return out
}

export const BROKEN_PLUGIN_REMEDY =
  "Reinstall the plugin: update or reinstall Docker Desktop (it ships docker-mcp), or replace the docker-mcp binary in its CLI plugin directory (~/.docker/cli-plugins, or Docker Desktop's) with one built for this machine (`chmod +x` it if it lost its executable bit); `docker info` lists it under Invalid Plugins."

/** The first line of a Go crash (`panic: …`, `fatal error: …`) and its signal line, else the line that says why. */
export function crashReason(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim())
  const i = lines.findIndex((l) => /^(?:panic: |fatal error: )/.test(l))
  if (i < 0) return stderrReason(stderr)
  const signal = lines[i + 1]?.startsWith("[signal ") ? ` ${lines[i + 1]}` : ""
  return cutText(`${lines[i]}${signal}`, 300)
}

const RULES: readonly Rule[] = [
  {
    code: "TOOLKIT_NOT_INSTALLED",
    // `docker mcp` itself unknown; an unknown sub-command of it (`docker mcp profile`) is another matter (docker/unknown-command)
    test: /unknown command:? "?docker mcp"?[ \t]*(?:[.\r]|$)|'mcp' is not a docker command|unknown command "mcp"/im,
    message: () => "The Docker MCP Toolkit CLI plugin (`docker mcp`) is not installed",
    remedy: "Install or update Docker Desktop and enable the MCP Toolkit, or install the docker-mcp CLI plugin into ~/.docker/cli-plugins.",
  },
  {
    // the plugin is there but docker could not exec it (a Go crash of one command: `crashed` below)
    code: "TOOLKIT_BROKEN",
    test: /(?:fork\/exec|exec:?) "?[^\s"]*(?:docker-mcp|cli-plugins)[^\s"]*"?: (?:exec format error|permission denied|no such file or directory)/m,
    message: (_m, stderr) => `The Docker MCP Toolkit CLI plugin (docker-mcp) is installed but does not run: ${crashReason(stderr)}`,
    remedy: BROKEN_PLUGIN_REMEDY,
  },
  {
    // Docker Desktop is up but its engine is not (yet): it is starting, or stuck starting. Desktop's
    // engine proxy answers every API call, `_ping` included, with HTTP 500 until the engine runs
    // ("request returned 500 Internal Server Error for API route and version http://%2F…docker.sock/
    // v1.51/_ping, check if the server supports the requested API version"; before docker 27 without
    // the "500"), which the Toolkit wraps as `failed to ping Docker daemon: …`; so before DAEMON_DOWN.
    // Transient: the driver waits and retries (`STARTING_RETRY_MS` in docker/exec).
    code: "DESKTOP_STARTING",
    test: /Docker Desktop is (?:still )?starting|\b(?:Docker )?(?:engine|daemon) is (?:still )?starting|request returned (?:500 )?Internal Server Error for API route and version/i,
    message: (m) =>
      /Internal Server Error/i.test(m[0])
        ? "The Docker engine is not ready (it answered 500 Internal Server Error: Docker Desktop is still starting it, or it is stuck starting)"
        : "Docker Desktop is still starting",
    remedy: "Wait until Docker Desktop says the engine is running, then retry (Toolkit commands are run again for about 15 s before this is reported). If it stays like this for minutes, restart Docker Desktop (whale menu → Restart, or Troubleshoot → Restart Docker Desktop).",
  },
  {
    // Desktop's engine was paused by the user (whale menu → Pause): commands are refused until it resumes
    code: "DESKTOP_NOT_RUNNING",
    test: /Docker Desktop is (?:manually )?paused/i,
    message: () => "Docker Desktop is paused",
    remedy: "Resume Docker Desktop (whale menu or Dashboard → Resume), then retry.",
  },
  {
    code: "DESKTOP_NOT_RUNNING",
    test: /Docker Desktop is unable to start|Docker Desktop (?:failed to start|stopped unexpectedly)/i,
    message: () => "Docker Desktop failed to start",
    remedy: "Restart Docker Desktop (whale menu → Restart, or quit and open it again); if it fails again, Troubleshoot in Docker Desktop shows why (diagnostics, reset to factory defaults). Retrying here does not help until Desktop runs.",
  },
  {
    code: "DESKTOP_NOT_RUNNING",
    test: /Docker Desktop is (?:shutting down|stopping|quitting)/i,
    message: () => "Docker Desktop is shutting down",
    remedy: "Start Docker Desktop again once it has stopped, wait until it says the engine is running, then retry.",
  },
  {
    // the daemon runs, but this user may not use its socket (not in the `docker` group; a rootless
    // or Desktop socket owned by someone else): "permission denied while trying to connect to the
    // Docker daemon socket at unix:///var/run/docker.sock: … connect: permission denied"
    code: "DAEMON_DOWN",
    test: /permission denied while trying to connect to the docker (?:daemon|API)(?: socket)?(?: at (\S+?):?(?=\s|$))?/i,
    message: (m) => `The Docker daemon refused this user (permission denied on its socket${m[1] ? ` ${m[1]}` : ""})`,
    remedy: "Add your user to the `docker` group (`sudo usermod -aG docker $USER`, then log in again), or point DOCKER_HOST / the docker context at a socket you may use (Docker Desktop, rootless Docker). Running mcp-orchestrator with sudo is not the fix.",
  },
  {
    // the Toolkit cannot read or write one of its files (a ~/.docker made by `sudo docker …`)
    code: "COMMAND_FAILED",
    test: /(?:open|mkdir|stat|rename|remove|write|read|creat\w*)\s+([^\s:]*\.docker[^\s:]*)\s*:\s*permission denied/i,
    message: (m) => `The Toolkit may not read or write ${m[1]} (permission denied)`,
    remedy: "Check the owner and mode of that path: a ~/.docker created by `sudo docker …` belongs to root (`sudo chown -R \"$USER\" ~/.docker` fixes it).",
  },
  {
    code: "DAEMON_DOWN",
    test: /failed to ping Docker daemon|Cannot connect to the Docker daemon|Is the docker daemon running/i,
    message: () => "The Docker daemon is not reachable",
    remedy: "Start Docker (Docker Desktop, or `sudo systemctl start docker`) and check DOCKER_HOST / the docker context.",
  },
  {
    // the docker CLI could not reach its engine at all, whatever the transport and the system's
    // words for why (Windows names its pipe and says in its own language that the file is missing:
    // `error during connect: … open //./pipe/dockerDesktopLinuxEngine: Das System kann …`)
    code: "DAEMON_DOWN",
    test: /\berror during connect\b|\/\/\.\/pipe\/docker[\w-]*|dial unix [^\s:]*\/docker[\w-]*\.sock: connect: (?:no such file or directory|connection refused)/i,
    message: () => "The Docker engine is not reachable (Docker Desktop may not be running)",
    remedy: "Start Docker Desktop (or the Docker engine) and wait until it says it is running; check DOCKER_HOST and the docker context (`docker context ls`).",
  },
  {
    // the docker context chosen (DOCKER_CONTEXT, or `currentContext` in the docker config) is gone:
    // `context "desktop-linux": context not found: …`, `Current context "x" is not found on the file system`
    code: "DAEMON_DOWN",
    test: /context "([^"\n]{1,128})"(?::| is not found)[^\n]*?(?:context )?not found/i,
    message: (m) => `The docker context ${m[1]} does not exist, so docker cannot reach an engine`,
    remedy: "Choose an existing context (`docker context ls`, then `docker context use default`), or unset DOCKER_CONTEXT; reinstalling or resetting Docker Desktop recreates its context.",
  },
  {
    code: "DESKTOP_NOT_RUNNING",
    test: /Docker Desktop is not running/i,
    message: () => "Docker Desktop is not running",
    remedy: "Start Docker Desktop and wait until it says the engine is running, then retry (from WSL or a container, DOCKER_MCP_IN_CONTAINER=1 bypasses the Desktop check).",
  },
  {
    code: "FEATURE_DISABLED",
    test: /"Docker MCP Toolkit" feature needs to be enabled( by your Administrator)?/i,
    message: (m) => (m[1] ? "The Docker MCP Toolkit feature is turned off and locked by your administrator (Docker Desktop admin settings)" : "The Docker MCP Toolkit feature is disabled in Docker Desktop"),
    // pkg/desktop/features.go: admin-settings.json locks it off, or Desktop's own setting is off
    remedy: (stderr) =>
      /feature needs to be enabled by your Administrator/i.test(stderr)
        ? "Ask your Docker Desktop administrator to allow it (admin-settings.json locks enableDockerMCPToolkit off); it cannot be turned on from this machine."
        : "Enable it in Docker Desktop → Settings → Beta features (or ask your administrator if it is locked).",
  },
  {
    // A registry (Docker Hub) refusing a pull: the catalog (`catalog pull`/`show --pull`) or a
    // server image. Not logged in, no access, or the anonymous pull rate limit.
    code: "COMMAND_FAILED",
    test: /unauthorized: authentication required|pull access denied|requested access to the resource is denied|insufficient_scope|toomanyrequests|not logged in|authentication required/i,
    message: (m) => `The registry refused the request (${m[0]})`,
    remedy: "Log in to Docker Hub (`docker login`, or sign in to Docker Desktop) and retry; an anonymous pull is rate-limited, and a private catalog or image needs an account with access.",
  },
  {
    code: "OBSOLETE_COMMAND",
    test: /This command is obsolete/i,
    message: () => "This `docker mcp` command is obsolete in the profiles era",
    remedy: "The driver re-detects the CLI era and retries; if this persists, report the Toolkit version.",
  },
  {
    code: "PASS_MISSING",
    test: /docker pass has not been installed/i,
    message: () => "`docker pass` (needed by `docker mcp secret`) is not installed",
    remedy: "Install or update Docker Desktop (it ships `docker pass`) or the docker-pass CLI plugin; secrets cannot be listed without it.",
  },
  {
    code: "MISSING_CONFIG",
    test: /Missing\/invalid config|Cannot activate profile/i,
    message: (_m, stderr) => {
      const missing = missingConfigOf(stderr)
      return missing.length ? `A server's required configuration is missing: ${missing.map((x) => `${x.server}: ${x.keys}`).join("; ")}` : "A server's required configuration is missing"
    },
    remedy: (stderr) => {
      const first = missingConfigOf(stderr)[0]
      const key = first ? /^([A-Za-z0-9_][A-Za-z0-9_.-]*)/.exec(first.keys)?.[1] : undefined
      const example = first && key ? ` (e.g. config_set with server "${first.server}", key "${key}")` : ""
      return `Set it with the config_set tool${example}, or \`docker mcp profile config <id> --set server.key=value\`; or disable that server.`
    },
  },
  {
    code: "UNKNOWN_PROFILE",
    test: /profile "?([^"\s]+)"? not found/i,
    message: (m) => `Profile ${m[1]} does not exist`,
    remedy: "List profiles with `docker mcp profile list`, or set toolkit.profile to an existing one.",
  },
  {
    code: "UNKNOWN_CATALOG",
    test: /catalog "?([^"\s]+)"? not found(?! in)/i,
    message: (m) => `Catalog ${m[1]} not found`,
    remedy: "Pull it first: `docker mcp catalog pull mcp/docker-mcp-catalog` (legacy: `docker mcp catalog update`).",
  },
  {
    // Profiles era: `profile config` / `profile tools` on a server the profile does not hold
    // ("server X not found in profile for argument X.key=…", pkg/workingset/config.go, tools.go):
    // the server may well be in the catalog, it is just not enabled in this profile.
    code: "UNKNOWN_SERVER",
    test: /server "?([^"\s]+)"? not found in profile(?: (?!for\b)"?([^"\s]+?)"?(?=\s|$))?/i,
    message: (m) => `Server ${m[1]} is not in the profile${m[2] ? ` ${m[2]}` : ""} (it is not enabled there)`,
    remedy: "Enable it first (server_enable, or `docker mcp profile server add`): that adds it to the profile; then retry.",
  },
  {
    // `profile server remove` of a name the profile does not hold: it may well be in the catalog
    code: "UNKNOWN_SERVER",
    test: /no matching servers found to remove/i,
    message: () => "The server to remove is not in the profile (it is not enabled there)",
    remedy: "servers_list shows the servers that are enabled; only those can be disabled.",
  },
  {
    // v0.28 `profile server add --catalog=REF --catalog-server=NAME` of names the catalog does not
    // hold (pkg/workingset/server.go @v0.28.0): "servers were not found in catalog: [a b]"
    code: "UNKNOWN_SERVER",
    test: /servers were not found in catalog: \[([^\]\n]{0,512})\]/i,
    message: (m) => {
      const names = (m[1] ?? "").trim().split(/\s+/).filter(Boolean)
      return names.length === 1 ? `Server ${names[0]} is not in the catalog` : names.length ? `Servers ${names.join(", ")} are not in the catalog` : "Server not found in the catalog"
    },
    remedy: "Search the catalog (catalog_search) for the exact server name (names are case-sensitive).",
  },
  {
    code: "UNKNOWN_SERVER",
    test: /server "?([^"\s]+)"? not found(?! in profile)|servers matching the following patterns were not found in catalog|MCP server not found/i,
    message: (m) => (m[1] ? `Server ${m[1]} is not in the catalog` : "Server not found"),
    remedy: "Search the catalog (catalog_search) for the exact server name.",
  },
  {
    // Profiles era: the SQLite state (~/.docker/mcp/mcp-toolkit.db, opened with busy_timeout 5000) held
    // by another `docker mcp` for over 5 s ("database is locked (5) (SQLITE_BUSY)"), or its migration
    // lock ("timeout waiting for migration lock", pkg/db/db.go): the command changed nothing
    code: "COMMAND_FAILED",
    test: DB_BUSY,
    message: () => "The Toolkit's database (~/.docker/mcp/mcp-toolkit.db) is busy: another `docker mcp` process (a gateway starting, Docker Desktop, another editor window) held it for over 5 s, so the command changed nothing",
    remedy: "Try again in a few seconds; if it stays busy, a `docker mcp` process may be stuck (quit it, or restart Docker Desktop).",
  },
  {
    // gateway start since v0.43.1 (pkg/gateway tool_names.go): two enabled servers expose one tool name
    code: "COMMAND_FAILED",
    test: /tool name collision: server "([^"\n]{1,128})" and server "([^"\n]{1,128})" both expose tool\s+name "([^"\n]{1,128})"/i,
    message: (m) => `Servers ${m[1]} and ${m[2]} both expose a tool named ${m[3]}, so the Docker MCP gateway does not start`,
    remedy: (stderr) => {
      const m = /tool name collision: server "([^"\n]{1,128})" and server "([^"\n]{1,128})" both expose/i.exec(stderr)
      const [a, b] = m ? [m[1], m[2]] : ["one", "the other"]
      return `Disable one of the two servers (server_disable with name "${b}", or "${a}"), or turn on tool name prefixes (\`docker mcp feature enable tool-name-prefix\`: its tools are then named server__tool).`
    },
  },
  {
    // gateway start: a server's secret is not set (the container starts without it, then fails)
    code: "COMMAND_FAILED",
    test: /Secret '([^'\n]{1,128})' not found for server '([^'\n]{1,128})'/i,
    message: (m) => `The secret ${m[1]} of server ${m[2]} is not set`,
    remedy: (stderr) => {
      const m = /Secret '([^'\n]{1,128})' not found for server '([^'\n]{1,128})'/i.exec(stderr)
      return `Set it: \`docker mcp secret set ${m?.[1] ?? "NAME"}\` (the value is read from stdin; never paste it into a tool call), or disable server ${m?.[2] ?? "that server"} (server_disable).`
    },
  },
  {
    code: "UNKNOWN_FLAG",
    test: /unknown (shorthand )?flag/i,
    message: () => "This `docker mcp` version does not know a flag the driver used",
    remedy: "Update Docker Desktop / the MCP Toolkit plugin, or report the version so the driver can adapt.",
  },
]

function remedyOf(rule: Rule, stderr: string): string {
  return typeof rule.remedy === "function" ? rule.remedy(stderr) : rule.remedy
}

function firstLine(s: string): string {
  return cutText(s.trim().split("\n")[0] ?? "", 300)
}

/**
 * What a failed command with nothing on stderr printed on stdout, as its reason: the first line
 * that is not blank (masked as stderr is, at most 300 characters), e.g. a login prompt; "no error
 * output" when stdout is blank too.
 */
function stdoutReason(stdout: string, command: readonly string[] = []): string {
  // what `docker mcp secret …` prints may be a secret's value (a release or wrapper printing
  // NAME=VALUE): never quoted, in any error the model may read
  // (a prompt waiting for input, `Username: `, holds no value and is the reason: quoted)
  if (holdsSecretValues(command) && stdout.trim() !== "" && !/^\s*[A-Za-z][\w .'-]{0,40}:\s*$/.test(stdout)) return `no error output; its stdout (${Buffer.byteLength(stdout)} bytes) is not quoted: \`docker mcp secret\` output may hold secret values`
  const line = /\S[^\n]*/.exec(stdout.length > 64 * 1024 ? stdout.slice(0, 64 * 1024) : stdout)?.[0]
  return line === undefined ? "no error output" : `no error output; its stdout begins: "${firstLine(quotedStderr(line.slice(0, 2000)))}"`
}

/** A `docker mcp secret …` command: its output is never quoted (it may hold a secret's value). */
export function holdsSecretValues(command: readonly string[]): boolean {
  const i = command.indexOf("mcp")
  return command[i + 1] === "secret"
}

/** A key and its separator: `key=`, `key: `, `"key": ` (its value follows, see VALUE). */
const KEY_SEP = /(["']?)([A-Za-z_][\w.-]{0,127})\1([ \t]*[:=][ \t]*)/g
/** The value after a KEY_SEP: quoted, or up to whitespace or a separator. */
const VALUE = /"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;}\]]+/y
/** One item of a list of strings: quoted (JSON, YAML) or a bare YAML flow word. */
const LIST_ITEM = String.raw`(?:"(?:[^"\
]|\.)*"|'[^'
]*'|[\w.:/@+-]+)`
/** A list of strings only (`["api_key", "github.token"]`, YAML flow `[api_key]`), as a secret-named key's value. */
const STRING_LIST = new RegExp(String.raw`\[[ 	]*(?:${LIST_ITEM}[ 	]*(?:,[ 	]*${LIST_ITEM}[ 	]*)*)?\]`, "y")
const LIST_ITEMS = new RegExp(LIST_ITEM, "g")

/** A list item masked unless it is a secret's name (or, in a `secrets` list, a bare word such as `api_key`). */
function maskedItem(item: string, key: string): string {
  const quote = item[0] === '"' || item[0] === "'" ? item[0] : ""
  const inner = quote ? item.slice(1, -1) : item
  if (isSecretReference(inner) || (/^secrets?$/i.test(key) && /^[a-z][a-z0-9_-]{0,63}$/.test(inner))) return item
  return `${quote}${REDACTED}${quote}`
}
/**
 * What follows a secret-named key that is the next link of a Go error chain, not a value: a gRPC
 * status (`secret: rpc error: code = Unavailable desc = …`), a failed system call or network
 * operation (`engine.sock: connect: no such file or directory`), or an error word. The CLI words its
 * failures so (`setting secret github.token: rpc error: …`); masking there hid the whole reason.
 */
const ERROR_CHAIN = /^(["']?)(?:rpc error: code = [A-Za-z]+\b|(?:dial|connect|read|write|open|lookup|listen|accept|stat|mkdir|remove|rename)(?: [a-z]+)?: |no such file or directory\b|connection (?:refused|reset|closed)\b|permission denied\b|context (?:deadline exceeded|canceled)\b|(?:error|failed|cannot|unable|EOF)\b)/

/** A URL's userinfo password: `scheme://user:password@host`. */
const URL_USERINFO = /(\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@"']*:)([^\s/@"']+)@/g

function maskPairs(s: string): string {
  let out = ""
  let last = 0
  KEY_SEP.lastIndex = 0
  for (let m = KEY_SEP.exec(s); m; m = KEY_SEP.exec(s)) {
    if (!isSecretKey(m[2] as string)) continue
    // already masked (a token shape `redactString` replaced)
    if (s.startsWith(REDACTED, KEY_SEP.lastIndex) || s.startsWith(`"${REDACTED}"`, KEY_SEP.lastIndex)) continue
    // a list of strings after the key: each is masked but a secret's name (`"secrets": ["api_key", "github.token"]`)
    STRING_LIST.lastIndex = KEY_SEP.lastIndex
    const list = STRING_LIST.exec(s)?.[0]
    if (list) {
      out += s.slice(last, KEY_SEP.lastIndex) + "[" + list.slice(1, -1).replace(LIST_ITEMS, (item) => maskedItem(item, m[2] as string)) + "]"
      last = KEY_SEP.lastIndex + list.length
      KEY_SEP.lastIndex = last
      continue
    }
    // a map or a list of maps after the key (`"github.token": {…}`, `"secrets": [{"name": …}]`): its pairs are judged one by one
    if (opensStructure(s, KEY_SEP.lastIndex)) continue
    // the reason of an error (`secret: rpc error: code = Unavailable desc = …`) is no value
    if (ERROR_CHAIN.test(s.slice(KEY_SEP.lastIndex, KEY_SEP.lastIndex + 64))) continue
    VALUE.lastIndex = KEY_SEP.lastIndex
    const v = VALUE.exec(s)?.[0]
    // a secret's name (`"key": "github.token"`, YAML `secret: github.personal_access_token`) stays: only values are masked
    if (v && isSecretReference(v.replace(/^(["'])(.*)\1$/, "$2"))) continue
    // the gateway's placeholder for a secret that is not set (`setting GITHUB_TOKEN=<UNKNOWN>`) is none
    if (v && /^(["']?)<[A-Z_]{1,32}>\1$/.test(v)) continue
    if (!v) continue
    // a value that holds no secret (`"secrets": "none"`, `token: true`, `"api_key": ""`, a PIN-length
    // number) stays, as `redactString` keeps it: masked, the quote of output no parser reads lost its
    // ordinary words (qa277)
    if (keepValue(v.replace(/^(["'])(.*)\1$/, "$2"))) continue
    out += s.slice(last, KEY_SEP.lastIndex) + (v.startsWith('"') ? `"${REDACTED}"` : REDACTED)
    last = KEY_SEP.lastIndex + v.length
    KEY_SEP.lastIndex = last
  }
  return last === 0 ? s : out + s.slice(last)
}

/**
 * Text the Toolkit printed, as quoted in errors and logs (stderr, the head of output no parser
 * reads): the registered secrets and token shapes redacted (core `redactString`), and the value of
 * every secret-named key (`GITHUB_TOKEN=…`, `db.password: …`, `"api_key": "…"`) and the password
 * of a URL (`postgres://u:…@h`) masked — the way config_get masks a configuration. The CLI repeats
 * configuration and environment in its messages, and a config value may be a secret.
 */
export function maskToolkitText(text: string): string {
  return maskPairs(redactString(text).replace(URL_USERINFO, `$1${REDACTED}@`))
}

/**
 * stderr as a terminal shows it: without colour and other escape sequences (a CLI or a wrapper that
 * forces colour, `\x1b[31mError:\x1b[0m …`: a known phrase split by one is still found, and no
 * `[31m` debris reaches a message), Windows line ends as `\n`, a line redrawn with `\r` as its last
 * state.
 */
function stderrAsShown(stderr: string): string {
  return terminalText(stderr.replace(/\r\n/g, "\n"))
}

/**
 * stderr as quoted in errors: masked (`maskToolkitText`), and without the value of a
 * `--set server.key=value` the CLI repeats ("… for argument filesystem.token=…"): a config value
 * may be a secret whatever its key.
 */
function quotedStderr(stderr: string): string {
  return maskToolkitText(stderrAsShown(stderr)).replace(/(for argument [^\s=]+=).*$/gm, "$1…")
}

/**
 * Classifies a finished run. Returns null on success (exit 0 and no timeout). `floorMs`: the
 * command had a minimum budget above toolkit.timeout (it starts servers or pulls the catalog), and
 * `timeoutMs` is that minimum: a TIMEOUT says so instead of "raise toolkit.timeout".
 */
export function classifyRun(command: readonly string[], res: RunResult, timeoutMs: number, floorMs?: number): ToolkitError | null {
  const cmd = commandLabel(command)
  const stderr = quotedStderr(res.stderr)
  const details = { command: cmd, exitCode: res.exitCode, stderr: cutText(stderr, 2000) }
  if (res.timedOut) {
    // what it printed before it was stopped is usually the reason (a registry that does not answer)
    const last = stderrReason(stderr)
    const floor = floorMs !== undefined && timeoutMs <= floorMs
    return new ToolkitError(
      "TIMEOUT",
      `\`${cmd}\` did not finish within ${timeoutMs} ms${floor ? " (the minimum for commands that start servers or pull the catalog, above toolkit.timeout)" : " (toolkit.timeout)"}${last ? `; last output: ${last}` : "; it printed nothing on stderr"}`,
      {
        remedy: floor
          ? `Docker may be starting servers or pulling images; retry once it is done (this command always gets at least ${floorMs} ms, whatever toolkit.timeout says).`
          : "Docker may be starting or pulling images; retry, or raise toolkit.timeout.",
        details,
      },
    )
  }
  if (res.exitCode === 0) return isChange(command) ? failedChange(cmd, stderr, details) : null
  if (GO_CRASH.test(stderr)) return crashed(command, cmd, stderr, details)
  for (const rule of RULES) {
    const m = rule.test.exec(stderr)
    if (m) return new ToolkitError(rule.code, `${rule.message(m, stderr)} (\`${cmd}\`: ${firstLine(stderr)})`, { remedy: remedyOf(rule, stderr), details })
  }
  // docker could not run what it found (126: not executable, 127: not found), with no reason known above
  if (res.exitCode === 126 || res.exitCode === 127) {
    return new ToolkitError("TOOLKIT_BROKEN", `The Docker MCP Toolkit CLI plugin could not be run (\`${cmd}\` exit ${res.exitCode}: ${res.exitCode === 126 ? "found but not executable" : "a file it needs was not found"}): ${firstLine(stderr) || stdoutReason(res.stdout, command)}`, {
      remedy: BROKEN_PLUGIN_REMEDY,
      details,
    })
  }
  if (res.exitCode === 125) {
    return new ToolkitError("UNKNOWN_FLAG", `\`${cmd}\` rejected its arguments (exit 125): ${firstLine(stderr)}`, {
      remedy: "Update Docker Desktop / the MCP Toolkit plugin, or report the version so the driver can adapt.",
      details,
    })
  }
  // killed by a signal nobody here sent (not our timeout nor a cancel): the out-of-memory killer,
  // a user's kill, Docker Desktop quitting; its exit code (128 + N) alone told nothing
  if (res.signal) {
    const last = stderrReason(stderr)
    return new ToolkitError("COMMAND_FAILED", `\`${cmd}\` was killed by ${res.signal} (exit ${res.exitCode}) before it finished${last ? `; last output: ${last}` : ""}`, {
      remedy: "Something outside mcp-orchestrator stopped docker: the system may have run out of memory (check Docker Desktop's resources, `dmesg`), or Docker was quitting or updating. Retry; if it recurs, run the command by hand.",
      details: { ...details, signal: res.signal },
    })
  }
  // output and then a failure exit: the output is not used (it may be partial), and says so; with
  // nothing on stderr its first line is the only reason given (a login prompt, `Username: `)
  const said = firstLine(stderr) || stdoutReason(res.stdout, command)
  const printed = res.stdout.trim() ? ` (its ${Buffer.byteLength(res.stdout)} bytes on stdout are not used${said.startsWith("no error output") ? " as an answer" : ""}: a command that fails may have printed a partial answer)` : ""
  return new ToolkitError("COMMAND_FAILED", `\`${cmd}\` failed (exit ${res.exitCode}): ${said}${printed}`, {
    remedy: "Run the command by hand to see the full output; check `docker mcp version`.",
    details,
  })
}

/** A Go crash at a line's start (`panic: …`, `fatal error: …`; a server's panic in gateway logs is indented). */
const GO_CRASH = /^(?:panic: |fatal error: )/m

/**
 * A command that crashed. The plugin's own `version` (or metadata) call crashing is the plugin
 * broken (TOOLKIT_BROKEN); any other command crashing is that command, on its input: the plugin
 * runs (the driver read its version before), so it is named, not "reinstall the plugin".
 */
function crashed(command: readonly string[], cmd: string, stderr: string, details: Record<string, unknown>): ToolkitError {
  const why = crashReason(stderr)
  if (command.includes("version") || command.includes("docker-cli-plugin-metadata"))
    return new ToolkitError("TOOLKIT_BROKEN", `The Docker MCP Toolkit CLI plugin (docker-mcp) is installed but does not run: ${why} (\`${cmd}\`)`, { remedy: BROKEN_PLUGIN_REMEDY, details })
  return new ToolkitError("COMMAND_FAILED", `\`${cmd}\` crashed (a Go panic in docker-mcp): ${why}`, {
    remedy:
      "Only this command crashed, on what it was given (the plugin itself runs: `docker mcp version` answers): check the server, profile or catalog it names and retry; if it keeps crashing, update Docker Desktop / the MCP Toolkit, or report it to docker/mcp-gateway with the panic line and `docker mcp version`.",
    details: { ...details, crashed: true },
  })
}

/**
 * What the user should do about a failure of the Docker MCP gateway (`docker mcp gateway run`, a
 * pool session): the remedy of the first known Toolkit error in `text` (its message and quoted
 * stderr: a registry refusing a pull, Docker not running, a tool name collision, a secret not set…);
 * undefined when none is known (the gateway's generic remedy applies).
 */
export function gatewayRemedy(text: string): string | undefined {
  const quoted = quotedStderr(text)
  for (const rule of RULES) if (rule.test.test(quoted)) return remedyOf(rule, quoted)
  return undefined
}

/** True for argv that asks for JSON (`--json`, `--format json`, `--format=json`). */
export function asksForJson(args: readonly string[]): boolean {
  return args.some((a, i) => a === "--json" || a === "--format=json" || (a === "--format" && args[i + 1] === "json"))
}

/** The stderr line that says why, or the last line: gateway logs put the reason last or mark it. */
export function stderrReason(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean)
  const marked = lines.filter((l) => /error|fail|can't|cannot|not found|denied|invalid|refused|missing|unable/i.test(l))
  const picked = (marked.length ? marked : lines.slice(-1)).slice(-3).join(" | ")
  return picked.length > 400 ? cutText(picked, 400) + "…" : picked
}

/**
 * A JSON command that exited 0 but printed nothing. Go always prints JSON (`null`, `[]`) for an
 * empty result, so this is a failure that was not reported by the exit code (the gateway behind
 * `tools ls` could not start, and said why on stderr only). Never parse it as an empty list.
 * `printed`: what stdout held, when not nothing (an empty list whose stderr says the read failed).
 */
export function classifyEmptyOutput(command: readonly string[], res: RunResult, where: { version: string; era: string }, printed = "no output"): ToolkitError {
  const cmd = commandLabel(command)
  const stderr = quotedStderr(res.stderr)
  const reason = stderrReason(stderr)
  const details = { command: cmd, exitCode: res.exitCode, version: where.version, era: where.era, stderr: cutText(stderr, 2000) }
  for (const rule of RULES) {
    // a rule that only words a failure (COMMAND_FAILED) does not replace OUTPUT_EMPTY's class
    if (rule.code === "COMMAND_FAILED") continue
    const m = rule.test.exec(stderr)
    if (m) return new ToolkitError(rule.code, `${rule.message(m, stderr)} (\`${cmd}\` printed ${printed}; stderr: ${reason})`, { remedy: remedyOf(rule, stderr), details })
  }
  const said = printed === "no output" ? "printed no output, so there is nothing to parse" : `exited 0 but printed ${printed} while its stderr says it failed, so that is not taken for the answer`
  return new ToolkitError(
    "OUTPUT_EMPTY",
    `\`${cmd}\` (Toolkit ${where.version}, ${where.era} era) ${said}; ${reason ? `stderr: ${reason}` : "it wrote nothing on stderr either"}`,
    {
      remedy: command.includes("tools")
        ? "`docker mcp tools ls` starts a gateway to list tools; run `docker mcp gateway run` (with --profile ID in the profiles era) by hand to see why it fails, then fix that server or profile."
        : printed === "no output"
          ? "Run the command by hand to see its full output; update Docker Desktop / the MCP Toolkit if it keeps printing nothing."
          : "Run the command by hand: fix what its stderr says (quoted above), then retry; the empty answer was not used.",
      details,
    },
  )
}

/**
 * Commands that change the user's Toolkit (enable, disable, config, a profile's creation, a catalog
 * pull). Their success is only an exit code: one that exits 0 while its stderr says it failed must
 * not be answered "Enabled X" (a release that logs its error and returns nil, a wrapper script).
 */
function isChange(command: readonly string[]): boolean {
  const [, a, b, c] = command
  if (a === "server") return b === "enable" || b === "disable"
  if (a === "config") return b === "write"
  if (a === "profile") return (b === "server" && (c === "add" || c === "remove")) || b === "create" || (b === "config" && command.some((t) => t.startsWith("--set=")))
  return (a === "catalog" || a === "catalog-next") && b === "pull"
}

/** A change that exited 0 while its stderr says it failed: that failure (its class when known), saying the change may not have been made. */
function failedChange(cmd: string, stderr: string, details: Record<string, unknown>): ToolkitError | null {
  if (stderr.trim() === "" || !stderrSaysFailed(stderr)) return null
  const reason = stderrReason(stderr)
  for (const rule of RULES) {
    if (rule.code === "COMMAND_FAILED") continue
    const m = rule.test.exec(stderr)
    if (m) return new ToolkitError(rule.code, `${rule.message(m, stderr)} (\`${cmd}\` exited 0 but its stderr says: ${reason}; the change may not have been made)`, { remedy: remedyOf(rule, stderr), details })
  }
  return new ToolkitError("COMMAND_FAILED", `\`${cmd}\` exited 0 but its stderr says it failed: ${reason}; the change may not have been made`, {
    remedy: "Check whether it was (servers_list, config_get), run the command by hand to see its full output, fix what its stderr says (quoted above), then retry.",
    details,
  })
}

/** stderr words that say a command failed, whatever its exit code. */
const FAILURE_WORDS = /\b(error|fail(?:ed|ure)?|cannot|can't|unable|denied|invalid|not found|panic)\b/i

/** A stderr line that only warns or hints (`WARNING: … failed to check for updates`): no failure of the read. */
const WARNING_LINE = /^\W*(?:warn(?:ing)?|tip|hint|note|notice|info|deprecat\w*)\b/i

/** stderr that says the command failed: a known Toolkit error, or failure words on a line that is not a warning. */
function stderrSaysFailed(stderr: string): boolean {
  if (RULES.some((r) => r.test.test(stderr))) return true
  return stderr.split("\n").some((l) => !WARNING_LINE.test(l.trim()) && FAILURE_WORDS.test(l))
}

/**
 * A read that exited 0 with nothing to show (no output, or an empty list, `null`, `[]`, a catalog
 * without servers, `printed`) while its stderr says it failed (a known Toolkit error, or words such
 * as "error", "failed", "denied" outside a warning line): legacy `config read` may legitimately
 * print nothing (an empty config.yaml), and any list may legitimately be empty, so only stderr tells
 * an empty answer from a failed read. A failed read must never pass for an empty one: config_set
 * writes the whole file back, and a client shown no servers or tools does not ask again.
 * Returns null when the empty answer stands.
 */
export function failedEmptyRead(command: readonly string[], res: RunResult, where: { version: string; era: string }, printed?: string): ToolkitError | null {
  if ((printed === undefined && cliText(res.stdout).trim() !== "") || res.stderr.trim() === "") return null
  if (!stderrSaysFailed(quotedStderr(res.stderr))) return null
  return classifyEmptyOutput(command, res, where, printed)
}

/**
 * Output no parser reads, from a command that exited 0, that is one of the Toolkit's known error
 * texts (`catalog mcp/docker-mcp-catalog:latest not found`, `Docker Desktop is not running`): a CLI
 * that printed its error on stdout and did not fail. That error, classified as if on stderr
 * (its code and remedy), rather than "cannot parse"; null when the output is no known error.
 */
export function errorOnStdout(command: readonly string[], res: RunResult, where: { version: string; era: string }): ToolkitError | null {
  const text = res.stdout.trim()
  if (text === "" || text.length > 2000) return null
  const said = quotedStderr(text)
  for (const rule of RULES) {
    const m = rule.test.exec(said)
    if (!m) continue
    const cmd = commandLabel(command)
    return new ToolkitError(rule.code, `${rule.message(m, said)} (\`${cmd}\`, Toolkit ${where.version}, ${where.era} era, exited 0 but printed: ${firstLine(said)})`, {
      remedy: remedyOf(rule, said),
      details: { command: cmd, exitCode: res.exitCode, version: where.version, era: where.era, stdout: cutText(said, 2000) },
    })
  }
  return null
}

/**
 * `profile server add` of a name the profile already holds, up to v0.40.0 (the add appended and
 * the profile's validation refused it: "invalid profile: duplicate server name X",
 * pkg/workingset/server.go); from v0.40.1 the add replaces. Left a COMMAND_FAILED by the rules
 * (no code means "already there"): the enable that ran it reads it as nothing changed.
 */
export function isDuplicateServer(e: unknown): boolean {
  if (!(e instanceof ToolkitError) || e.code !== "COMMAND_FAILED") return false
  const stderr = typeof e.details?.stderr === "string" ? e.details.stderr : ""
  return /duplicate server name/i.test(`${e.message}\n${stderr}`)
}
