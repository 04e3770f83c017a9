/**
 * @module core/subreaper
 * `serve` makes itself a child subreaper (Linux, `prctl(PR_SET_CHILD_SUBREAPER)` through bun:ffi):
 * a process whose parent dies anywhere below us is re-parented to us, not to init. Before, a helper
 * a server started in a session of its own with a scrubbed environment and its stdio closed
 * (`env -i setsid …` from a shell that then exited, a double-forked daemon) was known by nothing
 * once its parent was gone, and outlived the orchestrator. Now its parent link leads to us: the
 * shutdown sweep (core/descendants) ends it and what it started, and the watchdog (core/reaper)
 * is told of it (for our own SIGKILL). Each adopted process is attributed, when first seen, to the
 * server (`noteRoot`) whose tree it came from when that is certain (`attribute`), so that it ends
 * with that server's exit (core/children `signalHolders`, `adoptedOf`), not only with ours.
 *
 * Bun reaps only the children it spawned (it waits on their pids), so an adopted process that
 * exits would stay a zombie: a poll (unref'd; every ADOPT_POLL_MS, ADOPT_POLL_FAST_MS where the
 * kernel lists a process's children, which costs next to nothing) reaps those with
 * `waitpid(pid, WNOHANG)`, only for a pid that is not one we spawned (`noteSpawned`) and that has
 * been a zombie for a second (Bun reaps its own at once: never its exit status stolen).
 * Where ffi, libc or prctl is not there (another OS, a kernel refusing it), one debug line and
 * nothing else changes.
 */
import { readdirSync, readFileSync } from "node:fs"

/** PR_SET_CHILD_SUBREAPER (linux/prctl.h). */
const PR_SET_CHILD_SUBREAPER = 36
/** WNOHANG (sys/wait.h). */
const WNOHANG = 1
/** How often adopted processes are looked for (reaped once gone, told to the watchdog while they run): every pid's stat is read. */
export const ADOPT_POLL_MS = 2000
/**
 * Likewise where /proc/self/task/<tid>/children lists our children (CONFIG_PROC_CHILDREN, as on
 * the usual distribution kernels): a few small reads, so often enough that our own SIGKILL right
 * after a helper was orphaned still leaves the watchdog told of it.
 */
export const ADOPT_POLL_FAST_MS = 250

type Waitpid = (pid: number) => number

let waitpid: Waitpid | undefined
let subreaping = false
let poll: ReturnType<typeof setTimeout> | undefined
/** Pids we spawned ourselves (Bun waits on them): never reaped here, never "adopted". */
const spawned = new Set<number>()
/**
 * The spawned processes whose adopted orphans are attributed to them (`noteRoot`: the stdio
 * servers), with their start time (clock ticks since boot) once known.
 */
const roots = new Map<number, number | undefined>()
/**
 * Adopted processes attributed to the root (a registered child) whose tree they came from, taken at
 * the look that first saw them (their parent links are gone by then): the orphans of a root that
 * died since the previous look, or of an attributed adopted process that died (its own children),
 * or, when nothing died, of the one root that could have started them. Ambiguous: not attributed
 * (swept only at our exit). Keyed by pid, with its start time (a reused pid is not it).
 */
const owned = new Map<number, { start: number; root: number }>()
const MAX_OWNED = 3000
/** Adopted zombies seen at the last poll, with when each was first seen (reaped once ZOMBIE_AGE_MS old). */
let zombies = new Map<number, number>()
/**
 * A zombie child not noted as spawned is reaped only once it stayed one this long: Bun reaps its
 * own children within a turn of its event loop, so even one that was not noted (a bug) keeps its
 * exit status.
 */
const ZOMBIE_AGE_MS = 1000
/** Adopted processes already reported (`pid:start`). */
const told = new Set<string>()
const MAX_TOLD = 3000
let onAdopted: ((pid: number, start: number) => void) | undefined

/** A process we spawned (Bun.spawn): not an adopted one. Call right after the spawn. */
export function noteSpawned(pid: number | undefined): void {
  if (pid !== undefined && pid > 0) spawned.add(pid)
}

/**
 * A spawned child whose adopted orphans are to be attributed to it (`adoptedOf`): a downstream
 * server, ended with its tree when it ends. Call right after the spawn (`noteSpawned` too).
 */
export function noteRoot(pid: number | undefined, start: number | undefined): void {
  if (pid !== undefined && pid > 0) roots.set(pid, start)
}

