/**
 * Preloaded by scripts/test-leaks.ts (not by bunfig): when the one test file of this `bun test` run
 * has ended, records what it left behind in the process — values in the secret registry, process.env
 * changes, the umask, child processes, open sockets and other descriptors, process listeners, globals
 * replaced — and writes it as JSON to MCPO_LEAK_REPORT. The suite runs every file in one process, so
 * whatever a file leaves, every later file sees: tests pass or fail by order, and a leak in src hides
 * behind a test's.
 */
import { afterAll } from "bun:test"
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs"
import { secrets } from "../../src/core/index.ts"

const out = process.env.MCPO_LEAK_REPORT
// set by the other preloads per test (hermetic-state): not a leak of the file
const IGNORED_ENV = new Set(["XDG_STATE_HOME", "XDG_CACHE_HOME"])
const EVENTS = ["exit", "beforeExit", "SIGTERM", "SIGINT", "SIGHUP", "uncaughtException", "unhandledRejection", "warning"] as const
const GLOBALS = ["fetch", "setTimeout", "setInterval", "clearTimeout", "queueMicrotask", "WebSocket", "Date", "Math", "JSON", "Promise", "Error", "console"] as const
const STREAMS = { stdoutWrite: () => process.stdout.write, stderrWrite: () => process.stderr.write, exit: () => process.exit, kill: () => process.kill, emit: () => process.emit }

const groups = (): Record<string, number> => Object.fromEntries([...((secrets as unknown as { groups: Map<string, Set<string>> }).groups ?? new Map())].map(([k, v]) => [k, v.size]))

function fds(): string[] {
  const list: string[] = []
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      list.push(readlinkSync(`/proc/self/fd/${fd}`))
    } catch {
      // closed while read (the readdir's own descriptor)
    }
  }
  return list
}

/** Inodes of the sockets listening on TCP (state 0A) in this network namespace. */
function listeningInodes(): Set<string> {
  const set = new Set<string>()
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    try {
      for (const line of readFileSync(f, "utf8").split("\n").slice(1)) {
        const c = line.trim().split(/\s+/)
        if (c[3] === "0A") set.add(c[9]!)
      }
    } catch {
      // no such table
    }
  }
  return set
}

function children(): string[] {
  const found: string[] = []
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      if (Number(rest[1]) === process.pid && rest[0] !== "Z") found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim().slice(0, 160)}`)
    } catch {
      // ended while read
    }
  }
  return found
}

const kinds = (list: string[]): Record<string, number> => {
  const by: Record<string, number> = {}
  for (const l of list) {
    const k = l.startsWith("socket:") ? "socket" : l.startsWith("pipe:") ? "pipe" : l.startsWith("anon_inode:") ? l : l.startsWith("/dev/") ? "dev" : "file"
    by[k] = (by[k] ?? 0) + 1
  }
  return by
}

const start = {
  env: { ...process.env },
  umask: process.umask(),
  exitCode: process.exitCode,
  groups: groups(),
  fds: fds(),
  listeners: Object.fromEntries(EVENTS.map((e) => [e, process.listenerCount(e)])),
  globals: Object.fromEntries(GLOBALS.map((g) => [g, (globalThis as Record<string, unknown>)[g]])),
  globalNames: new Set(Object.getOwnPropertyNames(globalThis)),
  reaper: children().some((c) => c.includes("mcp-orchestrator watchdog")),
  streams: Object.fromEntries(Object.entries(STREAMS).map(([k, f]) => [k, f()])),
}

afterAll(async () => {
  if (!out) return
  // a closing server or an ending child takes a moment: give them up to 3 s before calling them left
  for (let i = 0; i < 30 && (children().length > 0 || fds().length > start.fds.length); i++) await Bun.sleep(100)
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (start.env[k] !== v && !IGNORED_ENV.has(k)) env[k] = v === undefined ? "<unset>" : "set"
  for (const k of Object.keys(start.env)) if (!(k in process.env) && !IGNORED_ENV.has(k)) env[k] = "<deleted>"
  const nowGroups = groups()
  const secretGroups: Record<string, string> = {}
  for (const [g, n] of Object.entries(nowGroups)) if (start.groups[g] !== n) secretGroups[g] = `${start.groups[g] ?? 0} -> ${n}`
  for (const g of Object.keys(start.groups)) if (!(g in nowGroups)) secretGroups[g] = `${start.groups[g]} -> 0`
  const endFds = fds()
  // a multiset difference: several descriptors can name the same thing (pipes, /dev/null)
  const left = new Map<string, number>()
  for (const f of start.fds) left.set(f, (left.get(f) ?? 0) + 1)
  const newFds = endFds.filter((f) => {
    // the runtime opens devices (random, tty) and its event loop's poll descriptors lazily (first spawn)
    if (f.startsWith("/dev/") || f.startsWith("anon_inode:")) return false
    const n = left.get(f) ?? 0
    if (n > 0) left.set(f, n - 1)
    return n === 0
  })
  const listen = listeningInodes()
  const listening = newFds.filter((f) => listen.has(/^socket:\[(\d+)\]$/.exec(f)?.[1] ?? "")).length
  const listeners: Record<string, string> = {}
  for (const e of EVENTS) if (process.listenerCount(e) !== start.listeners[e]) listeners[e] = `${start.listeners[e]} -> ${process.listenerCount(e)}`
  const globals = [
    ...GLOBALS.filter((g) => (globalThis as Record<string, unknown>)[g] !== start.globals[g]),
    ...Object.entries(STREAMS).filter(([k, f]) => f() !== start.streams[k]).map(([k]) => `process.${k}`),
    // zod's own registry is made on first use: not a file's doing
    ...Object.getOwnPropertyNames(globalThis)
      .filter((n) => !start.globalNames.has(n) && !n.startsWith("__zod_"))
      .map((n) => `+${n}`),
  ]
  // core/reaper's watchdog is one per process by design (started with the first child, ended by the
  // process's own end), with its pipe and an exit hook: the first file to spawn starts it, every
  // later one reuses it. Reported apart, not as a leak of that file.
  const kids = children()
  const reaper = kids.some((c) => c.includes("mcp-orchestrator watchdog")) && !start.reaper
  if (reaper) {
    const exits = start.listeners.exit ?? 0
    if (listeners.exit === `${exits} -> ${exits + 1}`) delete listeners.exit
    const sock = newFds.indexOf(newFds.find((f) => f.startsWith("socket:") || f.startsWith("pipe:")) ?? "")
    if (sock >= 0) newFds.splice(sock, 1)
  }
  const umask = process.umask()
  // a non-zero exitCode left set fails the whole `bun test` run, whichever file set it
  const exitCode = Number(process.exitCode ?? 0) !== Number(start.exitCode ?? 0) ? `${start.exitCode} -> ${process.exitCode}` : undefined
  writeFileSync(
    out,
    JSON.stringify({
      secrets: secretGroups,
      env,
      exitCode,
      umask: umask === start.umask ? undefined : `${start.umask.toString(8)} -> ${umask.toString(8)}`,
      children: kids.filter((c) => !c.includes("mcp-orchestrator watchdog")),
      reaper,
      fds: newFds.length,
      newFds: kinds(newFds),
      listening,
      listeners,
      globals,
    }),
  )
}, 10_000)
