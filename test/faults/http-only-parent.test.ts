/**
 * HTTP only (`serve --no-stdio --http …`) started by a process that gives it a pipe as stdin (a
 * client or launcher that runs the HTTP server as its child: node's and Bun's default stdio): when
 * that parent dies, the serve stops and its downstreams go with it. It did not watch the parent at
 * all without stdio, and ran on as an orphan, holding the port (the next start of the same client
 * met EADDRINUSE and stopped) and every downstream, for good. A stdin that is /dev/null, a file or
 * a terminal still ties it to no parent (`nohup … &`, systemd): the log says which (`parentWatched`).
 * Through the compiled binary, Linux (the pids the downstream reports, /proc).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ensureBuilt, isAlive } from "../helpers/binary.ts"
import { killAlive, pidServerWorld, reportedPids, survivors } from "../helpers/pid-world.ts"
import { BUDGET_OVERRUN, waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")

describe.skipIf(process.platform !== "linux")("HTTP only, stdin a pipe from the parent", () => {
  test("the parent is SIGKILLed: the serve notices and exits, the downstream ignoring SIGTERM and its grandchild are gone", async () => {
    const s = pidServerWorld("http-only-parent", (at) => ({ servers: { s: [STUBBORN, "--pid-file", at("stubborn.pids")] } }))
    const { pid, sh, log, closeStdin } = await s.startUnderShell(["--http", "127.0.0.1:0", "--no-stdio"])
    const started = await reportedPids(s.at("stubborn.pids"), 2)
    try {
      expect(pid).toBeGreaterThan(0)
      expect(started.length).toBe(2)
      await waitFor("the ready line", () => readFileSync(log, "utf8").includes('"msg":"ready"'), 15_000)
      sh.kill("SIGKILL")
      // the parent is polled once a second, then the shutdown budget applies: 15 s bounds a hang
      await waitFor("the orchestrator to exit once its parent is gone", () => !isAlive(pid), 15_000)
      const err = readFileSync(log, "utf8")
      expect(err).toContain('"parentWatched":true')
      expect(err).toContain('"reason":"parent process exited"')
      expect(err).not.toMatch(BUDGET_OVERRUN)
      expect(await survivors(started)).toEqual([])
    } finally {
      sh.kill("SIGKILL")
      killAlive([pid, ...started])
      closeStdin()
    }
  }, 30_000)
})
