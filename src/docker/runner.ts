/**
 * @module docker/runner
 * Runs `docker <argv>` with Bun.spawn: argv array (never a shell), absolute docker path resolved
 * once, minimal env allowlist, timeout + kill, a stdout byte cap (over it the command is stopped), a
 * bounded stderr tail (the rest is read and dropped) and AbortSignal cancellation.
 */
import { errorMessage, exitGrace, isExiting, NETWORK_ENV_KEYS, registerNetworkEnvSecrets, ToolkitError, trackChild, withOwnerMark } from "../core/index.ts"

export interface RunRequest {
  /** Arguments after `docker`, e.g. `["mcp", "version"]`. */
  args: readonly string[]
  timeoutMs?: number
  signal?: AbortSignal
}

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
  timedOut: boolean
  durationMs: number
  /** The signal that ended `docker` (`SIGKILL`…), when one did; `exitCode` is then 128 + its number. */
  signal?: string
}

/** Injectable for unit tests of the classification; the real one spawns docker. */
export type Runner = (req: RunRequest) => Promise<RunResult>

export interface SpawnRunnerOptions {
  /** Name on PATH or absolute path; default `docker`. */
  docker?: string
  /** Source environment (default `process.env`); only allowlisted keys reach the child. */
  env?: Record<string, string | undefined>
  timeoutMs?: number
  maxStdoutBytes?: number
  maxStderrBytes?: number
  /**
   * The runner's lifetime (the orchestrator's): once aborted, every command still running is
   * stopped (CANCELLED) and none is started. Before, a `docker mcp` command that hung when the
   * process stopped (a Docker Desktop that does not answer) held the whole shutdown until its budget
   * was spent: what waited on it (the gateway's sync) waited out `toolkit.timeout`.
   */
  signal?: AbortSignal
}

export const ENV_ALLOWLIST = ["PATH", "HOME", "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"] as const
/** The documented WSL/container workaround for the Desktop check (toolkit.md §8); not a secret. */
export const ENV_TOOLKIT_SWITCHES = ["DOCKER_MCP_IN_CONTAINER"] as const
/** Windows needs these for docker.exe to find its config and Desktop (`client connect` adds them too). */
const WINDOWS_ENV = ["SYSTEMROOT", "USERPROFILE", "LOCALAPPDATA", "APPDATA", "PROGRAMDATA", "PROGRAMFILES", "TEMP", "TMP"]
export const DEFAULT_TIMEOUT_MS = 30_000
export const DEFAULT_MAX_STDOUT = 32 * 1024 * 1024
export const DEFAULT_MAX_STDERR = 1024 * 1024
const KILL_GRACE_MS = 2_000

/**
 * How a command appears in errors and logs: glued flag values (`--set=…`) and long or multi-line
 * values (config YAML) are elided, so config values never leak into messages.
 */
export function commandLabel(args: readonly string[]): string {
  const out: string[] = []
  for (const a of args) {
    if (out.length >= 8) {
      out.push("…")
      break
    }
    if (a.startsWith("--") && a.includes("=")) out.push(`${a.slice(0, a.indexOf("="))}=…`)
    else if (a.length > 64 || /\s/.test(a)) out.push("…")
    else out.push(a)
  }
  return `docker ${out.join(" ")}`
}

/**
 * The env a docker child gets: PATH, HOME, DOCKER_* connection settings, XDG_*, and the proxies and
 * CA bundles (`NETWORK_ENV_KEYS`: a profiles-era `catalog pull` and the gateway's image pulls go
 * through the corporate proxy; their credentials are registered as secrets first) only.
 */
export function childEnv(source: Record<string, string | undefined>, platform: string = process.platform): Record<string, string> {
  const out: Record<string, string> = {}
  registerNetworkEnvSecrets(source)
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined) continue
    const allowed =
      (ENV_ALLOWLIST as readonly string[]).includes(k) ||
      NETWORK_ENV_KEYS.includes(k) ||
      (ENV_TOOLKIT_SWITCHES as readonly string[]).includes(k) ||
      k.startsWith("XDG_") ||
      (platform === "win32" && (WINDOWS_ENV.includes(k.toUpperCase()) || k.toUpperCase() === "PATH"))
    if (allowed) out[k] = v
  }
  return out
}

export function dockerNotFound(docker: string): ToolkitError {
  return new ToolkitError("DOCKER_NOT_FOUND", `docker executable "${docker}" was not found (or is not an executable file)`, {
    remedy: "Install Docker Desktop (or Docker Engine with the MCP Toolkit plugin) and make sure `docker` is on PATH and executable, or set toolkit.docker to its absolute path.",
    details: { docker },
  })
}