/**
 * The adopted processes attributed to the root `pid` (`noteRoot`) still running (pid and start:
 * signal only one whose start still matches). Looks first (synchronous): a root that just died
 * left its orphans with us this instant, before the next poll.
 */
export function adoptedOf(pid: number): { pid: number; start: number }[] {
  if (!subreaping) return []
  lookForAdopted()
  const out: { pid: number; start: number }[] = []
  for (const [p, o] of owned) if (o.root === pid) out.push({ pid: p, start: o.start })
  return out
}

/** Was this process made a child subreaper? */
export function isSubreaper(): boolean {
  return subreaping
}

/** `pid` is a child of ours we did not spawn (a process re-parented to us as subreaper). */
export function isAdopted(pid: number, ppid: number): boolean {
  return subreaping && ppid === process.pid && !spawned.has(pid)
}

/** Called for each adopted process still running, once (core/reaper tells the watchdog). */
export function whenAdopted(fn: (pid: number, start: number) => void): void {
  onAdopted = fn
}

/**
 * Makes this process a child subreaper and starts the adoption poll. Linux only; `debug` says
 * once why not, elsewhere or where it cannot be had. Returns whether it is one.
 */
export async function becomeSubreaper(debug: (message: string, fields?: Record<string, unknown>) => void): Promise<boolean> {
  if (subreaping) return true
  if (process.platform !== "linux") return false
  let ffi: typeof import("bun:ffi")
  try {
    ffi = await import("bun:ffi")
  } catch (e) {
    debug("not a child subreaper: no ffi in this runtime", { error: String(e) })
    return false
  }
  for (const name of ["libc.so.6", `libc.musl-${process.arch === "arm64" ? "aarch64" : "x86_64"}.so.1`, "libc.so"]) {
    let lib
    try {
      lib = ffi.dlopen(name, {
        prctl: { args: ["i32", "u64", "u64", "u64", "u64"], returns: "i32" },
        waitpid: { args: ["i32", "ptr", "i32"], returns: "i32" },
      })
    } catch {
      continue
    }
    if (lib.symbols.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) !== 0) {
      debug("not a child subreaper: prctl(PR_SET_CHILD_SUBREAPER) refused", { libc: name })
      return false
    }
    const status = new Int32Array(1)
    const at = ffi.ptr(status)
    waitpid = (pid) => lib.symbols.waitpid(pid, at, WNOHANG)
    subreaping = true
    const next = (): void => {
      if (childrenFiles === undefined || !leaderChildrenUnchanged()) lookForAdopted()
      poll = setTimeout(next, childrenFiles ? ADOPT_POLL_FAST_MS : ADOPT_POLL_MS)
      poll.unref()
    }
    poll = setTimeout(next, ADOPT_POLL_FAST_MS)
    poll.unref()
    return true
  }
  debug("not a child subreaper: no libc found to call prctl")
  return false
}

/**
 * Our children as /proc says (state, start), the spawned ones left out (and forgotten once gone:
 * Bun reaped them, their pids may be reused); `died` gets the roots (`noteRoot`) gone or dead
 * since the last look: what was adopted meanwhile may be their orphans.
 */
function adoptedNow(died?: Map<number, number | undefined>): { pid: number; state: string; start: number }[] {
  const present = new Set<number>()
  const out: { pid: number; state: string; start: number }[] = []
  const names = childrenListed() ?? allPids()
  for (const name of names) {
    const pid = Number(name)
    try {
      const s = readFileSync(`/proc/${name}/stat`, "latin1")
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ")
      if (Number(f[1]) !== process.pid) continue
      if (spawned.has(pid)) {
        present.add(pid)
        if (f[0] === "Z" || f[0] === "X") otherDied = true
        if (roots.has(pid)) {
          if (f[0] === "Z" || f[0] === "X") died?.set(pid, roots.get(pid))
          else if (roots.get(pid) === undefined) roots.set(pid, Number(f[19]))
        }
      } else out.push({ pid, state: f[0]!, start: Number(f[19]) })
    } catch {
      // gone meanwhile
    }
  }
  // synchronous, like every spawn: a child spawned since the readdir cannot be missing here
  for (const pid of spawned) {
    if (present.has(pid)) continue
    spawned.delete(pid)
    otherDied = true
    if (roots.has(pid)) died?.set(pid, roots.get(pid))
    roots.delete(pid)
  }
  return out
}

/** A spawned process (a root or not) died since the last look: a new orphan may be its, so none is given to a live root on the guess that only one could have started it. */
let otherDied = false

