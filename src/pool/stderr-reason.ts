/**
 * @module pool/stderr-reason
 * What a stdio server that failed to start said about why, from its stderr: the lines a person
 * would read, not the last five whatever they are. Real servers bury the reason: Node's uncaught
 * exception ends with the source line, a caret, nine stack frames and "Node.js v20" (the
 * `@stripe/mcp` "Stripe API key not provided" was cut off that way), a CLI prints its error and
 * then sixty lines of usage (`@sentry/mcp-server`: "No access token was provided" came before
 * the examples shown), others colour their output with ANSI escapes. So: escapes and control
 * characters removed, stack frames, Node's source excerpt and version footer dropped, repeated
 * lines kept once, each line bounded; when more than `max` lines remain, the first line that reads
 * like a reason (an error, something required, missing, not set…) with the two after it, then the
 * last lines. Also: the environment variables the reason names that the child did not get
 * (`missingEnvHint`): a server gets a minimal environment plus its `env`, not ours, so a token
 * exported in the shell that started the orchestrator never reaches it.
 */
import { cutText, stripAnsi } from "../core/index.ts"

/** Control characters but tab (after the escape sequences they begin: core/ansi). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * Lines that never say why: a stack frame (JavaScript `    at f (file:1:2)`, Python `  File "x.py",
 * line 3` and its `Traceback` head, Go's `\t/path/main.go:12 +0x1d`), Node's version footer, a
 * caret line, Node's and npm's warnings (`(node:123) [DEP0040] DeprecationWarning: … Please use…`,
 * `npm warn deprecated …`), which come before the reason and would be taken for it; a closing bracket
 * alone (`}` ending Node's print of an error with properties or a `[cause]`: its frames dropped, it
 * stood alone among the reason's lines, as `mcp-remote`'s "fetch failed" showed).
 */
const NOISE = /^\s*[}\])]+[;,]?\s*$|^\s+at\s|^\s+File "|^Traceback \(most recent call last\)|^\t\S+\.go:\d+|^Node\.js v\d|^\s*\^+\s*$|^\(node:\d+\) (?:\[\w+\] )?\w*Warning:|^\(Use `node --trace-|^npm (?:warn|WARN|notice)\b/
/** Python's traceback: the source line under a `  File "…"` frame (indented deeper). */
const PY_FRAME = /^(\s+)File "/
/** Node's location line above the source excerpt of an uncaught exception (`/path/cli.js:34`). */
const LOCATION = /^(?:file:\/\/)?[^\s:]*[/\\][^\s]*:\d+$/
/** A line that reads like the reason a start failed. */
const REASON = /\b(?:error|fatal|exception|panic|required|not set|not provided|not found|missing|must|cannot|can't|could not|couldn't|unable|failed|denied|refused|invalid|no such|please)\b/i

const MAX_LINE = 300

function clean(line: string): string {
  const s = stripAnsi(line).replace(CONTROLS, "").trimEnd()
  return s.length > MAX_LINE ? `${cutText(s, MAX_LINE)}…` : s
}

/** The lines of `text` worth reading, in order (see the module comment). */
export function readableLines(text: string): string[] {
  const raw = text.split(/\r?\n|\r/).map(clean)
  const out: string[] = []
  const seen = new Set<string>()
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!
    if (line.trim() === "") continue
    if (NOISE.test(line)) {
      // a Python frame's source line goes with it
      const frame = PY_FRAME.exec(line)
      const next = raw[i + 1]
      if (frame && next !== undefined && /^\s*/.exec(next)![0].length > frame[1]!.length) i++
      continue
    }
    // Node's uncaught exception: location, source excerpt, caret: all three go
    if (LOCATION.test(line.trim()) && i + 2 < raw.length && /^\s*\^+\s*$/.test(raw[i + 2]!)) {
      i += 2
      continue
    }
    // "Error: X" after "X" (or the other way round) says it once
    const key = line.trim().replace(/^(?:[A-Za-z]*Error|Fatal|Exception):\s*/, "")
    if (seen.has(key)) continue
    seen.add(key)
    out.push(line)
  }
  return out
}

/** How much of a server's stderr tail is read for its reason (the ring keeps 64 KiB): a failed start's, a lost server's. */
export const STDERR_REASON_BYTES = 16 * 1024

/** At most `max` lines (plus a "…" marker) of a failed start's stderr, the reason among them when it has one. */
export function stderrReason(text: string, max = 5): string {
  const lines = readableLines(text)
  if (lines.length <= max) return lines.join("\n")
  const at = lines.findIndex((l) => REASON.test(l))
  const tail = max - 3
  // no reason found, or it is among the last lines anyway: the last lines
  if (at < 0 || at >= lines.length - max) return lines.slice(-max).join("\n")
  const head = lines.slice(at, at + 3)
  const rest = lines.slice(Math.max(at + 3, lines.length - tail))
  const skipped = lines.length - rest.length - (at + 3)
  return [...head, ...(skipped > 0 ? [`… (${skipped} more lines)`] : []), ...rest].join("\n")
}