/** Resolves the docker executable to an absolute path (or throws DOCKER_NOT_FOUND). */
export function resolveDocker(docker: string, env: Record<string, string | undefined>): string {
  if (docker.startsWith("/")) return docker
  const found = Bun.which(docker, env.PATH === undefined ? {} : { PATH: env.PATH })
  if (!found) throw dockerNotFound(docker)
  return found
}

/**
 * The last `cap` bytes of a stream (stderr): what was before them is counted and dropped, reading
 * goes on. A command's own error text comes last, after any warnings or progress it printed, so the
 * tail is what classification and messages need; a chatty command is never cut short for it.
 */
class Tail {
  private chunks: Uint8Array[] = []
  private bytes = 0
  dropped = 0
  constructor(private readonly cap: number) {}
  push(chunk: Uint8Array): boolean {
    this.chunks.push(chunk)
    this.bytes += chunk.byteLength
    while (this.bytes > this.cap && this.chunks.length > 0) {
      const first = this.chunks[0] as Uint8Array
      const over = this.bytes - this.cap
      if (first.byteLength <= over) {
        this.chunks.shift()
        this.bytes -= first.byteLength
        this.dropped += first.byteLength
      } else {
        this.chunks[0] = first.subarray(over)
        this.bytes -= over
        this.dropped += over
      }
    }
    return true
  }
  text(): string {
    let buf = Buffer.concat(this.chunks)
    if (this.dropped === 0) return buf.toString("utf8")
    // start at a line (or at least a character) boundary: no half line, no broken UTF-8 sequence
    const nl = buf.indexOf(10)
    if (nl !== -1 && nl < 4096) buf = buf.subarray(nl + 1)
    else while (buf.length > 0 && ((buf[0] as number) & 0xc0) === 0x80) buf = buf.subarray(1)
    return `[… ${this.dropped + (this.bytes - buf.length)} earlier bytes of stderr not kept …]\n${buf.toString("utf8")}`
  }
}

class Capped {
  private chunks: Uint8Array[] = []
  private bytes = 0
  overflow = false
  constructor(private readonly cap: number) {}
  push(chunk: Uint8Array): boolean {
    if (this.bytes + chunk.byteLength > this.cap) {
      this.overflow = true
      return false
    }
    this.chunks.push(chunk)
    this.bytes += chunk.byteLength
    return true
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8")
  }
}

/** Sends `signal` to the child's whole process group (it was spawned detached, so it leads one). */
function signalGroup(pid: number, signal: "SIGTERM" | "SIGKILL"): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // group already gone
  }
}

interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>
  releaseLock(): void
}

async function drain(reader: ChunkReader, sink: { push(chunk: Uint8Array): boolean }, onOverflow: () => void): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done || value === undefined) return
      if (!sink.push(value)) onOverflow()
    }
  } catch {
    // the child was killed mid-read: keep what we have
  } finally {
    reader.releaseLock()
  }
}

/**
 * Why `docker` could not be started: missing (or no longer there) is DOCKER_NOT_FOUND; an argument
 * list over the system's limit (E2BIG: the legacy era writes the whole config as one argument) is
 * INVALID_VALUE; anything else (EACCES, EMFILE…) is said as it is, not as a missing Docker.
 */
function spawnFailure(exe: string, args: readonly string[], e: unknown): ToolkitError {
  const code = (e as { code?: unknown }).code
  if (code === "ENOENT" || code === "ENOTDIR") return Object.assign(dockerNotFound(exe), { cause: e })
  const command = `docker ${args.slice(0, 3).map((a) => (a.length > 40 ? `${a.slice(0, 40)}…` : a)).join(" ")}`
  if (code === "E2BIG") {
    const bytes = args.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0)
    return new ToolkitError("INVALID_VALUE", `${command} was not run: its arguments are ${Math.round(bytes / 1024)} KiB, over what the system lets one command take (E2BIG)`, {
      cause: e,
      remedy: "Set a smaller value (with the legacy Toolkit the whole config goes as one argument: remove large values first).",
      details: { command, bytes },
    })
  }
  return new ToolkitError("COMMAND_FAILED", `${command} could not be started: ${errorMessage(e)}`, {
    cause: e,
    remedy: "Check that the docker executable can be run by this user (permissions, open file limits).",
    details: { command, docker: exe },
  })
}

