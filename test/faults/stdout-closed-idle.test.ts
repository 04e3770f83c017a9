/**
 * A client that closes its end of our stdout while we have nothing to write (no request in flight,
 * nothing to announce) and keeps stdin open: no answer can reach it, so the serve stops, and its
 * downstreams go with it, without waiting for a write to find the pipe closed (Linux: app/stdout-watch
 * asks poll(2) once a second). Before, it served on with every downstream running for as long as the
 * client kept stdin open (test/faults/stdout-closed.test.ts covers the case where requests keep coming).
 * Both kinds of stdout a client gives: a socket pair (Bun.spawn) and a pipe (a shell's `|`).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }

async function pidsIn(file: string, n: number): Promise<number[]> {
  const read = (): number[] => (existsSync(file) ? readFileSync(file, "utf8").split(/\s+/).filter(Boolean).map(Number) : [])
  for (let i = 0; i < 400 && read().length < n; i++) await Bun.sleep(25)
  return read()
}

describe.skipIf(process.platform !== "linux")("stdout closed by the client while the serve is idle", () => {
  for (const kind of ["socket pair", "pipe"] as const) {
    test(`${kind}: the serve stops (exit 0, reason "stdout closed") and its downstream and grandchild are gone`, async () => {
      const dir = tempDir("mcpo-stdout-idle-")
      const pidFile = join(dir, "pids")
      const config = join(dir, "config.yaml")
      writeFileSync(config, `servers:\n  a: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(STUBBORN)}, "--pid-file", ${JSON.stringify(pidFile)}] }\nwarm: [a]\ntoolkit: { enabled: "off" }\nplugins: { enabled: false }\n`)
      const env = sandboxEnv()
      // a pipe: the orchestrator's stdout goes through `cat`, whose end the test closes (killing it)
      const argv = kind === "pipe" ? ["/bin/sh", "-c", `"$0" "$@" | cat`, BIN, "serve", "--config", config] : [BIN, "serve", "--config", config]
      const child = Bun.spawn(argv, { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
      child.stdin.write(JSON.stringify(INIT) + "\n")
      child.stdin.flush()
      const reader = (child.stdout as ReadableStream<Uint8Array>).getReader()
      await reader.read() // the initialize answer
      const pids = await pidsIn(pidFile, 2)
      expect(pids.length).toBe(2)
      let orchestrator: number | undefined
      if (kind === "pipe") {
        // the orchestrator is sh's child; cat reads its stdout: ending cat closes the pipe's only reader
        const { pidsWhere } = await import("../helpers/proc.ts")
        const kids = pidsWhere((f) => Number(f[1]) === child.pid)
        orchestrator = kids.find((k) => readFileSync(`/proc/${k}/cmdline`, "latin1").startsWith(BIN))
        const cat = kids.find((k) => k !== orchestrator)!
        process.kill(cat, "SIGKILL")
      } else {
        orchestrator = child.pid
        await reader.cancel()
      }
      expect(orchestrator).toBeDefined()
      // nothing more is written to it and stdin stays open: only the closed stdout can end it
      for (let i = 0; i < 200 && isAlive(orchestrator!); i++) await Bun.sleep(50)
      const stillRunning = isAlive(orchestrator!)
      if (stillRunning) process.kill(orchestrator!, "SIGTERM")
      expect(stillRunning).toBe(false)
      child.stdin.end()
      await child.exited
      const stderr = await new Response(child.stderr).text()
      expect(stderr).toContain('"reason":"stdout closed"')
      if (kind === "socket pair") expect(child.exitCode).toBe(0)
      for (let i = 0; i < 300 && pids.some(isAlive); i++) await Bun.sleep(50)
      expect(pids.filter(isAlive)).toEqual([])
    }, 30_000)
  }
})
