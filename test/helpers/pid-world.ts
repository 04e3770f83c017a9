/**
 * A world for the kill/shutdown tests of the compiled binary: a temp dir with a config of warm
 * fixture servers run with this bun (each reports its pids to a file in that dir), a sandboxed env,
 * and ways to start `serve` on it as an editor does (initialize written) or under a shell that can
 * die (its stdin a FIFO the test holds open). Plus reading the pids the servers reported, waiting
 * for processes to be gone and killing what a failed test left.
 */
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import type { FileSink, Subprocess } from "bun"
import { BIN, isAlive, sandboxEnv, tempDir } from "./binary.ts"
import { readUntil } from "./wait.ts"

/** What `pidServerWorld` builds from the paths of its dir: each server's argv after bun (script first), and the config's other lines. */
export interface WorldSpec {
  servers: Record<string, string[]>
  /** Top-level config lines after `warm:`; by default the toolkit is off and plugins are disabled. */
  settings?: string[]
}

type Io = "pipe" | "ignore"

export interface PidWorld {
  dir: string
  config: string
  env: Record<string, string>
  /** The path of `file` in the world's dir. */
  at(file: string): string
  /** `serve --config` spawned in the dir (a process group of its own when `detached`); initialize is written when stdin is a pipe. */
  start<I extends Io = "pipe", O extends Io = "ignore", E extends Io = "ignore">(io?: { stdin?: I; stdout?: O; stderr?: E; detached?: boolean }): Subprocess<I, O, E>
  /**
   * `serve` (with `args` after `--config`) started in the background by `sh` (its stdin a FIFO held
   * open here, initialize written, its log in `log`); `pid` is 0 if sh printed none.
   */
  startUnderShell(args?: readonly string[]): Promise<{ pid: number; sh: Subprocess<"ignore", "pipe", "ignore">; log: string; closeStdin(): void }>
}

/** The initialize line of a 2025-06-18 client named `name`. */
export const initLine = (name: string): string => JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name, version: "1" } } }) + "\n"

/** A world in `mcpo-<name>-…` whose client calls itself `name`; `env` adds to the sandbox env. */
export function pidServerWorld(name: string, build: (at: (file: string) => string) => WorldSpec, env: Record<string, string> = {}): PidWorld {
  const dir = tempDir(`mcpo-${name}-`)
  const at = (file: string): string => join(dir, file)
  const { servers, settings = ['toolkit: { enabled: "off" }', "plugins: { enabled: false }"] } = build(at)
  const bun = JSON.stringify(process.execPath)
  const config = at("config.yaml")
  const lines = Object.entries(servers).map(([server, argv]) => `  ${server}: { command: ${bun}, args: [${argv.map((a) => JSON.stringify(a)).join(", ")}] }`)
  writeFileSync(config, ["servers:", ...lines, `warm: [${Object.keys(servers).join(", ")}]`, ...settings, ""].join("\n"))
  const spawnEnv = sandboxEnv(env)
  function start<I extends Io = "pipe", O extends Io = "ignore", E extends Io = "ignore">(io: { stdin?: I; stdout?: O; stderr?: E; detached?: boolean } = {}): Subprocess<I, O, E> {
    const p = Bun.spawn([BIN, "serve", "--config", config], { stdin: io.stdin ?? "pipe", stdout: io.stdout ?? "ignore", stderr: io.stderr ?? "ignore", env: spawnEnv, cwd: dir, detached: io.detached ?? false })
    if (p.stdin) {
      const stdin = p.stdin as FileSink
      stdin.write(initLine(name))
      stdin.flush()
    }
    return p as unknown as Subprocess<I, O, E>
  }
  const world: PidWorld = {
    dir,
    config,
    env: spawnEnv,
    at,
    start,
    async startUnderShell(args = []) {
      const fifo = at("stdin")
      if (Bun.spawnSync(["mkfifo", fifo]).exitCode !== 0) throw new Error(`mkfifo ${fifo} failed`)
      const stdin = openSync(fifo, "r+")
      writeSync(stdin, initLine(name))
      const log = at("orchestrator.log")
      const sh = Bun.spawn(["sh", "-c", `c=$1 l=$2 f=$3; shift 3; "$0" serve --config "$c" "$@" <"$f" 2>"$l" & echo $!; wait`, BIN, config, log, fifo, ...args], { stdin: "ignore", stdout: "pipe", stderr: "ignore", env: world.env, cwd: dir })
      const reader = sh.stdout.getReader()
      const out = await readUntil(reader, "\n")
      reader.releaseLock()
      return { pid: Number(out.split("\n")[0]) || 0, sh, log, closeStdin: () => closeSync(stdin) }
    },
  }
  return world
}

/** Every pid written to `file` so far (whitespace-separated). */
export function pidsIn(file: string): number[] {
  return existsSync(file) ? readFileSync(file, "utf8").split(/\s+/).filter(Boolean).map(Number) : []
}

/** The pids in `file` once it holds `n` of them, or what it holds after 15 s (the caller checks how many). */
export async function reportedPids(file: string, n: number): Promise<number[]> {
  for (let i = 0; i < 600 && pidsIn(file).length < n; i++) await Bun.sleep(25)
  return pidsIn(file)
}

/** Which of `pids` are still alive once they had up to 15 s to go (killed ones are re-parented to init and reaped). */
export async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 600 && pids.some(isAlive); i++) await Bun.sleep(25)
  return pids.filter(isAlive)
}

/** SIGKILLs those of `pids` still alive: a failed test leaves no `sleep 300` behind. */
export function killAlive(pids: number[]): void {
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL")
}