/** Our children as the kernel lists them per thread (`CONFIG_PROC_CHILDREN`), else undefined (then every pid is read). */
function childrenListed(): string[] | undefined {
  if (childrenFiles === false) return undefined
  try {
    const out: string[] = []
    for (const tid of readdirSync("/proc/self/task")) out.push(...readFileSync(`/proc/self/task/${tid}/children`, "latin1").split(" ").filter(Boolean))
    childrenFiles = true
    return out
  } catch {
    // missing on this kernel (or a thread ended meanwhile: read every pid this once)
    childrenFiles ??= false
    return undefined
  }
}

/** Whether /proc/self/task/<tid>/children can be read (undefined: not tried yet). */
let childrenFiles: boolean | undefined

/** Our main thread's children file, and its text at the last full look (undefined: read it again). */
const LEADER_CHILDREN = `/proc/self/task/${process.pid}/children`
let leaderText: string | undefined
/** Whether that text held a pid we did not spawn (an adopted process: looked at every time, for its zombie age). */
let leaderForeign = true

/**
 * The quick look between full ones (issue 15, idle RSS): the kernel hands an orphan to the
 * subreaper's first live thread, our main thread, so the main thread's children file changes when
 * a process is adopted (and when we spawn or lose a child). While it reads as at the last full look
 * and held no adopted pid then, there is nothing to do: one small read, no per-thread listing and
 * no /proc/<pid>/stat. Before, every 250 ms did the full look, and once the start's JIT policy
 * ended (core/jit) compiling it cost ~2.7 MiB of idle RSS (`bench idle`: floor + 26 → + 23.5).
 */
function leaderChildrenUnchanged(): boolean {
  let text: string
  try {
    text = readFileSync(LEADER_CHILDREN, "latin1")
  } catch {
    return false
  }
  if (text === leaderText && !leaderForeign) return true
  leaderText = text
  leaderForeign = false
  for (const name of text.split(" ")) if (name !== "" && !spawned.has(Number(name))) leaderForeign = true
  return false
}

/** Every pid in /proc (names). */
function allPids(): string[] {
  try {
    return readdirSync("/proc").filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57)
  } catch {
    return []
  }
}

/** One poll: reaps adopted zombies that stayed zombies ZOMBIE_AGE_MS, reports adopted processes still running. */
export function lookForAdopted(now = performance.now()): void {
  if (!subreaping) return
  const seen = new Map<number, number>()
  const died = new Map<number, number | undefined>()
  otherDied = false
  const children = adoptedNow(died)
  // an attributed orphan that died (a zombie, or reaped since): its own children came to us now
  const alive = new Set<number>()
  for (const a of children) if (a.state !== "Z" && a.state !== "X" && owned.get(a.pid)?.start === a.start) alive.add(a.pid)
  const fromDead = new Set<number>()
  for (const [pid, o] of owned) {
    if (alive.has(pid)) continue
    owned.delete(pid)
    fromDead.add(o.root)
  }
  for (const a of children) {
    if (a.state === "Z") {
      const since = zombies.get(a.pid) ?? now
      if (now - since >= ZOMBIE_AGE_MS) waitpid?.(a.pid)
      else seen.set(a.pid, since)
      continue
    }
    const key = `${a.pid}:${a.start}`
    if (told.has(key)) continue
    told.add(key)
    attribute(a, died, fromDead)
    if (told.size > MAX_TOLD) told.delete(told.values().next().value!)
    onAdopted?.(a.pid, a.start)
  }
  zombies = seen
}

/**
 * Attributes an orphan seen for the first time to the root whose tree it came from: the root that
 * died since the last look (its own children are re-parented the instant it exits), or the root
 * of an attributed orphan that died; when nothing died, the one live root started before it (a
 * double fork inside a running server). More than one candidate: left unattributed (ended only at
 * our exit), never given to a tree it may not be from.
 */
function attribute(a: { pid: number; start: number }, died: ReadonlyMap<number, number | undefined>, fromDead: ReadonlySet<number>): void {
  // a root's tree started after it: a dead root younger than the orphan is not where it came from
  const candidates = new Set<number>(fromDead)
  for (const [pid, start] of died) if (start === undefined || start <= a.start) candidates.add(pid)
  if (candidates.size === 0 && !otherDied) for (const [pid, start] of roots) if (start !== undefined && start <= a.start) candidates.add(pid)
  if (candidates.size !== 1) return
  owned.set(a.pid, { start: a.start, root: candidates.values().next().value! })
  if (owned.size > MAX_OWNED) owned.delete(owned.keys().next().value!)
}
