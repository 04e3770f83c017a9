/**
 * Peer MCP proxies from npm for `bench peers`: pinned install outside the project (bench/.peers),
 * start in their own process group on 127.0.0.1, loopback check via /proc/net/tcp, RSS, teardown.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { existsSync, readFileSync, readdirSync, readlinkSync, mkdirSync } from "node:fs"
import { createServer, connect as tcpConnect } from "node:net"
import { join } from "node:path"
import { ROOT } from "./_util.ts"

export const PEERS_DIR = join(ROOT, "bench", ".peers")
export const PRELOAD = join(import.meta.dir, "_loopback-preload.cjs")

export interface PeerPackage {
  pkg: string
  version: string
  /** bin path inside the package */
  bin: string
}

/** Versions checked with `npm view <pkg> version` on 2026-11-25. */
export const PACKAGES = {
  "mcp-proxy": { pkg: "mcp-proxy", version: "6.7.19", bin: "dist/bin/mcp-proxy.mjs" },
  supergateway: { pkg: "supergateway", version: "4.0.0", bin: "dist/index.js" },
  "mcp-hub": { pkg: "mcp-hub", version: "4.2.1", bin: "dist/cli.js" },
} satisfies Record<string, PeerPackage>

/** Runs argv (no shell), bounded by timeoutMs; resolves with exit code and the tail of its output. */
export function run(argv: string[], opts: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true })
    const tail = new Tail()
    child.stdout!.on("data", (b: Buffer) => tail.push(b))
    child.stderr!.on("data", (b: Buffer) => tail.push(b))
    const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), opts.timeoutMs)
    child.on("error", (e) => tail.push(Buffer.from(String(e))))
    child.on("close", (code, sig) => {
      clearTimeout(timer)
      resolve({ code: code ?? (sig ? 128 : 1), out: tail.text() })
    })
  })
}

/** `npm install --no-save --prefix bench/.peers/<pkg> <pkg>@<version>`, skipped when already there. */
export async function installPeer(p: PeerPackage): Promise<string> {
  const prefix = join(PEERS_DIR, p.pkg)
  const pkgDir = join(prefix, "node_modules", p.pkg)
  const bin = join(pkgDir, p.bin)
  const installed = (): boolean => {
    try {
      return JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version === p.version && existsSync(bin)
    } catch {
      return false
    }
  }
  if (installed()) return bin
  mkdirSync(prefix, { recursive: true })
  const npm = Bun.which("npm")
  if (!npm) throw new Error("npm not found on PATH")
  const r = await run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix, `${p.pkg}@${p.version}`], { cwd: prefix, timeoutMs: 180_000 })
  if (r.code !== 0 || !installed()) throw new Error(`npm install ${p.pkg}@${p.version} failed (exit ${r.code}): ${lastLines(r.out, 4)}`)
  return bin
}

/** A free TCP port on 127.0.0.1 (bound and released; the peer binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ port, host: "127.0.0.1" })
    const done = (ok: boolean) => {
      sock.destroy()
      resolve(ok)
    }
    sock.setTimeout(500, () => done(false))
    sock.once("connect", () => done(true))
    sock.once("error", () => done(false))
  })
}

/** Keeps the last `cap` characters written (a peer's log, for failure reasons). */
export class Tail {
  private buf = ""
  constructor(private readonly cap = 4000) {}
  push(b: Buffer): void {
    this.buf = (this.buf + b.toString("utf8")).slice(-this.cap)
  }
  text(): string {
    return this.buf
  }
}

export function lastLines(s: string, n: number): string {
  return s.trim().split("\n").slice(-n).join(" | ").slice(0, 600)
}

export interface Launched {
  child: ChildProcess
  log: Tail
  [Symbol.asyncDispose](): Promise<void>
}

/** Starts `node --require <preload> <bin> …args` in its own process group; waits until `port` accepts. */
export async function launch(node: string, bin: string, args: string[], env: Record<string, string>, cwd: string, port: number, timeoutMs = 30_000): Promise<Launched> {
  const child = spawn(node, ["--require", PRELOAD, bin, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
  const log = new Tail()
  child.stdout!.on("data", (b: Buffer) => log.push(b))
  child.stderr!.on("data", (b: Buffer) => log.push(b))
  let exited: string | undefined
  child.on("exit", (code, sig) => (exited = `exited (${sig ?? code})`))
  child.on("error", (e) => (exited = String(e)))
  const launched: Launched = { child, log, [Symbol.asyncDispose]: () => stopGroup(child) }
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline && !exited) {
    if (await portOpen(port)) return launched
    await Bun.sleep(100)
  }
  await stopGroup(child)
  throw new Error(`${exited ?? `not listening on ${port} after ${timeoutMs} ms`}: ${lastLines(log.text(), 3)}`)
}

export function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return
  try {
    process.kill(-pid, sig)
  } catch {
    /* group already gone */
  }
}

