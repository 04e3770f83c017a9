/**
 * @module config/file
 * Locating and reading the config file, keeping line numbers for error messages: `.json` and
 * `.jsonc` files are JSON with comments (as Cursor's mcp.json), anything else YAML (plain JSON is
 * YAML too, and read without the YAML parser).
 */
import { existsSync, lstatSync, readlinkSync, statSync } from "node:fs"
import { isAbsolute, join, resolve } from "node:path"
import type { Document, LineCounter } from "yaml"
import { ConfigError, homeDir, FIFO_WAIT_MS, isFifoAhead, NO_WRITER, NOT_REGULAR, nestsDeeperThan, readTextFile } from "../core/index.ts"
import { flowTooDeep, MAX_CONFIG_DEPTH } from "./depth.ts"
import { readJson } from "./json-lines.ts"
import { readJsonc } from "./jsonc-lines.ts"

export interface FileLayer {
  path: string
  values: Record<string, unknown>
  /** Line (1-based) of the deepest node on `path`, or undefined. */
  lineOf(path: readonly (string | number)[]): number | undefined
  /**
   * The document holds no value: 0 bytes, whitespace or comments only (also YAML `~`/`null`).
   * Read as no settings; a reload refuses it (editors truncate before they write: app/reload).
   */
  empty: boolean
}

export function configHome(env: Record<string, string | undefined>): string {
  // a relative XDG_CONFIG_HOME is ignored (the XDG rule, as for the cache and state directories): it
  // would name another directory from each working directory an editor starts us in
  const xdg = env.XDG_CONFIG_HOME
  return xdg && xdg.trim() && isAbsolute(xdg) ? join(xdg, "mcp-orchestrator") : join(homeDir(env), ".config", "mcp-orchestrator")
}

/** The cache directory: `cache.dir` (with ~ expanded), else $XDG_CACHE_HOME/mcp-orchestrator, else ~/.cache/mcp-orchestrator. */
export function cacheHome(dir: string | undefined, env: Record<string, string | undefined>): string {
  const home = homeDir(env)
  if (dir) return resolve(expandHome(dir, home))
  const xdg = env.XDG_CACHE_HOME
  if (xdg && isAbsolute(xdg)) return join(xdg, "mcp-orchestrator")
  return join(home, ".cache", "mcp-orchestrator")
}

/** Durable state (tool pins): $XDG_STATE_HOME/mcp-orchestrator, else ~/.local/state/mcp-orchestrator. */
export function stateHome(env: Record<string, string | undefined>): string {
  const home = homeDir(env)
  const xdg = env.XDG_STATE_HOME
  if (xdg && isAbsolute(xdg)) return join(xdg, "mcp-orchestrator")
  return join(home, ".local", "state", "mcp-orchestrator")
}

/** The tool pins file: `proxy.pinsFile`, else pins.json in the state directory (`stateHome`). */
export function pinsFile(pinsFileSetting: string | undefined, env: Record<string, string | undefined>): string {
  return pinsFileSetting ?? join(stateHome(env), "pins.json")
}

/** The user's home directory: $HOME when it is an absolute path, else the account's (core/account-home). */
export { homeDir }

/**
 * `~` and `~/…` at the start of a path are the home directory, as in a shell (a config written by
 * hand has them; taken as relative they named `<config dir>/~/…`). `~user`, and a `~` anywhere
 * else, are left as written.
 */
export function expandHome(path: string, home: string = homeDir()): string {
  if (path === "~") return home
  if (path.startsWith("~/") || (process.platform === "win32" && path.startsWith("~\\"))) return join(home, path.slice(2))
  return path
}

export interface FileChoice {
  path: string
  /** How it was chosen: "--config", "MCPO_CONFIG" or "default location". */
  via: string
  /** True when the user named it explicitly (a missing file is then an error). */
  explicit: boolean
  /** Other config files in the default location, which are not read (the first in DEFAULT_NAMES order wins). */
  ignored?: string[]
  /** Set with `ignored`: the warning that says which files exist and which one is used. */
  warning?: string
}

