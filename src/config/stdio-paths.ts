/**
 * @module config/stdio-paths
 * Where a stdio server starts, and why it cannot. Relative paths of a server entry start at the
 * config file's directory, as `envFile` does (never at the directory the orchestrator happens to
 * run in: an editor picks that one): `cwd: ./srv` is resolved there when the config loads, and a
 * `command` naming a file by a relative path (`./switch.sh`, `bin/server`: it holds a `/`) is
 * resolved from the entry's `cwd` when it has one, else from the config file's directory. A bare
 * name (`node`, `npx`) is looked up on the server's PATH when it starts. A leading `~/` (or a lone
 * `~`) in `cwd`, `command` and `envFile` is the home directory.
 * `startProblem` says what keeps a server from starting (a `cwd` that is missing or not a
 * directory, a command file that is missing or not executable, a name not on PATH), naming the
 * key: the SPAWN_FAILED message (pool/stdio-transport) and `doctor` use it.
 */
import { accessSync, closeSync, constants, existsSync, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs"
import { dirname, isAbsolute, join, resolve } from "node:path"
import { commandLineHint } from "./command-line.ts"
import { expandHome, homeDir } from "./file.ts"

/** Does `command` name a file by its path (rather than a program looked up on PATH)? */
export function namesPath(command: string): boolean {
  return command.includes("/") || (process.platform === "win32" && command.includes("\\"))
}

/**
 * Makes the paths of a stdio entry (the merged config, variables resolved, not validated yet)
 * absolute, in place: `cwd` from `baseDir` (the config file's directory), then a `command` holding
 * a `/` from that `cwd`, else from `baseDir` (one with whitespace only when that names a file).
 * Values of the wrong type are left to the schema.
 */
export function resolveStdioPaths(entry: Record<string, unknown>, baseDir: string, home: string = homeDir()): void {
  if (typeof entry.cwd === "string") entry.cwd = expandHome(entry.cwd, home)
  if (typeof entry.command === "string") entry.command = expandHome(entry.command, home)
  if (typeof entry.cwd === "string" && entry.cwd !== "" && !isAbsolute(entry.cwd)) entry.cwd = resolve(baseDir, entry.cwd)
  const from = typeof entry.cwd === "string" && entry.cwd !== "" ? entry.cwd : baseDir
  const command = entry.command
  if (typeof command !== "string" || !namesPath(command) || isAbsolute(command)) return
  // "npx -y @scope/pkg" holds a / but is a whole command line (config/command-line says so): left
  // as written, unless it names a file (a path with a space in it)
  const path = resolve(from, command)
  if (!/\s/.test(command) || existsSync(path)) entry.command = path
}

/** Why a stdio server cannot start, and the key to change. */
export interface StartProblem {
  key: "cwd" | "command"
  /** `its working directory /x (servers.a.cwd) does not exist` — reads after "cannot start CMD: ". */
  problem: string
  remedy: string
}

const RELATIVE_RULE = "a relative cwd starts at the config file's directory, and so does a relative command holding a / (at the entry's cwd when it has one)"

/**
 * What keeps `spec` (a stdio server as loaded: paths absolute) from starting, or undefined when its
 * cwd is a directory and its command is found: a file that exists and may be run, or a name on
 * `PATH` (the server's own: its `env.PATH`, else the orchestrator's). A whole command line in
 * `command` is config/command-line's to report: undefined here.
 */
export function startProblem(server: string | undefined, spec: { command: string; args?: readonly string[]; cwd?: string | undefined }, PATH: string | undefined): StartProblem | undefined {
  const key = (k: string): string => (server === undefined ? `the server's ${k}` : `servers.${server}.${k}`)
  const { command, cwd } = spec
  if (cwd) {
    const s = statOf(cwd)
    if (s === "ENOENT") return { key: "cwd", problem: `its working directory ${cwd} (${key("cwd")}) does not exist`, remedy: `Create ${cwd}, or set ${key("cwd")} to an existing directory; ${RELATIVE_RULE}.` }
    if (typeof s === "string") return { key: "cwd", problem: `its working directory ${cwd} (${key("cwd")}) cannot be used (${s})`, remedy: `Set ${key("cwd")} to a directory this user may enter.` }
    if (!s.isDirectory()) return { key: "cwd", problem: `its working directory ${cwd} (${key("cwd")}) is not a directory`, remedy: `Set ${key("cwd")} to a directory, not a file; ${RELATIVE_RULE}.` }
  }
  if (commandLineHint(command, spec.args ?? [], { PATH, cwd })) return undefined
  if (namesPath(command)) {
    const s = statOf(cwd && !isAbsolute(command) ? resolve(cwd, command) : command)
    if (s === "ENOENT") return { key: "command", problem: `${command} (${key("command")}) does not exist`, remedy: `Fix ${key("command")}: an absolute path, a name found on PATH, or a relative path; ${RELATIVE_RULE}.` }
    if (typeof s === "string") return { key: "command", problem: `${command} (${key("command")}) cannot be read (${s})`, remedy: `Fix ${key("command")}, or the permissions of the directories on its path.` }
    if (s.isDirectory()) return { key: "command", problem: `${command} (${key("command")}) is a directory, not a program`, remedy: `Set ${key("command")} to the program in it.` }
    if (!executable(command)) return { key: "command", problem: `${command} (${key("command")}) is not executable`, remedy: `Make it executable (chmod +x ${command}), or set ${key("command")} to its interpreter (node, python3, sh) and put the file in args.` }
    return interpreterProblem(cwd && !isAbsolute(command) ? resolve(cwd, command) : command, command, key, PATH)
  }
  const found = Bun.which(command, PATH !== undefined ? { PATH } : {})
  if (found === null) {
    return {
      key: "command",
      problem: `no program named ${JSON.stringify(command)} (${key("command")}) on its PATH (${PATH ?? "unset"})`,
      remedy: `Install it, write its absolute path in ${key("command")}, or set PATH in ${key("env")} (the server gets the orchestrator's PATH otherwise: an editor started from the desktop may have a shorter one than a terminal).`,
    }
  }
  return interpreterProblem(found, command, key, PATH)
}

/**
 * A script's `#!` interpreter that cannot be found: `npx`, and every npm-installed server, is a
 * `#!/usr/bin/env node` script, so with `node` not on the server's PATH (a `command` written as the
 * absolute path of an nvm `npx`, an editor started from the desktop) the server exits at once with
 * "env: node: No such file or directory" although its command was found. Read from the file's first
 * line; `env -S` and its options are understood. A file that is no script, or cannot be read, is
 * not judged.
 */
function interpreterProblem(file: string, command: string, key: (k: string) => string, PATH: string | undefined): StartProblem | undefined {
  if (process.platform === "win32") return undefined
  const line = shebang(file)
  if (!line) return undefined
  const words = line.split(/[ \t]+/).filter(Boolean)
  const interpreter = words[0]
  if (!interpreter) return undefined
  const shown = `#!${line}`
  if (/(^|\/)env$/.test(interpreter)) {
    const name = words.slice(1).find((w) => !w.startsWith("-") && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w))
    if (!name || name.includes("/")) return undefined
    if (Bun.which(name, PATH !== undefined ? { PATH } : {}) !== null) return undefined
    // nvm, volta, a tarball: node sits next to npx
    const beside = dirname(file)
    const next = existsSync(join(beside, name)) ? beside : undefined
    return {
      key: "command",
      problem: `${command} (${key("command")}) is a script run by ${JSON.stringify(name)} (${shown}), and no program named ${JSON.stringify(name)} is on its PATH (${PATH ?? "unset"}): it would exit at once with "env: ${name}: No such file or directory"`,
      remedy: next
        ? `Set PATH in ${key("env")} to include ${next} (where ${name} is), e.g. PATH: "${next}:/usr/bin:/bin".`
        : `Install ${name}, or set PATH in ${key("env")} to include the directory that holds it (the server gets the orchestrator's PATH otherwise: an editor started from the desktop may have a shorter one than a terminal).`,
    }
  }
  if (isAbsolute(interpreter) && !existsSync(interpreter)) {
    return { key: "command", problem: `${command} (${key("command")}) is a script run by ${interpreter} (${shown}), which does not exist`, remedy: `Install the interpreter, fix the script's first line, or set ${key("command")} to an interpreter that exists and put the script in args.` }
  }
  return undefined
}

/** The `#!` line of a file, without `#!` (undefined when it has none or cannot be read). */
function shebang(file: string): string | undefined {
  let fd: number | undefined
  try {
    // never a blocking open: a `command` that is a FIFO held the config load in open(2) for good
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
    if (!fstatSync(fd).isFile()) return undefined
    const buf = Buffer.alloc(256)
    const n = readSync(fd, buf, 0, buf.length, 0)
    const head = buf.subarray(0, n).toString("latin1")
    if (!head.startsWith("#!")) return undefined
    const end = head.indexOf("\n")
    return (end === -1 ? head.slice(2) : head.slice(2, end)).replace(/\r$/, "").trim()
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** The file's stat, or the error code. */
function statOf(path: string): Stats | string {
  try {
    return statSync(path)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e)
  }
}

function executable(path: string): boolean {
  if (process.platform === "win32") return true
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
