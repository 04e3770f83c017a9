/**
 * @module sandbox/spawn
 * Start a sandbox worker: the entry sits next to this file in the source tree and under
 * `sandbox/` in a compiled binary (scripts/build.ts lists src/sandbox/worker.ts as an entrypoint).
 */
import { existsSync } from "node:fs"
import type { Handed, Logger } from "../core/index.ts"
import { SandboxUnavailable, type FromWorker, type LogLevelName, type ResultMessage, type ToWorker } from "./types.ts"
import { receivedFault, receivedLine } from "./received.ts"
import { yieldCpu } from "./yield-cpu.ts"

/**
 * The URL of the worker entry `entry` (a file of src/sandbox/), seen from the sandbox module `self`
 * whose `import.meta.url` is `here`: next to it in the source tree, under `sandbox/` in a compiled binary.
 */
export function sandboxEntryUrl(here: string, self: string, entry: string): string {
  if (here.endsWith(`/sandbox/${self}.ts`) || here.endsWith(`/sandbox/${self}.js`)) return new URL(`./${entry}.ts`, here).href
  // compiled: entries sit under the common root of all entrypoints (src/ in scripts/build.ts)
  for (const rel of [`./sandbox/${entry}.js`, `./src/sandbox/${entry}.js`]) {
    const url = new URL(rel, here)
    if (existsSync(url)) return url.href
  }
  return new URL(`./sandbox/${entry}.ts`, here).href
}

let resolved: string | undefined

function workerUrl(): string {
  return (resolved ??= sandboxEntryUrl(import.meta.url, "spawn", "worker"))
}

export interface SpawnHandlers {
  onResult(w: Worker, m: ResultMessage): void
  onLog(unit: number, level: LogLevelName, msg: string): void
  onDeath(w: Worker, message: string): void
  /** What request `id` was handed (a hook's arguments): its line or fault may carry it on as it is (core/secret-encodings `Handed`). */
  handed?(id: number): Handed | undefined
  /** Told when a stopped thread's priority is lowered (sandbox/yield-cpu). */
  log?: Logger
}

/**
 * Plugin worker threads stopped but not ended at most (they count toward the cap while they live).
 * `terminate()` cannot interrupt a thread inside one native operation (compiling source with tens
 * of thousands of declarations, a BigInt of a million bits turned into a string: seconds to hours):
 * such a thread keeps its core and every sandbox memory on it (up to the lane's 1 GiB) until that
 * operation ends. Each watchdog kill leaves one, and the next request starts a fresh worker; without
 * a cap, plugin files or hooks killed one after the other pile them up without bound.
 */
export const MAX_LINGERING_WORKERS = 4
let maxLingering = MAX_LINGERING_WORKERS

/** Tests: another cap (a smaller one needs fewer threads spinning to reach it); returns the previous one. */
export function setMaxLingeringWorkers(n: number): number {
  const was = maxLingering
  maxLingering = n
  return was
}

/** Workers stopped (terminate() called) whose thread has not ended yet. */
const lingering = new Set<Worker>()
const ended = new WeakSet<Worker>()
/** Each worker's OS thread id (reported by the worker at its start) and the log its spawner gave. */
const threads = new WeakMap<Worker, { tid?: number; log?: Logger }>()

/**
 * A stopped worker whose thread has not ended this long after is inside a native operation: its
 * priority is lowered to the lowest (sandbox/yield-cpu) so it stops competing for the CPU.
 */
export const STUCK_AFTER_MS = 1000
/** Woken whenever a stopped thread ends (see waitForWorkerSlot). */
const slotWaiters = new Set<() => void>()

/**
 * How long a load or call that needs a new worker waits for a stopped thread to end while the cap
 * is reached (the native steps left uninterruptible take seconds: sandbox/compile-budget.ts,
 * docs/plugins.md *Limits*). Past it, spawnWorker refuses.
 */
export const WORKER_SLOT_WAIT_MS = 30_000
let slotWait = WORKER_SLOT_WAIT_MS

/** Tests: another wait for a slot (0: refuse at once); returns the previous one. */
export function setWorkerSlotWait(ms: number): number {
  const was = slotWait
  slotWait = ms
  return was
}

/**
 * Resolves once fewer than the cap of stopped threads run, or after `maxWaitMs` (then spawnWorker
 * refuses, saying why). Before, a load or call that came while the cap was reached failed at once,
 * and a plugin file stayed failed until it changed, even when the stuck threads were another's.
 */
export async function waitForWorkerSlot(maxWaitMs = slotWait): Promise<void> {
  if (lingering.size < maxLingering || maxWaitMs <= 0) return
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      slotWaiters.delete(check)
      resolve()
    }
    const check = (): void => {
      if (lingering.size < maxLingering) done()
    }
    const timer = setTimeout(done, maxWaitMs)
    timer.unref?.()
    slotWaiters.add(check)
  })
}

/** How many stopped plugin worker threads are still running (a native operation they cannot leave). */
export function lingeringWorkers(): number {
  return lingering.size
}

/**
 * A new worker, initialised with the compiled WASM module. Throws SandboxUnavailable (a "crash"
 * fault), starting nothing, while MAX_LINGERING_WORKERS stopped threads still run: callers that
 * can wait call waitForWorkerSlot first.
 */
export function spawnWorker(wasm: WebAssembly.Module, h: SpawnHandlers): Worker {
  if (lingering.size >= maxLingering) {
    throw new SandboxUnavailable(
      `plugin sandboxes are unavailable: ${lingering.size} plugin worker threads the watchdog stopped are still inside a native operation that cannot be interrupted (no new one starts until one of them ends, so they cannot pile up; restarting the orchestrator ends them now)`,
    )
  }
  const w = new Worker(workerUrl(), { smol: true } as WorkerOptions)
  w.unref()
  w.addEventListener("close", () => {
    ended.add(w)
    if (lingering.delete(w)) for (const wake of [...slotWaiters]) wake()
  })
  const thread: { tid?: number; log?: Logger } = h.log ? { log: h.log } : {}
  threads.set(w, thread)
  w.onmessage = (ev: MessageEvent<FromWorker>) => {
    const m = ev.data
    // a line or fault text the worker cut only to its bound + SECRET_CUT_MARGIN: cut here, secret-safe
    if (m.op === "log") h.onLog(m.unit, m.level, receivedLine(m.msg, h.handed?.(m.id)))
    else if (m.op === "thread") thread.tid = m.tid
    else h.onResult(w, m.ok ? m : { ...m, fault: receivedFault(m.fault, h.handed?.(m.id)) })
  }
  w.onerror = (ev: ErrorEvent) => h.onDeath(w, `worker error: ${ev.message}`)
  w.addEventListener("close", () => h.onDeath(w, "worker exited"))
  w.postMessage({ op: "init", wasm } satisfies ToWorker)
  return w
}

/** The operating system's id of `w`'s thread, once the worker reported it (Linux). */
export function workerThreadId(w: Worker): number | undefined {
  return threads.get(w)?.tid
}

/** `stuck`: how the warning names the thread if it is still inside a native step a second later (the plugin it ran). */
export function stopWorker(w: Worker | undefined, stuck = "a plugin sandbox worker"): void {
  if (!w) return
  w.onmessage = null
  if (!ended.has(w)) lingering.add(w)
  w.terminate()
  const t = threads.get(w)
  if (t?.tid === undefined || !t.log) return
  const { tid, log } = t
  setTimeout(() => {
    if (!ended.has(w)) void yieldCpu(tid, log, stuck)
  }, STUCK_AFTER_MS).unref()
}
