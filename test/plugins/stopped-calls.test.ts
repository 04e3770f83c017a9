/**
 * A hook call its sandbox thread was stopped under (a shutdown) ends at once, as no fault of the
 * hook: before, disposing the thread left the call waiting for its watchdog (deadline + grace),
 * which then counted a `watchdog` fault, warned "plugin hook failed" and turned the hook off.
 */
import { expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Logger } from "../../src/core/index.ts"
import { DEFAULT_PLUGIN_LIMITS } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/loader.ts"
import { SandboxStopped, SandboxThread } from "../../src/sandbox/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

function recordingLogger(lines: string[]): Logger {
  const log: Logger = {
    debug: (m) => void lines.push(`debug ${m}`),
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m) => void lines.push(`error ${m}`),
    child: () => log,
    isEnabled: () => true,
  }
  return log
}

test("a tools hook running when its thread is stopped: rejected at once as stopped, counted as no fault, hook left on", async () => {
  const lines: string[] = []
  const log = recordingLogger(lines)
  const file = join(tempDir("mcpo-stopped-call-"), "spin.js")
  writeFileSync(file, `export default { name: "spin", tools(t) { console.log("spinning"); while (true) {} } }\n`)
  const thread = new SandboxThread(log)
  await using p = await Plugin.load(file, { ...DEFAULT_PLUGIN_LIMITS, toolsDeadline: 60_000 }, log, { thread })
  expect(p.state).toBe("active")
  const call = p.filterTools([]).catch((e: unknown) => e)
  await waitFor("the hook to run", () => lines.some((l) => l.includes("spinning")))
  await thread[Symbol.asyncDispose]()
  const err = await call
  expect(String((err as Error).message)).toContain("sandbox disposed")
  expect((err as Error & { cause?: unknown }).cause).toBeInstanceOf(SandboxStopped)
  expect(p.info().faults).toBe(0)
  expect(p.info().hooksOff).toBeUndefined()
  expect(lines.filter((l) => l.startsWith("warn") || l.startsWith("error"))).toEqual([])
}, 30_000)
