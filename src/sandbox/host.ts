/**
 * @module sandbox/host
 * `Sandbox`: one guest module in its own worker thread (one QuickJS WASM module, capped memory),
 * called with JSON in and JSON out, one call at a time, each under a deadline and a host watchdog.
 */
import type { Logger } from "../core/index.ts"
import { quickjsWasm } from "./wasm.ts"
import { spawnWorker, stopWorker } from "./spawn.ts"
import { SyncLane } from "./sync-lane.ts"
import {
  DEFAULT_LIMITS,
  SandboxFault,
  WATCHDOG_GRACE_MS,
  type ExportPath,
  type ExportShape,
  type FaultInfo,
  type ResultMessage,
  type SandboxLimits,
  type ToWorker,
} from "./types.ts"

export interface SandboxOptions {
  /** Shown in logs (e.g. the plugin file). */
  label: string
  limits?: Partial<SandboxLimits>
  log: Logger
}

export interface SandboxStats {
  /** Workers started so far (1 + recycles). */
  workers: number
  calls: number
  faults: number
  /** Whether a worker is running right now. */
  running: boolean
}

interface Pending {
  id: number
  resolve: (json: string | undefined) => void
  reject: (e: SandboxFault) => void
  timer: ReturnType<typeof setTimeout>
}

type Request = { op: "load"; code: string; filename: string } | { op: "call"; path: ExportPath; args: string }

export class Sandbox implements AsyncDisposable {
  readonly limits: SandboxLimits
  private worker: Worker | undefined
  /** True once the current worker has evaluated `source`. */
  private loaded = false
  private source: { code: string; filename: string; deadlineMs: number } | undefined
  private pending: Pending | undefined
  private tail: Promise<unknown> = Promise.resolve()
  private seq = 0
  private disposed = false
  private lane: SyncLane | undefined
  private readonly stats_: SandboxStats = { workers: 0, calls: 0, faults: 0, running: false }

  constructor(private readonly opts: SandboxOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits }
    if (this.limits.stackBytes > 512 * 1024) this.limits.stackBytes = 512 * 1024
  }

  /** Evaluate `code` as an ES module; returns the JSON shape of its default export. Kept for restarts. */
  async load(code: string, filename: string, deadlineMs: number): Promise<ExportShape> {
    this.source = { code, filename, deadlineMs }
    return this.enqueue(async () => {
      this.loaded = false
      const json = await this.exchange({ op: "load", code, filename }, deadlineMs)
      this.loaded = true
      return json === undefined ? undefined : (JSON.parse(json) as ExportShape)
    })
  }

  /** Call the function at `path` of the default export. Arguments and result cross as JSON. */
  async call(path: ExportPath, args: readonly unknown[], deadlineMs: number): Promise<unknown> {
    const argsJson = JSON.stringify(args)
    return this.enqueue(async () => {
      await this.reloadIfNeeded()
      this.stats_.calls++
      const json = await this.exchange({ op: "call", path, args: argsJson }, deadlineMs)
      if (json === undefined) return undefined
      let parsed: unknown
      try {
        parsed = JSON.parse(json)
      } catch {
        throw new SandboxFault({ kind: "result", message: "hook result is not valid JSON" })
      }
      return (parsed as { v?: unknown }).v
    })
  }

  /**
   * Same as `call`, but blocks the calling thread (at most deadline + grace) and returns the result.
   * Runs in a second worker of its own, so it never waits behind asynchronous calls.
   */
  callSync(path: ExportPath, args: readonly unknown[], deadlineMs: number): unknown {
    const src = this.source
    if (!src || this.disposed) throw new SandboxFault({ kind: "crash", message: "no module loaded" })
    this.lane ??= new SyncLane(this.limits, this.opts.log, this.opts.label)
    this.stats_.calls++
    let json: string | undefined
    try {
      json = this.lane.run(src, { op: "call", path, args: JSON.stringify(args) }, deadlineMs)
    } catch (e) {
      this.stats_.faults++
      throw e
    }
    return json === undefined ? undefined : (JSON.parse(json) as { v?: unknown }).v
  }

  stats(): SandboxStats {
    return { ...this.stats_, workers: this.stats_.workers + (this.lane?.workers ?? 0), running: this.worker !== undefined }
  }

  /** Stop the worker now (the next call starts a fresh one and re-evaluates the module). */
  recycle(): void {
    this.kill()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.disposed = true
    this.kill()
    this.lane?.stop()
    this.source = undefined
  }

  // --- internals ---

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job, job)
    this.tail = run.catch(() => undefined)
    return run
  }

  private async reloadIfNeeded(): Promise<void> {
    if (this.loaded && this.worker) return
    const src = this.source
    if (!src) throw new SandboxFault({ kind: "crash", message: "no module loaded" })
    await this.exchange({ op: "load", code: src.code, filename: src.filename }, src.deadlineMs)
    this.loaded = true
  }

  private async ensureWorker(): Promise<Worker> {
    if (this.disposed) throw new SandboxFault({ kind: "crash", message: "sandbox disposed" })
    if (this.worker) return this.worker
    const wasm = await quickjsWasm()
    if (this.disposed) throw new SandboxFault({ kind: "crash", message: "sandbox disposed" })
    const w = spawnWorker(wasm, this.limits, this.opts.log, this.opts.label, {
      onResult: (from, m) => this.onResult(from, m),
      onDeath: (from, message) => this.onWorkerDeath(from, message),
    })
    this.worker = w
    this.loaded = false
    this.stats_.workers++
    return w
  }

  /** Send one request and wait for its answer, the deadline plus grace at most. */
  private async exchange(req: Request, deadlineMs: number): Promise<string | undefined> {
    const w = await this.ensureWorker()
    return new Promise<string | undefined>((resolve, reject) => {
      const id = ++this.seq
      const timer = setTimeout(() => {
        if (this.pending?.id !== id) return
        this.pending = undefined
        this.stats_.faults++
        this.kill()
        this.opts.log.warn("sandbox watchdog killed the worker", { sandbox: this.opts.label, deadlineMs })
        reject(new SandboxFault({ kind: "watchdog", message: `no answer within ${deadlineMs} ms + ${WATCHDOG_GRACE_MS} ms grace; worker killed` }))
      }, deadlineMs + WATCHDOG_GRACE_MS)
      this.pending = { id, resolve, reject, timer }
      w.postMessage({ ...req, id, deadlineMs } satisfies ToWorker)
    })
  }

  private onResult(w: Worker, m: ResultMessage): void {
    if (w !== this.worker) return
    const p = this.pending
    if (!p || p.id !== m.id) return
    this.pending = undefined
    clearTimeout(p.timer)
    if (m.ok) {
      p.resolve(m.json)
      return
    }
    this.stats_.faults++
    if (m.recycle) this.kill()
    else this.loaded = false // the engine discarded its runtime; the next call re-evaluates the module
    p.reject(new SandboxFault(m.fault))
  }

  private onWorkerDeath(w: Worker, message: string): void {
    if (w !== this.worker) return
    this.worker = undefined
    this.loaded = false
    const p = this.pending
    if (!p) return
    this.pending = undefined
    clearTimeout(p.timer)
    this.stats_.faults++
    p.reject(new SandboxFault({ kind: "crash", message } satisfies FaultInfo))
  }

  private kill(): void {
    const w = this.worker
    this.worker = undefined
    this.loaded = false
    stopWorker(w)
  }
}
