/**
 * @module core/descendants
 * Finds every process this one started, however far it went. Each child is started with
 * `MCPO_OWNER` holding this process's private token (after the tokens of the orchestrators above
 * it, when nested); whatever it starts inherits it, also a helper that left its process group and
 * session (`setsid`, a double-forked daemon re-parented to init), which a group kill misses.
 * The sweep reads /proc (Linux): among the processes started since this one, those whose
 * environment carries the token, or whose parent chain leads to one of our children. Nothing is
 * read before the first child was started (no token given out: nothing to find); without /proc
 * (other systems) it finds nothing. A process that holds one of our children's stdin, stdout or
 * stderr (their ends as the child got them, noted at its start: `noteStdio`) is ours too, also one
 * started with a scrubbed environment (`env -i`) whose parent is gone: a helper that kept the
 * server's output open. What descends from a child is found by its parent links only while they
 * hold (`kinOf`, read before the child is told to end). Not found: a process with a scrubbed
 * environment that left its parent before that and closed the stdio it inherited.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs"
import { isAdopted } from "./subreaper.ts"

export const OWNER_VAR = "MCPO_OWNER"
/** Tokens of the orchestrators above this one kept in a child's mark, at most (a nesting is short). */
const MAX_INHERITED = 8
/** Our token, or one child's (`mcpo-<uuid>.7`: the token with the child's number). */
const TOKEN_SHAPE = /^mcpo-[0-9a-f-]{36}(?:\.\d{1,15})?$/

let token: string | undefined
let children = 0

/**
 * The mark a child's environment gets: the inherited tokens (well-formed ones only) and ours, made
 * on first use; `child` (childToken) in place of ours marks that child's processes apart, and
 * still starts with our token (what the sweep and the watchdog look for).
 */
export function ownerMark(inherited: string | undefined = process.env[OWNER_VAR], child?: string): string {
  ownToken()
  const above = (inherited ?? "").split(" ").filter((t) => TOKEN_SHAPE.test(t) && t !== token && !t.startsWith(`${token}.`))
  return [...above.slice(-MAX_INHERITED), child ?? token].join(" ")
}

/** A token for one child (our token and its number), for `withOwnerMark` and `carriersOf`. */
export function childToken(): string {
  return `${ownToken()}.${++children}`
}

/** This process's own token (made on first use): what every child's mark ends with. */
export function ownToken(): string {
  token ??= `mcpo-${crypto.randomUUID()}`
  return token
}

/** `env` plus this process's mark (`child`: that child's own token in place of ours). */
export function withOwnerMark(env: Record<string, string>, child?: string): Record<string, string> {
  return { ...env, [OWNER_VAR]: ownerMark(undefined, child) }
}

/**
 * Our children's ends of their stdio pipes/sockets (`socket:[N]`, `pipe:[N]`, as /proc/<pid>/fd
 * shows them), oldest first; kept after the child is gone (a helper that inherited them may still
 * hold them), at most `MAX_ENDS`.
 */
const stdioEnds = new Set<string>()
const MAX_ENDS = 3000

/**
 * Notes the stdio ends of a child just started (read from /proc while it runs; a child that is
 * already gone has no helper holding them yet to find). Linux only; nothing else.
 */
export function noteStdio(pid: number): string[] {
  const noted: string[] = []
  if (process.platform !== "linux") return noted
  for (const fd of [0, 1, 2]) {
    let end: string
    try {
      end = readlinkSync(`/proc/${pid}/fd/${fd}`)
    } catch {
      continue
    }
    // ours to the child alone: not a stdio it shares with us (an inherited one is the client's pipe)
    if ((!end.startsWith("socket:[") && !end.startsWith("pipe:[")) || ownStdio().has(end)) continue
    noted.push(end)
    stdioEnds.delete(end)
    stdioEnds.add(end)
    if (stdioEnds.size > MAX_ENDS) stdioEnds.delete(stdioEnds.values().next().value!)
  }
  return noted
}

let own: Set<string> | undefined

/** This process's own stdin, stdout and stderr ends. */
function ownStdio(): Set<string> {
  if (own) return own
  own = new Set()
  for (const fd of [0, 1, 2]) {
    try {
      own.add(readlinkSync(`/proc/self/fd/${fd}`))
    } catch {
      // closed
    }
  }
  return own
}

interface Stat {
  state: string
  ppid: number
  /** Start time, clock ticks since boot. */
  start: number
}

function statOf(pid: number | "self"): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "latin1")
    // the command name (field 2) may hold spaces and parentheses: the fields after its last ")"
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ")
    return { state: f[0]!, ppid: Number(f[1]), start: Number(f[19]) }
  } catch {
    return undefined
  }
}

let ownStart: number | undefined

/** Is `pid` running (not gone, not a zombie)? */
export function running(pid: number): boolean {
  const s = statOf(pid)
  return s !== undefined && s.state !== "Z" && s.state !== "X"
}

