/**
 * @module config/command-line
 * A stdio server's `command` is one executable, run without a shell. Written as a whole command
 * line (`command: "npx -y @modelcontextprotocol/server-memory"`, as in a shell or a README), it
 * cannot start (ENOENT for a file named with the spaces). When the string has whitespace, names no
 * existing file, and its first word is a program (found on PATH, or an existing path), this gives
 * the split to write instead. Loading warns with it (config/load; doctor shows it) and the
 * SPAWN_FAILED error of such a server carries it (pool/stdio-transport).
 */
import { existsSync } from "node:fs"
import { isAbsolute, resolve } from "node:path"

/** Where the command is looked up: PATH of the child's environment, and its working directory. */
export interface CommandLookup {
  PATH?: string | undefined
  cwd?: string | undefined
}

/** Shell syntax outside quotes: split into argv it would not mean the same. */
const SHELL_SYNTAX = /[|&;<>()`$]/

/**
 * Words of a command line as a POSIX shell splits them (whitespace, '…', "…", backslash), or
 * undefined for an unbalanced quote. `shell` is set when unquoted shell syntax (pipes, `&&`,
 * redirections, `$VAR`, `$(…)`) appears: the words alone would not mean the same.
 */
export function splitCommandLine(line: string): { words: string[]; shell: boolean } | undefined {
  const words: string[] = []
  let cur: string | undefined
  let shell = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (/\s/.test(c)) {
      if (cur !== undefined) words.push(cur)
      cur = undefined
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) return undefined
      cur = (cur ?? "") + line.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      let j = i + 1
      let s = ""
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === "\\" && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++
        else if (line[j] === "$" || line[j] === "`") shell = true // expanded by a shell inside "…" too
        s += line[j]
      }
      if (j >= line.length) return undefined
      cur = (cur ?? "") + s
      i = j
    } else if (c === "\\" && i + 1 < line.length) {
      cur = (cur ?? "") + line[++i]
    } else {
      if (SHELL_SYNTAX.test(c)) shell = true
      cur = (cur ?? "") + c
    }
  }
  if (cur !== undefined) words.push(cur)
  return { words, shell }
}

function isFile(path: string, cwd: string | undefined): boolean {
  if (existsSync(path)) return true
  return cwd !== undefined && !isAbsolute(path) && existsSync(resolve(cwd, path))
}

/** The program `word` names: a path that exists, or a name found on PATH. */
function isProgram(word: string, o: CommandLookup): boolean {
  if (word.includes("/") || word.includes("\\")) return isFile(word, o.cwd)
  return Bun.which(word, o.PATH !== undefined ? { PATH: o.PATH } : {}) !== null
}

/** A command that is a whole command line: what is wrong, and what to write instead. */
export interface CommandLineHint {
  /** `"npx -y pkg" looks like a command line (…)` */
  problem: string
  /** `write command: npx, args: ["-y", "pkg"]` */
  fix: string
  /** `problem; fix` */
  text: string
}

/**
 * What to write instead when `command` is a whole command line (see the module comment), else
 * undefined. `args` (already configured) follow the words split off.
 */
export function commandLineHint(command: string, args: readonly string[], o: CommandLookup = {}): CommandLineHint | undefined {
  if (!/\s/.test(command) || isFile(command, o.cwd)) return undefined
  const split = splitCommandLine(command)
  const first = split?.words[0]
  if (!split || first === undefined || !isProgram(first, o)) return undefined
  const shown = JSON.stringify(command.length > 80 ? command.slice(0, 79) + "…" : command)
  const why = "the whole string is taken as the name of one executable, never run through a shell"
  const hint = (problem: string, fix: string): CommandLineHint => ({ problem, fix, text: `${problem}; ${fix}` })
  if (split.shell) {
    return hint(`${shown} looks like a shell command line (${why})`, `write command: ${first} and its arguments as args, one per item, or command: sh, args: ["-c", ${JSON.stringify(command)}] if it needs the shell`)
  }
  const rest = [...split.words.slice(1), ...args]
  return hint(`${shown} looks like a command line (${why})`, `write command: ${first}, args: ${JSON.stringify(rest).replace(/","/g, '", "')}`)
}

interface StdioLike {
  command?: unknown
  args?: unknown
  cwd?: unknown
  env?: unknown
  disabled?: unknown
}

/**
 * One warning per enabled stdio entry of `servers`/`mcpServers` (the config as validated, variables
 * resolved) whose command is a whole command line: `servers.m.command (file:3): "npx -y …" looks like …`.
 */
export function commandLineWarnings(
  maps: Readonly<Record<string, Readonly<Record<string, StdioLike>> | undefined>>,
  sourceOf: (path: readonly PropertyKey[]) => string,
  env: Record<string, string | undefined>,
): string[] {
  const out: string[] = []
  for (const key of ["servers", "mcpServers"]) {
    const map = maps[key]
    if (!map) continue
    for (const name of Object.keys(map)) {
      const s = map[name]!
      if (typeof s.command !== "string" || s.disabled === true) continue
      const args = Array.isArray(s.args) ? s.args.filter((a): a is string => typeof a === "string") : []
      const childEnv = typeof s.env === "object" && s.env !== null ? (s.env as Record<string, unknown>) : {}
      const PATH = typeof childEnv.PATH === "string" ? childEnv.PATH : env.PATH
      const hint = commandLineHint(s.command, args, { PATH, cwd: typeof s.cwd === "string" ? s.cwd : undefined })
      if (hint) out.push(`${key}.${name}.command (${sourceOf([key, name, "command"])}): ${hint.text}`)
    }
  }
  return out
}
