/**
 * A client that stops us while the start still waits (the first listings of a slow server, a
 * Docker Toolkit probe that hangs): SIGTERM, SIGINT or stdin's end ends the process promptly (the
 * shutdown's own budget; the bound here only guards against a hang), exit 0, and nothing it
 * started outlives it (a server that ignores SIGTERM and its grandchild, the fake docker's probe).
 * Through the compiled binary; `initialize` and `tools/list` sent at once, as Cursor does.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { isAlive } from "../helpers/proc.ts"
import { exitCode, waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const FIRST = [
  { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "stop-while-starting", version: "1" } } },
  { jsonrpc: "2.0", method: "notifications/initialized" },
  { jsonrpc: "2.0", id: 2, method: "tools/list", params: {} },
]
  .map((m) => JSON.stringify(m) + "\n")
  .join("")
const fakes: FakeDocker[] = []
afterAll(() => {
  for (const f of fakes) f.cleanup()
})

/** Live processes whose `file` under /proc holds `text`. */
function holding(file: "environ" | "cmdline", text: string): number[] {
  const out: number[] = []
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    try {
      if (readFileSync(`/proc/${name}/${file}`, "latin1").includes(text) && isAlive(Number(name))) out.push(Number(name))
    } catch {
      // gone, or not ours to read
    }
  }
  return out
}

/** Live processes whose environment carries `marker` (a stdio server inherits it). */
const carrying = (marker: string): number[] => holding("environ", `QA_STOP_MARK=${marker}`)

interface Scenario {
  /** The serve's arguments and environment, how to tell that the wait is under way, and what it started (besides itself). */
  setup(marker: string): { args: string[]; env: Record<string, string>; waiting: () => boolean; started: () => number[] }
}

const SCENARIOS: Record<string, Scenario> = {
  "the first listing of a slow server (it ignores SIGTERM, has a grandchild)": {
    setup: (marker) => {
      const env = sandboxEnv({ QA_STOP_MARK: marker })
      const pids = join(env.HOME!, "pids")
      const config = join(env.HOME!, "config.yaml")
      writeFileSync(config, [`servers:`, `  s: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(STUBBORN)}, --slow-boot, "60000", --pid-file, ${JSON.stringify(pids)}] }`, `toolkit: { enabled: "off" }`, ""].join("\n"))
      return { args: ["serve", "--config", config], env, waiting: () => existsSync(pids), started: () => carrying(marker) }
    },
  },
  "a Docker Toolkit probe that hangs (the fake docker sleeping)": {
    setup: (marker) => {
      const fake = makeFakeDocker({ version: "v0.30.0", delay: "version=60000" })
      fakes.push(fake)
      const env = sandboxEnv({ QA_STOP_MARK: marker, PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
      const config = join(env.HOME!, "config.yaml")
      writeFileSync(config, `toolkit: { enabled: "on" }\n`)
      // the probe runs (the fake logs each command as it starts); the docker CLI gets an environment of its own: found by the fake's state dir in it
      return { args: ["serve", "--config", config], env, waiting: () => fake.argvLog().some((a) => a.includes("version")), started: () => holding("environ", `FAKE_DOCKER_STATE=${fake.stateDir}`) }
    },
  },
}

describe.skipIf(process.platform !== "linux")("stopped while the start waits", () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    for (const stop of ["SIGTERM", "SIGINT", "stdin"] as const) {
      test(`${name}: ${stop === "stdin" ? "stdin's end" : stop} ends it, exit 0, nothing left running`, async () => {
        const marker = crypto.randomUUID()
        const s = scenario.setup(marker)
        const p = Bun.spawn([BIN, ...s.args], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: s.env, cwd: s.env.HOME! })
        try {
          p.stdin.write(FIRST)
          p.stdin.flush()
          await waitFor("the wait under way", s.waiting, 30_000)
          // what a stop must end is running (the slow server and its grandchild; the docker probe)
          await waitFor("its processes", () => s.started().length > 0, 10_000)
          if (stop === "stdin") p.stdin.end()
          else p.kill(stop)
          expect(await exitCode(p, `serve to end on ${stop}`, 20_000)).toBe(0)
          // the shutdown's watchdog (SIGKILL after its grace) may still be ending the last of them
          await waitFor("nothing left running", () => s.started().length === 0, 15_000).catch(() => {})
          expect(s.started()).toEqual([])
        } finally {
          p.kill("SIGKILL")
          for (const pid of s.started()) process.kill(pid, "SIGKILL")
        }
      }, 90_000)
    }
  }
})
