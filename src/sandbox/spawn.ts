/**
 * @module sandbox/spawn
 * Start a sandbox worker: the entry sits next to this file in the source tree and under
 * `sandbox/` in a compiled binary (scripts/build.ts lists src/sandbox/worker.ts as an entrypoint).
 */
import { existsSync } from "node:fs"
import type { FromWorker, LogLevelName, ResultMessage, ToWorker } from "./types.ts"

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
}

/** A new worker, initialised with the compiled WASM module. */
export function spawnWorker(wasm: WebAssembly.Module, h: SpawnHandlers): Worker {
  const w = new Worker(workerUrl(), { smol: true } as WorkerOptions)
  w.unref()
  w.onmessage = (ev: MessageEvent<FromWorker>) => {
    const m = ev.data
    if (m.op === "log") h.onLog(m.unit, m.level, m.msg)
    else h.onResult(w, m)
  }
  w.onerror = (ev: ErrorEvent) => h.onDeath(w, `worker error: ${ev.message}`)
  w.addEventListener("close", () => h.onDeath(w, "worker exited"))
  w.postMessage({ op: "init", wasm } satisfies ToWorker)
  return w
}

export function stopWorker(w: Worker | undefined): void {
  if (!w) return
  w.onmessage = null
  w.terminate()
}