/** PIDs whose process group is `pgid` (the launched peer and its descendants that stayed in it). */
export function groupMembers(pgid: number): number[] {
  const out: number[] = []
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue
    const st = statOf(Number(d))
    if (st && st.pgid === pgid && st.state !== "Z") out.push(Number(d))
  }
  return out
}

function statOf(pid: number): { ppid: number; pgid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return { state: f[0]!, ppid: Number(f[1]), pgid: Number(f[2]) }
  } catch {
    return undefined
  }
}

/** Every process below `root` right now (children that left its process group or session included). */
export function descendants(root: number): number[] {
  const kids = new Map<number, number[]>()
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue
    const st = statOf(Number(d))
    if (st) kids.set(st.ppid, [...(kids.get(st.ppid) ?? []), Number(d)])
  }
  const out: number[] = []
  const queue = [root]
  while (queue.length && out.length < 10_000) {
    for (const k of kids.get(queue.shift()!) ?? []) {
      out.push(k)
      queue.push(k)
    }
  }
  return out
}

/** The pids still running (zombies count as gone). */
export function alive(pids: number[]): number[] {
  return pids.filter((p) => {
    const st = statOf(p)
    return st !== undefined && st.state !== "Z"
  })
}

/** Waits (bounded) until none of `pids` runs; SIGKILLs those still there after `graceMs`; returns the ones that survived even that. */
export async function reap(pids: number[], graceMs = 3000): Promise<{ lingered: number[]; survived: number[] }> {
  for (let i = 0; i < graceMs / 100 && alive(pids).length; i++) await Bun.sleep(100)
  const lingered = alive(pids)
  for (const p of lingered) {
    try {
      process.kill(p, "SIGKILL")
    } catch {
      /* gone meanwhile */
    }
  }
  for (let i = 0; i < 20 && alive(lingered).length; i++) await Bun.sleep(50)
  return { lingered, survived: alive(lingered) }
}

/** SIGTERM to the group, up to 3 s grace, then SIGKILL; then the same for descendants that left the group. Bounded. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid
  if (!pid) return
  const tree = [pid, ...descendants(pid)]
  killGroup(pid, "SIGTERM")
  for (let i = 0; i < 30 && groupMembers(pid).length; i++) await Bun.sleep(100)
  if (groupMembers(pid).length) killGroup(pid, "SIGKILL")
  for (let i = 0; i < 20 && groupMembers(pid).length; i++) await Bun.sleep(50)
  await reap(tree)
}

/** VmRSS and VmHWM of a process in MiB (undefined when it is gone). */
export function rss(pid: number | undefined): { rssMiB: number; peakMiB: number } | undefined {
  if (!pid) return undefined
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8")
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? NaN)
    return { rssMiB: kb("VmRSS") / 1024, peakMiB: kb("VmHWM") / 1024 }
  } catch {
    return undefined
  }
}

function hexAddr(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".")
  if (hex === "00000000000000000000000001000000") return "::1"
  if (/^0+$/.test(hex)) return "::"
  return hex.startsWith("0000000000000000FFFF0000") ? `::ffff:${hexAddr(hex.slice(24))}` : hex
}

/** Every listening TCP socket held by the process group, as "addr:port" (from /proc/net/tcp{,6}). */
export function listeners(pgid: number): string[] {
  const inodes = new Set<string>()
  for (const pid of groupMembers(pgid)) {
    let fds: string[] = []
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
        if (m) inodes.add(m[1]!)
      } catch {
        /* closed meanwhile */
      }
    }
  }
  const out: string[] = []
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(f)) continue
    for (const line of readFileSync(f, "utf8").split("\n").slice(1)) {
      const c = line.trim().split(/\s+/)
      if (c.length < 10 || c[3] !== "0A" || !inodes.has(c[9]!)) continue
      const [addr, port] = c[1]!.split(":")
      out.push(`${hexAddr(addr!)}:${parseInt(port!, 16)}`)
    }
  }
  return out
}

export function isLoopback(listener: string): boolean {
  return listener.startsWith("127.") || listener.startsWith("::1:") || listener.startsWith("::ffff:127.")
}