/** The config file names looked for in the default location, in the order that picks one. */
export const DEFAULT_NAMES = ["config.yaml", "config.yml", "config.json", "config.jsonc"] as const

/** `--config FILE`, else `MCPO_CONFIG`, else `$XDG_CONFIG_HOME/mcp-orchestrator/config.{yaml,yml,json,jsonc}`. */
export function chooseConfigFile(flag: string | undefined, env: Record<string, string | undefined>): FileChoice | undefined {
  // `~/…` as a shell would (an mcp.json entry's args and env reach us without a shell)
  if (flag) return { path: expandHome(flag, homeDir(env)), via: "--config", explicit: true }
  if (env.MCPO_CONFIG) return { path: expandHome(env.MCPO_CONFIG, homeDir(env)), via: "MCPO_CONFIG", explicit: true }
  const dir = configHome(env)
  const found = DEFAULT_NAMES.filter((name) => existsSync(join(dir, name)))
  // only a link whose target is missing (dotfiles not stowed yet, their folder moved): the config meant
  // to be there cannot be read, said as for --config, not read as "no config" (no servers, silently)
  const dangling = found.length === 0 ? DEFAULT_NAMES.find((name) => isLink(join(dir, name))) : undefined
  if (dangling !== undefined) return { path: join(dir, dangling), via: "default location", explicit: false }
  if (found.length === 0) {
    // a file where the directory should be (the config saved as ~/.config/mcp-orchestrator itself):
    // never read, so said rather than silently running on the defaults
    let file = false
    try {
      file = !statSync(dir).isDirectory()
    } catch {
      // absent: the defaults
    }
    // a folder this user may not look into (chmod 000, another user's, a parent not searchable):
    // existsSync says false for each name there, which read as "no config" and ran on the defaults
    const denied = lookupDenied(dir)
    if (denied !== undefined) {
      throw new ConfigError([`${dir}: cannot look for a config file in the config directory (${denied}); no config is read from it`], {
        remedy: `Make the folder (and each folder above it) readable and searchable by this user (chmod u+rx ${dir}, or chown it to this user), or name the config file with --config FILE / MCPO_CONFIG.`,
      })
    }
    if (file) {
      throw new ConfigError([`${dir}: a file stands where the config directory should be; no config is read from it`], {
        remedy: `The config goes in ${join(dir, "config.yaml")} (or .json): move the file (mv ${dir} ${dir}.yaml && mkdir ${dir} && mv ${dir}.yaml ${join(dir, "config.yaml")}), or pass --config FILE.`,
      })
    }
    return undefined
  }
  const [used, ...others] = found
  const choice: FileChoice = { path: join(dir, used!), via: "default location", explicit: false }
  if (others.length) {
    choice.ignored = others.map((name) => join(dir, name))
    choice.warning =
      `${dir}: ${found.length === 2 ? `${used} and ${others[0]} both exist` : `${found.slice(0, -1).join(", ")} and ${found.at(-1)} all exist`} in the default location; using ${used} (the first of ${DEFAULT_NAMES.join(", ")}), ` +
      `${others.length > 1 ? "the others are" : `${others[0]} is`} not read`
  }
  return choice
}

