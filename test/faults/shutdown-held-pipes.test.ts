/**
 * A downstream's helper that keeps the server's stdout and stderr open, in a session of its own and
 * with the orchestrator's mark scrubbed from its environment (`setsid env -u MCPO_OWNER …`), ends
 * with the orchestrator (through the compiled binary, Linux): it holds the stdio ends the server was
 * given, which the orchestrator noted at the server's start (core/descendants). Before, once the
 * server had exited (on stdin EOF, or mid-run), neither its parent chain nor its environment tied
 * it to the orchestrator: it ran on for ever, holding the pipes. Also when the orchestrator is
 * SIGKILLed: its watchdog (core/reaper) is told the ends and ends what still holds them. A server
 * that exits mid-run takes its helper with it at once (core/children `signalHolders`).
 * Fixture: test/faults/servers/pipe-holding-server.ts (reports the helper's pid and its sleep's).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { pidsWhere } from "../helpers/proc.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const HOLDING = join(import.meta.dir, "servers", "pipe-holding-server.ts")
const linux = process.platform === "linux"

function setup(): { config: string; pidFile: string; dir: string; env: Record<string, string> } {
  const dir = tempDir("mcpo-held-")
  const pidFile = join(dir, "pids")
  const config = join(dir, "config.yaml")
  writeFileSync(
    config,
    [
      "servers:",
      `  p: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(HOLDING)}, "--pid-file", ${JSON.stringify(pidFile)}] }`,
      "warm: [p]",
      'toolkit: { enabled: "off" }',
      "plugins: { enabled: false }",
      "",
    ].join("\n"),
  )
  return { dir, config, pidFile, env: sandboxEnv() }
}

/** Every helper pid reported so far (each start of the server reports its helper and the helper's sleep). */
function reported(pidFile: string): number[] {
  return existsSync(pidFile) ? readFileSync(pidFile, "utf8").split(/\s+/).filter(Boolean).map(Number) : []
}

async function reportedAtLeast(pidFile: string, n: number): Promise<number[]> {
  for (let i = 0; i < 400 && reported(pidFile).length < n; i++) await Bun.sleep(25)
  return reported(pidFile)
}

async function alive(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 600 && pids.some(isAlive); i++) await Bun.sleep(25)
  return pids.filter(isAlive)
}

const line = (m: unknown): string => JSON.stringify(m) + "\n"

/** Reads stdout until a line with the answer to `id` came. */
async function answer(reader: { read(): Promise<{ value?: Uint8Array; done: boolean }> }, id: number, seen: { text: string }): Promise<string> {
  const re = new RegExp(`"id":${id},"(result|error)".*\\n`)
  while (!re.test(seen.text)) {
    const { value, done } = await reader.read()
    if (done) break
    seen.text += new TextDecoder().decode(value)
  }
  return seen.text
}

describe.skipIf(!linux)("a helper holding the server's stdout and stderr (scrubbed mark, own session) ends with the orchestrator", () => {
  for (const how of ["stdin EOF", "SIGTERM", "server exited mid-run, then stdin EOF", "SIGKILL of the orchestrator (its watchdog)"] as const) {
    test(how, async () => {
      const s = setup()
      const p = Bun.spawn([BIN, "serve", "--config", s.config], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: s.env, cwd: s.dir })
      const reader = p.stdout.getReader()
      const seen = { text: "" }
      let pids: number[] = []
      try {
        p.stdin.write(line({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "held", version: "1" } } }))
        p.stdin.write(line({ jsonrpc: "2.0", method: "notifications/initialized" }) + line({ jsonrpc: "2.0", id: 2, method: "tools/list" }))
        p.stdin.flush()
        expect(await answer(reader, 2, seen)).toContain("p__exit")
        pids = await reportedAtLeast(s.pidFile, 2)
        expect(pids.length).toBe(2)
        // a process of the same user, started meanwhile in a session of its own: not ours
        const stranger = Bun.spawn(["setsid", "sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
        try {
          if (how.startsWith("server exited")) {
            const server = pidsWhere((f) => f[1] === String(p.pid)).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("pipe-holding"))
            p.stdin.write(line({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "p__exit", arguments: {} } }))
            p.stdin.flush()
            expect(await answer(reader, 3, seen)).toContain("SERVER_EXITED")
            // the server is gone; its helper, re-parented away from us and holding pipes nobody
            // reads any more, goes too while the orchestrator runs on (it used to live until the
            // orchestrator's exit)
            expect(await alive(server)).toEqual([])
            await waitFor("the exited server's helper to end", () => !pids.some(isAlive), 20_000)
            expect(isAlive(p.pid)).toBe(true)
          }
          if (how === "SIGTERM") p.kill("SIGTERM")
          else if (how.startsWith("SIGKILL")) p.kill("SIGKILL")
          else p.stdin.end()
          expect(await p.exited).toBe(how.startsWith("SIGKILL") ? 137 : 0)
          // the watchdog gives 250 ms + 250 ms, then SIGKILL
          for (let i = 0; i < 200 && pids.some(isAlive); i++) await Bun.sleep(25)
          expect(await alive(pids)).toEqual([])
          expect(isAlive(stranger.pid)).toBe(true)
        } finally {
          stranger.kill("SIGKILL")
        }
      } finally {
        p.kill("SIGKILL")
        for (const pid of reported(s.pidFile)) if (isAlive(pid)) process.kill(pid, "SIGKILL")
      }
    }, 30_000)
  }
})
