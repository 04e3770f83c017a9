/**
 * @module sandbox/thread
 * `SandboxThread`: one worker thread hosting any number of sandbox units (each its own QuickJS
 * WASM module), one request at a time, each under a host watchdog. Sharing a thread keeps chained
 * calls across several units cheap (no cross-thread wake-ups per unit).
 */
import { handedJson, type Handed, type Logger } from "../core/index.ts"
import { spawnWorker, stopWorker, waitForWorkerSlot, workerThreadId } from "./spawn.ts"
import { StarvedWatch } from "./starved.ts"
import { quickjsWasm } from "./wasm.ts"
import { visiblePath } from "./visible.ts"
import { SandboxFault, SandboxStopped, WATCHDOG_GRACE_MS, type ExportPath, type FaultInfo, type LogLevelName, type ResultMessage, type SandboxLimits, type ToWorker } from "./types.ts"

export type UnitRequest =
  | { op: "load"; unit: number; limits: SandboxLimits; code: string; filename: string; releases?: number[]; checked?: boolean }
  | { op: "call"; unit: number; path: ExportPath; args: string }
  | { op: "transpile"; unit: number; code: string; filename: string }

export type UnitAnswer = { ok: true; json: string | undefined } | { ok: false; fault: FaultInfo; recycle: boolean }

interface Pending {
  id: number
  resolve: (a: UnitAnswer) => void
  reject: (e: SandboxFault) => void
  timer: ReturnType<typeof setTimeout>
  /** A call's arguments (JSON text): what its lines and fault may carry on as they are. */
  handed?: Handed
}

let nextUnit = 1

export class SandboxThread implements AsyncDisposable {
  /** Bumped whenever the worker is replaced: units loaded in an older generation must reload. */
  generation = 0
  workersStarted = 0
  private worker: Worker | undefined
  private pending: Pending | undefined
  private tail: Promise<unknown> = Promise.resolve()
  private seq = 0
  private disposed = false
  private readonly logs = new Map<number, (level: LogLevelName, msg: string) => void>()
  /** Each unit's label (its plugin file): a watchdog kill names whose request the worker was stuck in. */
  private readonly labels = new Map<number, string>()

  constructor(private readonly log: Logger) {}

  /** A new unit id on this thread; `onLog` receives the unit's console lines. */
  register(onLog: (level: LogLevelName, msg: string) => void, label?: string): number {
    const unit = nextUnit++
    this.logs.set(unit, onLog)
    if (label !== undefined) this.labels.set(unit, label)
    return unit
  }

  /** Forget a unit and free its engine in the worker. */
  unregister(unit: number): void {
    this.logs.delete(unit)
    this.labels.delete(unit)
    this.worker?.postMessage({ op: "drop", unit } satisfies ToWorker)
  }

  get running(): boolean {
    return this.worker !== undefined
  }

  /** Run `job` after every job queued before it (requests on one thread never overlap). */
  run<T>(job: () => Promise<T>): Promise<T> {
    const out = this.tail.then(job, job)
    this.tail = out.catch(() => undefined)
    return out
  }

  /**
   * Send one request and wait for its answer, `deadlineMs` + grace at most; past that the worker is
   * killed (every unit on it must reload) and a "watchdog" fault is thrown. Call inside `run`.
   */
  async exchange(req: UnitRequest, deadlineMs: number): Promise<UnitAnswer> {
    const w = await this.ensureWorker()
    return new Promise<UnitAnswer>((resolve, reject) => {
      const id = ++this.seq
      const watch = new StarvedWatch(deadlineMs, workerThreadId(w))
      const fire = (): void => {
        if (this.pending?.id !== id) return
        // a worker that never got the CPU (a busy machine) is waited for a little longer (sandbox/starved)
        const more = watch.more()
        if (more > 0) {
          this.pending.timer = setTimeout(fire, more)
          return
        }
        this.pending = undefined
        const label = this.labels.get(req.unit)
        // the thread may spin on inside that native step (sandbox/spawn): its warnings name the plugin it was running
        this.kill(label === undefined ? undefined : `the plugin sandbox worker stopped in ${visiblePath(label)}`)
        this.log.warn("sandbox watchdog killed the worker", { unit: req.unit, ...(label !== undefined ? { sandbox: label } : {}), deadlineMs, extended: watch.extended })
        reject(new SandboxFault({ kind: "watchdog", message: `no answer within ${deadlineMs} ms + ${WATCHDOG_GRACE_MS} ms grace; worker killed${watch.note()}` }))
      }
      const timer = setTimeout(fire, deadlineMs + WATCHDOG_GRACE_MS)
      this.pending = { id, resolve, reject, timer, ...(req.op === "call" ? { handed: handedJson(req.args) } : {}) }
      w.postMessage({ ...req, id, deadlineMs } satisfies ToWorker)
    })
  }

  /**
   * Stop the worker at once; the request under way (a load scanning a large source, a slow call) is
   * rejected now, not when its watchdog would fire: a shutdown never waits for a guest.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.disposed = true
    this.kill()
    this.logs.clear()
    const p = this.pending
    this.pending = undefined
    if (!p) return
    clearTimeout(p.timer)
    p.reject(new SandboxStopped())
  }

  private async ensureWorker(): Promise<Worker> {
    if (this.disposed) throw new SandboxStopped()
    if (this.worker) return this.worker
    const wasm = await quickjsWasm()
    // while stopped threads fill the cap, wait (bounded) for one to end instead of failing at once
    await waitForWorkerSlot()
    if (this.disposed) throw new SandboxStopped()
    if (this.worker) return this.worker
    this.worker = spawnWorker(wasm, {
      onResult: (from, m) => this.onResult(from, m),
      onLog: (unit, level, msg) => this.logs.get(unit)?.(level, msg),
      onDeath: (from, message) => this.onDeath(from, message),
      handed: (id) => (this.pending?.id === id ? this.pending.handed : undefined),
      log: this.log,
    })
    this.workersStarted++
    return this.worker
  }

  private onResult(w: Worker, m: ResultMessage): void {
    const p = this.pending
    if (w !== this.worker || !p || p.id !== m.id) return
    this.pending = undefined
    clearTimeout(p.timer)
    p.resolve(m.ok ? { ok: true, json: m.json } : { ok: false, fault: m.fault, recycle: m.recycle })
  }

  private onDeath(w: Worker, message: string): void {
    if (w !== this.worker) return
    this.worker = undefined
    this.generation++
    const p = this.pending
    if (!p) return
    this.pending = undefined
    clearTimeout(p.timer)
    p.reject(new SandboxFault({ kind: "crash", message }))
  }

  /** `stuck`: how a warning names the thread if it outlives its stop (sandbox/spawn). */
  private kill(stuck?: string): void {
    const w = this.worker
    this.worker = undefined
    this.generation++
    stopWorker(w, stuck)
  }
}