/** Creates the spawning runner. The docker path is resolved lazily, once. */
export function createSpawnRunner(opts: SpawnRunnerOptions = {}): Runner & { dockerPath(): string } {
  const source = opts.env ?? (process.env as Record<string, string | undefined>)
  const env = childEnv(source)
  const dockerName = opts.docker ?? "docker"
  let resolved: string | undefined
  const dockerPath = (): string => (resolved ??= resolveDocker(dockerName, source))

  const run = async (asked: RunRequest): Promise<RunResult> => {
    const exe = dockerPath()
    const req = opts.signal ? { ...asked, signal: asked.signal ? AbortSignal.any([asked.signal, opts.signal]) : opts.signal } : asked
    if (req.signal?.aborted) throw cancelled(req.args)
    const started = performance.now()
    let proc: ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>
    try {
      // marked: a helper the docker CLI leaves running is found at shutdown (core/children).
      // Detached: `docker` runs the `docker-mcp` plugin (and `tools ls` a gateway) as child
      // processes that share our pipes; a timeout must stop all of them, not only `docker`.
      proc = Bun.spawn([exe, ...req.args], { env: withOwnerMark(env), stdin: "ignore", stdout: "pipe", stderr: "pipe", detached: true })
    } catch (e) {
      throw spawnFailure(exe, req.args, e)
    }
    // its whole group is killed on any exit of this process, however it ends
    const untrack = trackChild(proc.pid, true)
    let timedOut = false
    let aborted = false
    let overflowed: "stdout" | undefined
    let hard: ReturnType<typeof setTimeout> | undefined
    const kill = (): void => {
      signalGroup(proc.pid, "SIGTERM")
      try {
        proc.kill("SIGTERM")
      } catch {
        // already gone
      }
      hard ??= setTimeout(() => {
        signalGroup(proc.pid, "SIGKILL")
        try {
          proc.kill("SIGKILL")
        } catch {
          // already gone
        }
      }, killGrace())
      hard.unref?.()
    }
    const timer = setTimeout(() => {
      timedOut = true
      kill()
    }, req.timeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    const onAbort = (): void => {
      aborted = true
      kill()
    }
    req.signal?.addEventListener("abort", onAbort, { once: true })
    const out = new Capped(opts.maxStdoutBytes ?? DEFAULT_MAX_STDOUT)
    // stdout is the answer: over its bound the command is stopped (OUTPUT_TOO_LARGE). stderr only
    // explains: its last bytes are kept and the rest read and dropped, the command runs to its end.
    const err = new Tail(opts.maxStderrBytes ?? DEFAULT_MAX_STDERR)
    const readers = [proc.stdout.getReader(), proc.stderr.getReader()] as const
    const drained = Promise.all([
      drain(readers[0], out, () => {
        overflowed ??= "stdout"
        kill()
      }),
      drain(readers[1], err, () => undefined),
    ])
    try {
      const exitCode = await proc.exited
      clearTimeout(timer)
      // The pipes close when the last process holding them exits: normally `docker` itself. One it
      // left behind (a hung plugin whose CLI was killed) may hold them forever: after a grace, its
      // group is killed and reading stops, so the run ends with what was read.
      if (!(await settlesWithin(drained, killGrace()))) {
        signalGroup(proc.pid, "SIGKILL")
        await Promise.all(readers.map((r) => r.cancel().catch(() => undefined)))
        await drained
      }
      if (aborted) throw cancelled(req.args)
      if (overflowed) {
        const cap = opts.maxStdoutBytes ?? DEFAULT_MAX_STDOUT
        throw new ToolkitError("OUTPUT_TOO_LARGE", `\`${commandLabel(req.args)}\` printed more than the ${overflowed} limit (${cap >= 1024 * 1024 ? `${Math.round(cap / 1024 / 1024)} MiB` : `${cap} bytes`}); it was stopped`, {
          remedy: "Only a catalog should come near this limit: use a smaller catalog; otherwise check what `docker` is (toolkit.docker) and run the command by hand, it may print without end.",
          details: { command: commandLabel(req.args), stream: overflowed },
        })
      }
      const signal = proc.signalCode == null ? undefined : String(proc.signalCode)
      return { exitCode, stdout: out.text(), stderr: err.text(), timedOut, durationMs: performance.now() - started, ...(signal ? { signal } : {}) }
    } finally {
      clearTimeout(timer)
      if (hard) clearTimeout(hard)
      req.signal?.removeEventListener("abort", onAbort)
      untrack()
    }
  }
  return Object.assign(run, { dockerPath })
}

/**
 * How long `docker` gets between SIGTERM and SIGKILL, and how long the pipes may stay open after it
 * exited before what holds them is killed: `KILL_GRACE_MS`, less while the whole process stops (core/children
 * exitGrace: it fits the shutdown's budget; the CLI ignores a first SIGTERM while its plugin runs).
 */
function killGrace(): number {
  return isExiting() ? Math.min(KILL_GRACE_MS, exitGrace()) : KILL_GRACE_MS
}

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const done = await Promise.race([p.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))])
  clearTimeout(timer)
  return done
}

function cancelled(args: readonly string[]): ToolkitError {
  return new ToolkitError("CANCELLED", `\`${commandLabel(args)}\` was cancelled`, { details: { command: commandLabel(args) } })
}
