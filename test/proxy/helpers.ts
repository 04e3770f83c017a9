/**
 * @module test/proxy/helpers
 * Shared setup for pool/proxy tests: paths of the real npm servers and the fault fixture, config
 * building, a call context, a log capture, and process-table checks via /proc.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { ConfigSchema, type Config, type ConfigInput } from "../../src/config/index.ts"
import { createLogger, createLogHub, type LogRecord, type Logger } from "../../src/core/index.ts"
import type { CallContext } from "../../src/proxy/index.ts"
import { isAlive, pidsWhere } from "../helpers/proc.ts"

export const ROOT = join(import.meta.dir, "..", "..")
const NM = join(ROOT, "node_modules", "@modelcontextprotocol")
export const EVERYTHING = join(NM, "server-everything", "dist", "index.js")
export const MEMORY = join(NM, "server-memory", "dist", "index.js")
export const FILESYSTEM = join(NM, "server-filesystem", "dist", "index.js")
export const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
export const BUN = process.execPath

export const everythingStdio = { command: "node", args: [EVERYTHING, "stdio"] }
export const fault = (...flags: string[]) => ({ command: BUN, args: [FAULT, ...flags] })

export function config(input: ConfigInput): Config {
  return ConfigSchema.parse(input)
}

export interface Ctx extends CallContext {
  notes: { method: string; params?: Record<string, unknown> }[]
  controller: AbortController
}

export function ctx(progressToken?: string | number): Ctx {
  const controller = new AbortController()
  const notes: Ctx["notes"] = []
  return {
    signal: controller.signal,
    controller,
    notes,
    ...(progressToken !== undefined ? { progressToken } : {}),
    async notify(n) {
      notes.push(n)
    },
  }
}

/** A logger whose records the test can read (level debug, nothing written to the terminal). */
export function captureLog(): { log: Logger; records: LogRecord[] } {
  const records: LogRecord[] = []
  const hub = createLogHub("error", () => {})
  hub.sinks.add((r) => records.push(r))
  return { log: createLogger(hub, "test"), records }
}

/** Is `pid` a live (non-zombie) process? */
export const alive = isAlive

/** Live processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  return pidsWhere((f) => Number(f[2]) === pgid && f[0] !== "Z")
}

/** Polls `pred` (sync or async) every `step` ms until it holds or `ms` passed; its last answer. */
export async function until(pred: () => boolean | Promise<boolean>, ms: number, step = 20): Promise<boolean> {
  const end = performance.now() + ms
  while (performance.now() < end) {
    if (await pred()) return true
    await Bun.sleep(step)
  }
  return pred()
}

export function rssBytes(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))
  return m ? Number(m[1]) * 1024 : 0
}

export const hasProc = existsSync("/proc/self/stat")