/**
 * Live processes (this one excluded) that carry our mark, descend from one of `roots` (our
 * children) or hold a child's stdio end. Synchronous; [] before any child was started, or without /proc.
 */
export function ownedProcesses(roots: ReadonlySet<number>): number[] {
  if (token === undefined || process.platform !== "linux") return []
  ownStart ??= statOf("self")?.start
  if (ownStart === undefined) return []
  // parents of the processes started since this one (nothing older can be ours)
  const live = liveSince(ownStart)
  // what was re-parented to us (a subreaper: core/subreaper) descends from one of our children
  // whose parent died: ours, with all it started
  const all = new Set(roots)
  for (const [pid, s] of live) if (isAdopted(pid, s.ppid)) all.add(pid)
  const mark = Buffer.from(token, "latin1")
  const out: number[] = []
  for (const pid of live.keys()) if (descends(pid, live, all) || carries(pid, mark) || holdsStdio(pid)) out.push(pid)
  return out
}

/**
 * Live processes (not one of `roots`) started since `since` that descend from one of `roots` (our
 * children), each with its start time and the root it descends from: what a child started, also
 * with a scrubbed environment and in a session of its own, found while the parent links still hold
 * (before the child is signalled: once it is gone they lead to init). One /proc pass for all;
 * synchronous; empty without /proc.
 */
export function kinOf(roots: ReadonlySet<number>, since: number): Map<number, { start: number; root: number }> {
  const out = new Map<number, { start: number; root: number }>()
  if (roots.size === 0 || process.platform !== "linux") return out
  const live = liveSince(since)
  for (const [pid, s] of live) {
    if (roots.has(pid)) continue
    let p: number | undefined = s.ppid
    for (let hops = 0; p !== undefined && hops < 64 && !roots.has(p); hops++) p = live.get(p)?.ppid
    if (p !== undefined && roots.has(p)) out.set(pid, { start: s.start, root: p })
  }
  return out
}

/**
 * Live processes (this one excluded) started since `since` (clock ticks since boot, a child's own
 * start: what inherited its stdio can only be younger) that hold one of `ends`: what a child left
 * holding its stdin, stdout or stderr, outside its process group too. Synchronous; [] without /proc.
 */
export function holdersOf(ends: readonly string[], since: number): number[] {
  if (ends.length === 0 || process.platform !== "linux") return []
  const wanted = new Set(ends)
  return [...liveSince(since).keys()].filter((pid) => holdsStdio(pid, wanted))
}

/** Live processes (not this one, no zombies) started at `since` or later, with their stat; empty without /proc. */
function liveSince(since: number): Map<number, Stat> {
  const parent = new Map<number, Stat>()
  let names: string[]
  try {
    names = readdirSync("/proc")
  } catch {
    return parent
  }
  for (const name of names) {
    const c = name.charCodeAt(0)
    if (c < 48 || c > 57) continue
    const pid = Number(name)
    if (pid === process.pid) continue
    const s = statOf(pid)
    if (s === undefined || s.state === "Z" || s.state === "X" || s.start < since) continue
    parent.set(pid, s)
  }
  return parent
}

/**
 * Live processes (this one excluded) started since `since` whose environment carries the child
 * token `child` (childToken): what that child started, wherever it went (its own session, stdio
 * closed), also a process that closed what it inherited. Synchronous; [] without /proc.
 */
export function carriersOf(child: string, since: number): number[] {
  if (process.platform !== "linux") return []
  // the token ends the mark (NUL) or is followed by a nested orchestrator's (space): `…​.1` is not `…​.10`
  const ends = [Buffer.from(`${child}\0`, "latin1"), Buffer.from(`${child} `, "latin1")]
  return [...liveSince(since).keys()].filter((pid) => ends.some((e) => carries(pid, e)))
}

/** When `pid` started (clock ticks since boot), undefined once it is gone or without /proc. */
export function startedAt(pid: number): number | undefined {
  return process.platform === "linux" ? statOf(pid)?.start : undefined
}

/** `pid` holds one of `ends` (our children's stdio ends: it inherited them, a helper of the child's). Unreadable: not ours. */
function holdsStdio(pid: number, ends: ReadonlySet<string> = stdioEnds): boolean {
  if (ends.size === 0) return false
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return false
  }
  for (const fd of fds) {
    try {
      if (ends.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true
    } catch {
      // closed meanwhile
    }
  }
  return false
}

/** `pid` or one of its ancestors (among the processes started since this one) is in `roots`. */
function descends(pid: number, live: ReadonlyMap<number, Stat>, roots: ReadonlySet<number>): boolean {
  let p: number | undefined = pid
  for (let hops = 0; p !== undefined && hops < 64; hops++) {
    if (roots.has(p)) return true
    p = live.get(p)?.ppid
  }
  return false
}

/** The environment `pid` was started with holds `mark` (unreadable: another user's, so not ours). */
function carries(pid: number, mark: Buffer): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(mark)
  } catch {
    return false
  }
}