/** An environment variable's name as servers print them: upper case with an underscore (`BRAVE_API_KEY`). */
const ENV_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b/g
/** Variables a runtime's own diagnostics name (`run with RUST_BACKTRACE=1 …`): never what a server lacks. */
const DIAGNOSTIC_VARS = new Set(["RUST_BACKTRACE", "RUST_LIB_BACKTRACE", "RUST_LOG", "NODE_OPTIONS", "NODE_DEBUG", "NODE_NO_WARNINGS", "GOTRACEBACK", "PYTHONWARNINGS", "PYTHONTRACEMALLOC"])
/** A line about the environment: the names in it are variables to set. */
const ENV_TALK = /\benv(?:ironment)?\b|\bvariables?\b|\bset\b|\brequired\b|\bmissing\b|\bprovided?\b|\bpass\b|\bnot found\b|\bundefined\b/i

export interface EnvHint {
  /** One sentence for the error's text. */
  text: string
  /** What to do. */
  remedy: string
}

/**
 * The variables `reason` asks for that `childEnv` (what the child got) lacks, worded for server
 * `server`: set in our own environment (`ours`), they are to be passed through its `env`; unset,
 * to be given. Undefined when the reason names none (or the child had them all).
 */
export function missingEnvHint(reason: string, server: string, childEnv: Readonly<Record<string, string>>, ours: Readonly<Record<string, string | undefined>> = process.env): EnvHint | undefined {
  // "either A or B is required", "via A, --flag, or B": any one of them will do (QA: brave-search-mcp-server,
  // figma-developer-mcp; "Set them" with both in the example asked for a second, useless secret)
  for (const line of reason.split("\n")) {
    if (!ENV_TALK.test(line)) continue
    const one = alternatives(line)
    if (one === undefined) continue
    // one of them reached the child: the reason is something else
    if (one.some((n) => childEnv[n] !== undefined)) return undefined
    return oneOfHint(one, server, ours)
  }
  const names: string[] = []
  for (const line of reason.split("\n")) {
    if (!ENV_TALK.test(line)) continue
    for (const m of line.matchAll(ENV_NAME)) {
      const name = m[0]
      if (childEnv[name] !== undefined || names.includes(name) || DIAGNOSTIC_VARS.has(name)) continue
      names.push(name)
      if (names.length === 3) break
    }
    if (names.length === 3) break
  }
  if (names.length === 0) return undefined
  const inOurs = names.filter((n) => ours[n] !== undefined && ours[n] !== "")
  const them = (ns: string[]): string => ns.join(", ")
  const entries = names.map((n) => `${n}: "\${env:${n}}"`).join(", ")
  if (inOurs.length === names.length) {
    return {
      text: `${them(names)} ${names.length === 1 ? "is" : "are"} set in mcp-orchestrator's environment, but a server gets only a minimal environment (PATH, HOME, …) and its own env, not ours`,
      remedy: `Pass ${names.length === 1 ? "it" : "them"} in servers.${server}.env: { ${entries} } (a change to the config file restarts the server).`,
    }
  }
  return {
    text: `${them(names)} ${names.length === 1 ? "is" : "are"} not set for server ${server}`,
    remedy: `Set ${names.length === 1 ? "it" : "them"} in servers.${server}.env (or an envFile), e.g. env: { ${entries} } with ${names.length === 1 ? "it" : "them"} exported where mcp-orchestrator starts, or the value written there (a change to the config file restarts the server).`,
  }
}

/**
 * The variable names of `line` when it offers them as alternatives: two or more, the last joined by
 * "or" (or "/"), none by "and" ("set A and B" needs both), e.g. "Either A or B is required", "a key is
 * required via --key, A, --key-file, or B".
 */
function alternatives(line: string): string[] | undefined {
  const found = [...line.matchAll(ENV_NAME)].filter((m) => !DIAGNOSTIC_VARS.has(m[0]))
  if (found.length < 2 || found.length > 6) return undefined
  const gaps = found.slice(1).map((m, i) => line.slice(found[i]!.index! + found[i]![0].length, m.index))
  if (gaps.some((g) => /\band\b|&/i.test(g))) return undefined
  if (!/\bor\b|\//i.test(gaps[gaps.length - 1]!)) return undefined
  return [...new Set(found.map((m) => m[0]))]
}

/** The hint for alternatives none of which the child got: set one (the one in our environment, if any, passed through). */
function oneOfHint(names: string[], server: string, ours: Readonly<Record<string, string | undefined>>): EnvHint {
  const inOurs = names.find((n) => ours[n] !== undefined && ours[n] !== "")
  const list = names.join(", ")
  if (inOurs !== undefined) {
    return {
      text: `none of ${list} (it needs one of them) is set for server ${server}; ${inOurs} is set in mcp-orchestrator's environment, but a server gets only a minimal environment (PATH, HOME, …) and its own env, not ours`,
      remedy: `Pass it in servers.${server}.env: { ${inOurs}: "\${env:${inOurs}}" } (a change to the config file restarts the server).`,
    }
  }
  const first = names[0]!
  return {
    text: `none of ${list} is set for server ${server} (it needs one of them, not all)`,
    remedy: `Set one of them in servers.${server}.env (or an envFile), e.g. env: { ${first}: "\${env:${first}}" } with it exported where mcp-orchestrator starts, or the value written there (a change to the config file restarts the server).`,
  }
}