/**
 * The largest config file read, bytes: a real one (a hundred servers) is some tens of KiB. A larger
 * one (a log pasted in, `--config /dev/zero`) is refused unread past it, not parsed for minutes.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024

export function readConfigFile(choice: FileChoice): FileLayer {
  let text: string
  let malformed: string | undefined
  let notText: string | undefined
  try {
    ;({ text, malformed, notText } = readTextFile(choice.path, MAX_CONFIG_BYTES))
  } catch (e) {
    if (isFifoAhead(e)) throw e // the start loads again after a turn of the event loop (core/start-end)
    const code = (e as NodeJS.ErrnoException).code
    const dangling = code === "ENOENT" ? danglingLink(choice.path) : undefined
    const detail = (e as { detail?: string }).detail
    const why =
      code === "EFBIG"
        ? `EFBIG: more than ${MAX_CONFIG_BYTES} bytes (1 MiB), the most a config may have; not read`
        : code === "ELOOP"
          ? "ELOOP: a symlink loop"
          : detail !== undefined
            ? `${code}: ${detail}`
            : (code ?? String(e))
    throw new ConfigError([`${choice.path} (${choice.via}): cannot read the config file (${why}${dangling !== undefined ? `: a symlink to ${dangling}, which does not exist` : ""})`], {
      remedy: readRemedy(code, dangling),
    })
  }
  if (notText !== undefined) {
    throw new ConfigError([`${choice.path} (${choice.via}): not a text file: ${notText}`], {
      remedy: "Save the file as UTF-8 (in Windows PowerShell: `Set-Content -Encoding utf8`, or `Out-File -Encoding utf8`), or name the config file itself with --config / MCPO_CONFIG.",
    })
  }
  if (malformed === undefined) return parseConfigText(text, choice.path)
  // bytes that are not UTF-8 (read as U+FFFD) are what a parse error there is about: said first
  try {
    return parseConfigText(text, choice.path)
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    throw new ConfigError([`${choice.path} (${choice.via}): ${malformed}; save the file as UTF-8`, ...e.problems], { remedy: `Save the file as UTF-8 (an editor half-way through a save, or one set to another encoding, leaves bytes that are not). ${e.remedy ?? ""}`.trim() })
  }
}

/** What to do when the config file cannot be read, by the read error's code. */
function readRemedy(code: string | undefined, dangling: string | undefined): string {
  if (dangling !== undefined) return `Create ${dangling}, or point the link (or --config / MCPO_CONFIG) at an existing file.`
  switch (code) {
    case "ENOENT":
      return "Create the file, or point --config / MCPO_CONFIG at an existing one."
    case "EISDIR":
      return "That is a directory: name the config file (config.yaml, config.json…) with --config / MCPO_CONFIG, or move the directory out of the way."
    case "ENOTDIR":
      return "A file stands where one of the directories on that path should be: fix the path, or move that file out of the way."
    case "EFBIG":
      return "Name the config file itself (not a log, a data file or a device); a config holds settings and server entries, a few KiB."
    case "ELOOP":
      return "The path's symlinks point at one another: point the link (or --config / MCPO_CONFIG) at the real file."
    case NOT_REGULAR:
      return "Name a regular file (config.yaml, config.json…) with --config / MCPO_CONFIG; a config read from a program's output works as process substitution (`--config <(sops -d c.yaml)`) or a pipe into /dev/stdin."
    case NO_WRITER:
      return `Start the program that writes the config into the FIFO (it must write it and close it within ${FIFO_WAIT_MS / 1000} s of the start), or name a regular file, or use process substitution (\`--config <(cmd)\`).`
    default:
      return "Check the file's permissions (this user must be able to read it)."
  }
}

/**
 * Why the default names in `dir` cannot be looked up, when it is not that they are absent: the
 * error code and what it means (EACCES: permission denied), else undefined.
 */
function lookupDenied(dir: string): string | undefined {
  for (const name of DEFAULT_NAMES) {
    try {
      lstatSync(join(dir, name))
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === "EACCES" || code === "EPERM") return `${code}: permission denied`
    }
  }
  return undefined
}

/** `path` is a symlink (whatever it leads to, if anything). */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}

/** Where `path` points when it is a symlink (its target as written), else undefined. */
function danglingLink(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined
  } catch {
    return undefined
  }
}

/** yaml is loaded on first use only: a run without a config file never pays for it. */
function yaml(): typeof import("yaml") {
  return require("yaml") as typeof import("yaml")
}

