/**
 * @module config/env-file
 * A dotenv file (`envFile` of a server entry): `KEY=VALUE` lines, `export ` allowed, `#` comments,
 * values bare (an inline ` #` starts a comment), 'single-quoted' (literal) or "double-quoted" (with
 * \n \r \t \" \\ escapes, may span lines). No variable expansion: values are taken as written.
 * Also: what becomes of a server whose envFile cannot be read (`envAtStart`).
 */
import { collectEnvSecrets, FIFO_WAIT_MS, NO_WRITER, NOT_REGULAR, registerSecret, lookupTable, readTextFile } from "../core/index.ts"

export interface DotenvResult {
  values: Record<string, string>
  /** `line N: what is wrong` */
  problems: string[]
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/

export function parseDotenv(text: string): DotenvResult {
  const out: DotenvResult = { values: {}, problems: [] }
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/)
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!
    const line = raw.trim()
    if (!line || line.startsWith("#")) continue
    const body = line.startsWith("export ") ? line.slice(7).trimStart() : line
    const eq = body.indexOf("=")
    const key = eq < 0 ? body : body.slice(0, eq).trim()
    if (eq < 0 || !KEY.test(key)) {
      out.problems.push(`line ${n + 1}: expected KEY=VALUE`)
      continue
    }
    if (key === "__proto__") {
      // it would set the map's prototype, not a variable: lost without a word
      out.problems.push(`line ${n + 1}: "__proto__" cannot be a variable name here; rename it`)
      continue
    }
    let rest = body.slice(eq + 1).trimStart()
    const q = rest[0]
    if (q === '"' || q === "'") {
      // A quoted value may continue on the following lines until its closing quote.
      const start = n
      let value = ""
      let closed = false
      let text = rest.slice(1)
      for (;;) {
        const end = closingQuote(text, q)
        if (end >= 0) {
          value += text.slice(0, end)
          closed = true
          break
        }
        value += text
        if (++n >= lines.length) break
        value += "\n"
        text = lines[n]!
      }
      if (!closed) {
        out.problems.push(`line ${start + 1}: unterminated ${q === '"' ? "double" : "single"}-quoted value`)
        continue
      }
      out.values[key] = q === '"' ? unescape(value) : value
      continue
    }
    const hash = rest.search(/\s#/)
    if (hash >= 0) rest = rest.slice(0, hash)
    out.values[key] = rest.trim()
  }
  return out
}

function closingQuote(text: string, q: string): number {
  for (let i = 0; i < text.length; i++) {
    if (q === '"' && text[i] === "\\") i++
    else if (text[i] === q) return i
  }
  return -1
}

function unescape(v: string): string {
  return v.replace(/\\([nrt"\\])/g, (_m, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c))
}

// --- An envFile that could not be read: a runtime condition of its server ---

/**
 * A server's `envFile` that could not be read when the config was loaded (missing, unreadable, a
 * directory). Like a command that is not installed, it is no config error: the rest of the config
 * loads and the other servers run; this server fails to start, naming the file and the key, until
 * the file can be read (it is read again at each start attempt, and a config reload merges it).
 */
export interface EnvFileFailure {
  /** `servers.NAME.envFile (file:line)`: the key that names it and where it was written. */
  where: string
  /** The path read (absolute). */
  path: string
  /** The errno code (ENOENT, EACCES, EISDIR…), or the error text. */
  code: string
}

/** Loaded server specs whose envFile could not be read (keyed by the spec object the pool gets). */
const unreadable = new WeakMap<object, EnvFileFailure>()

export function markEnvFileUnreadable(spec: object, failure: EnvFileFailure): void {
  unreadable.set(spec, failure)
}

export function envFileFailure(spec: object): EnvFileFailure | undefined {
  return unreadable.get(spec)
}

/**
 * How long a read once serving (a server's start, a config reload) waits for a writer of an envFile
 * that is a FIFO: the event loop is held meanwhile (every request, every signal), so not the 5 s of
 * the start.
 */
export const SERVING_FIFO_WAIT_MS = 250

/** The largest envFile read: a larger (or endless: /dev/zero) one fails its server, unread past it. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024

/** An envFile's text (UTF-8, or UTF-16 with its byte-order mark); read errors are thrown, EFBIG past MAX_ENV_FILE_BYTES. */
export function readEnvFileText(path: string, waitMs?: number): string {
  return readTextFile(path, MAX_ENV_FILE_BYTES, waitMs).text
}

const ERRNO_TEXT: Record<string, string> = lookupTable({
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
  EFBIG: `more than ${MAX_ENV_FILE_BYTES} bytes, not read (a dotenv file holds a few KiB)`,
  [NOT_REGULAR]: "a device or socket, not a file",
  [NO_WRITER]: `a FIFO no program wrote to and closed in time (${FIFO_WAIT_MS / 1000} s at the start, ${SERVING_FIFO_WAIT_MS / 1000} s once serving: a reload, a retried start)`,
})

/** "cannot read /x/.env (ENOENT: no such file)". */
export function cannotRead(path: string, code: string): string {
  const text = ERRNO_TEXT[code]
  return `cannot read ${path} (${code}${text ? `: ${text}` : ""})`
}

/** What the log and orchestrator_status say about a server whose envFile cannot be read. */
export function envFileProblem(f: EnvFileFailure, code: string = f.code): string {
  return `its envFile ${cannotRead(f.path, code)}; set at ${f.where}`
}

/** The first step for an envFile that cannot be read, by the read error's code. */
function envFileFirstStep(path: string, code: string): string {
  if (code === "EFBIG") return `Point the envFile at the dotenv file itself (KEY=VALUE lines, a few KiB), not ${path}`
  if (code === "EACCES" || code === "EPERM") return `Make ${path} readable by this user`
  if (code === "EISDIR") return `Name a dotenv file inside ${path}, not the directory`
  if (code === NOT_REGULAR) return `Point the envFile at a regular dotenv file (KEY=VALUE lines), not the device or socket ${path}`
  if (code === NO_WRITER) return `Start the program that writes ${path} before the orchestrator (it must write and close it within ${FIFO_WAIT_MS / 1000} s), or point the envFile at a regular file`
  return `Create ${path} (dotenv lines: KEY=VALUE)`
}

export function envFileRemedy(f: EnvFileFailure, code: string = f.code): string {
  return `${envFileFirstStep(f.path, code)}, or change or remove the envFile named at ${f.where} (a relative path starts at the config file's directory; \${workspaceFolder} is $MCPO_WORKSPACE, else the directory the orchestrator was started in). The other servers are not affected; this one is tried again with backoff, and the file is read at each attempt.`
}

export type StartEnv = { env: Record<string, string> | undefined } | { problem: string; remedy: string }

/**
 * The environment a stdio server starts with (before the minimal base is added): its spec's `env`,
 * into which the envFile's values were merged when the config loaded. For a spec whose envFile
 * could not be read then, the file is read now: it may exist by now (keys in `env` still win, and
 * the values are registered as secrets like any loaded one). Still unreadable, or not dotenv: the
 * problem, to fail this start with.
 */
export function envAtStart(spec: { env?: Record<string, string> }): StartEnv {
  const f = unreadable.get(spec)
  if (!f) return { env: spec.env }
  let text: string
  try {
    // while serving, a FIFO with no writer yet must not hold every other request for long
    text = readEnvFileText(f.path, SERVING_FIFO_WAIT_MS)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e)
    return { problem: envFileProblem(f, code), remedy: envFileRemedy(f, code) }
  }
  const parsed = parseDotenv(text)
  if (parsed.problems.length) return { problem: `its envFile ${f.path} (set at ${f.where}): ${parsed.problems.join("; ")}`, remedy: envFileRemedy(f) }
  const secrets: string[] = []
  collectEnvSecrets(parsed.values, secrets)
  for (const v of secrets) registerSecret(v)
  return { env: { ...parsed.values, ...spec.env } }
}