/** Aliases a config may expand; far more than any real config, far fewer than a "billion laughs". */
export const MAX_ALIAS_COUNT = 100

/** True for the file names read as JSON with comments. */
export function isJsoncPath(path: string): boolean {
  return /\.jsonc?$/i.test(path)
}

/**
 * A plain YAML value that starts with `@` or a backtick is an error (`args: [-y, @scope/pkg]`, the
 * npm package every MCP server README names): the value to write instead, quoted.
 */
function quoteHint(code: string, text: string, pos: number | undefined): string {
  if (code !== "BAD_SCALAR_START" || pos === undefined) return ""
  const value = /^[^\s,\]}#]+/.exec(text.slice(pos))?.[0]
  if (!value || !/^[@`]/.test(value) || value.length > 200) return ""
  return `; quote the value: ${JSON.stringify(value)}`
}

/**
 * The parser's words for a YAML error, in the user's terms where the parser speaks to programmers
 * (a second document was "please use YAML.parseAllDocuments()").
 */
function yamlMessage(code: string, message: string, text: string): string {
  if (code === "MULTIPLE_DOCS") return "a second YAML document starts here (after a `---` or `...` line); the config is one document: merge the keys into one mapping and remove the separator"
  if (code === "TAB_AS_INDENT") return "a tab indents this line; YAML indents with spaces only"
  return withoutSourceText(message.split("\n")[0]!, text)
}

/**
 * A parser message without the config text it quotes (`Invalid escape sequence \q`, `Block scalar
 * header includes extra characters: …`, `Unresolved alias …: NAME`): the text there may be a token
 * or password written where YAML reads it otherwise. The file:line names the place.
 */
function withoutSourceText(message: string, text: string): string {
  const m = /^(.*?)(?:: | sequence )(\S.*)$/.exec(message)
  if (!m || !text.includes(m[2]!)) return message
  const head = message.slice(0, message.length - m[2]!.length).replace(/:?\s*$/, "")
  return `${head} (the text there is not shown: it may be a secret)`
}

/** The key of a YAML pair on a visit path, when it is a plain scalar. */
function pairKey(node: unknown): unknown {
  const key = (node as { key?: unknown } | undefined)?.key
  return typeof key === "object" && key !== null && "value" in key ? (key as { value: unknown }).value : undefined
}

/**
 * A server's env value written as a number that YAML reads as another text (`ZIP: 01234` is 1234,
 * `MASK: 0x1F` is 31, `N: 1e3` is 1000) keeps the text written: an env value is text, and a whole
 * number is taken as its text only where that is the same (`PORT: 8080`). Values elsewhere (pool
 * sizes, byte limits) stay numbers.
 */
function keepEnvNumberText(doc: Document): void {
  const { visit } = yaml()
  visit(doc, {
    Scalar(key, node, path) {
      if (key !== "value" || typeof node.value !== "number" || node.source === undefined) return
      // Document, Map, Pair(servers), Map, Pair(NAME), Map, Pair(env), Map, Pair(VAR)
      if (path.length !== 9 || pairKey(path[6]) !== "env" || !["servers", "mcpServers"].includes(String(pairKey(path[2])))) return
      if (node.source !== String(node.value)) node.value = node.source
    },
  })
}

export function parseConfigText(text: string, path: string): FileLayer {
  // nested beyond any config, refused before a parser or a line scanner walks it (config/depth)
  const deep = flowTooDeep(text, MAX_CONFIG_DEPTH, isJsoncPath(path))
  if (deep !== undefined) throw tooDeep(`${path}:${deep}`)
  if (isJsoncPath(path)) return parseJsoncText(text, path)
  // plain JSON with a mapping at the top and no duplicate key never loads the YAML parser; anything
  // else (YAML, a JSON error to report, a duplicate key) is read by it as before
  const json = readJson(text)
  if (json && !json.duplicate && typeof json.values === "object" && json.values !== null && !Array.isArray(json.values)) {
    return { path, values: json.values as Record<string, unknown>, lineOf: json.lineOf, empty: false }
  }
  const { LineCounter, parseDocument } = yaml()
  const lc = new LineCounter()
  // merge keys (`<<: *base`, as docker-compose files use them) merge, as their writer means
  // duplicate keys are found after the parse (duplicateKeys: linear); `resolveKnownTags: false`: a
  // YAML 1.1 tag (`!!binary`, `!!set`, `!!omap`, `!!timestamp`) would give bytes, a Set or a Date
  // where a config holds text, lists and mappings: it is an unknown tag below, said with its line
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true, resolveKnownTags: false })
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((err) => {
      const line = err.linePos?.[0]?.line ?? (err.pos ? lc.linePos(err.pos[0]).line : undefined)
      return `${path}${line ? `:${line}` : ""}: not valid YAML/JSON: ${yamlMessage(err.code, err.message, text)}${quoteHint(err.code, text, err.pos?.[0])}`
    })
    throw new ConfigError(problems, { remedy: "Fix the syntax; the file may be YAML or JSON." })
  }
  const duplicates = duplicateKeys(doc, lc)
  if (duplicates.length) {
    throw new ConfigError(
      duplicates.map((d) => `${d.path.join(".")} (${path}:${d.line}): duplicate key; it is already set on line ${d.firstLine}`),
      { remedy: "Keep one of the two keys (a YAML mapping takes each key once)." },
    )
  }
  // a tag the YAML parser does not know (`!env NAME`, `!secret x`) would leave its text as a plain
  // string, silently: said instead, with the form that does what it meant
  const tags = doc.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED")
  if (tags.length) {
    throw new ConfigError(
      tags.map((w) => {
        const line = lc.linePos(w.pos[0]).line
        const tag = text.slice(w.pos[0], w.pos[1]).trim() || "tag"
        return tag.startsWith("!!")
          ? `${path}:${line}: unsupported YAML tag ${tag}; a config holds only text, numbers, true/false, lists and mappings`
          : `${path}:${line}: unknown YAML tag ${tag}; the value after it would be read as plain text`
      }),
      { remedy: "Remove the tag; for an environment variable write ${env:NAME} (or ${NAME}) in a server's command, args, env, url or headers." },
    )
  }
  keepEnvNumberText(doc)
  let values: unknown
  try {
    values = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    // yaml throws a ReferenceError when aliases expand beyond maxAliasCount (a "billion laughs").
    const unresolved = unresolvedAliasLine(doc, lc)
    if (unresolved !== undefined) {
      throw new ConfigError([`${path}:${unresolved}: a value that starts with * is a YAML alias (*name), and no anchor &name is set before it`], {
        remedy: 'Quote the value if it is text (a password or token may start with *: write "*…"), or set the anchor (&name) before the alias.',
      })
    }
    const line = firstAliasLine(doc, lc) ?? 1
    throw new ConfigError([`${path}:${line}: YAML aliases expand too much (${(e as Error).message}); a config needs at most ${MAX_ALIAS_COUNT} alias expansions`], {
      remedy: "Write the values out instead of nesting anchors and aliases (&name / *name).",
    })
  }
  const empty = values === null || values === undefined
  if (!empty) topLevelMapping(values, path)
  // block-style YAML nests by indentation, which the text scan does not count
  if (nestsDeeperThan(values, MAX_CONFIG_DEPTH)) throw tooDeep(path)
  return { path, values: empty ? {} : (values as Record<string, unknown>), lineOf: (p) => lineOf(doc, lc, p), empty }
}

function tooDeep(where: string): ConfigError {
  return new ConfigError([`${where}: lists and mappings nested more than ${MAX_CONFIG_DEPTH} levels deep; a config nests a few (servers.<name>.headers.<name>)`], {
    remedy: "This is not a config file as written (a generated or pasted document?): write the servers and settings out as docs/config.md shows.",
  })
}

/** `.json` / `.jsonc`: comments and trailing commas allowed; errors name file:line:column. */
function parseJsoncText(text: string, path: string): FileLayer {
  const r = readJsonc(text.replace(/^\uFEFF/, ""))
  if ("errors" in r) {
    throw new ConfigError(
      r.errors.map((e) => `${path}:${e.line}:${e.column}: not valid JSON: ${e.message}`),
      { remedy: "Fix the JSON at the position named; // and /* */ comments and trailing commas are allowed in a .json or .jsonc config (the file is not read as YAML)." },
    )
  }
  if (r.duplicate) {
    const d = r.duplicate
    throw new ConfigError([`${d.path.join(".")} (${path}:${d.line}): duplicate key; it is already set on line ${d.firstLine}`], { remedy: "Keep one of the two keys." })
  }
  const empty = r.values === undefined || r.values === null
  if (!empty) topLevelMapping(r.values, path)
  return { path, values: empty ? {} : (r.values as Record<string, unknown>), lineOf: r.lineOf, empty }
}

function topLevelMapping(values: unknown, path: string): void {
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new ConfigError([`${path}:1: expected a mapping at the top level, got ${Array.isArray(values) ? "a list" : typeof values}`])
  }
}

/**
 * Every key set twice in one mapping, in document order: its key path, its line and the line of its
 * first occurrence. One pass with a map per mapping: the parser's own check (`uniqueKeys`) compares
 * each key with all before it, and a mapping of some ten thousand keys took minutes (a pasted env
 * dump, a hostile file), while SIGTERM waited.
 */
function duplicateKeys(doc: Document, lc: LineCounter): Array<{ path: string[]; line: number; firstLine: number }> {
  const { isMap, isSeq, isScalar } = yaml()
  const found: Array<{ path: string[]; line: number; firstLine: number }> = []
  const walk = (node: unknown, path: string[]): void => {
    if (isMap(node)) {
      const first = new Map<unknown, number>()
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        if (isScalar(pair.key)) {
          const line = rangeLine(pair.key, lc) ?? 1
          const seen = first.get(pair.key.value)
          if (seen === undefined) first.set(pair.key.value, line)
          else found.push({ path: [...path, name], line, firstLine: seen })
        }
        walk(pair.value, [...path, name])
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, String(i)]))
    }
  }
  walk(doc.contents, [])
  return found
}

/** The line of the first alias whose anchor is not set before it (YAML reads `*x` unquoted as one). */
function unresolvedAliasLine(doc: Document, lc: LineCounter): number | undefined {
  const { visit } = yaml()
  const anchors = new Set<string>()
  let line: number | undefined
  visit(doc, (_k, node) => {
    if (typeof node !== "object" || node === null) return
    const n = node as { anchor?: string; source?: string }
    if ("anchor" in n && typeof n.anchor === "string") anchors.add(n.anchor)
    if (yaml().isAlias(node) && !anchors.has(String(n.source))) {
      line = rangeLine(node, lc)
      return visit.BREAK
    }
  })
  return line
}

function firstAliasLine(doc: Document, lc: LineCounter): number | undefined {
  const { visit } = yaml()
  let line: number | undefined
  visit(doc, {
    Alias(_k, node) {
      line = rangeLine(node, lc)
      return visit.BREAK
    },
  })
  return line
}

function lineOf(doc: Document, lc: LineCounter, path: readonly (string | number)[]): number | undefined {
  const { isMap, isScalar, isSeq } = yaml()
  let node: unknown = doc.contents
  let line: number | undefined = rangeLine(node, lc)
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? String(it.key.value) : String(it.key)) === String(key))
      if (!pair) break
      line = rangeLine(pair.key, lc) ?? line
      node = pair.value
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key]
      line = rangeLine(node, lc) ?? line
    } else break
  }
  return line
}

function rangeLine(node: unknown, lc: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range ? lc.linePos(range[0]).line : undefined
}
