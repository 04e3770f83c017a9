/**
 * @module sandbox/sync-lane
 * Synchronous calls for callers that cannot await (a parser seam typed `(text, ctx) => unknown`):
 * a second worker for the same module, answered through a SharedArrayBuffer while the caller
 * blocks in `Atomics.wait` for at most the deadline plus the watchdog grace.
 */
import { handedJson, type Handed, type Logger } from "../core/index.ts"
import { compileScanAllowanceMs } from "./compile-budget.ts"
import { spawnWorker, stopWorker, workerThreadId } from "./spawn.ts"
import { receivedFault } from "./received.ts"
import { StarvedWatch } from "./starved.ts"
import { quickjsWasmSync } from "./wasm.ts"
import { visiblePath } from "./visible.ts"
import type { GuestLogGate } from "./log-gate.ts"
import type { UnitRequest } from "./thread.ts"
import { SAB_BYTES, SAB_HEADER, SandboxFault, WATCHDOG_GRACE_MS, type ExportPath, type LogLevelName, type ResultMessage, type SandboxLimits, type ToWorker } from "./types.ts"

const UNIT = 1

/**
 * Calls whose arguments are kept for their console lines at most. The lines of a call reach the
 * host only after it returned (the caller blocked, the lines wait on the event loop), so each call's
 * `Handed` is kept by its id until a later call's line came; a caller making more calls than this
 * in one turn has its oldest calls' lines scrubbed of every re-encoded form (the strict side).
 */
const MAX_HANDED = 64

export class SyncLane {
  private worker: Worker | undefined
  private loaded = false
  private seq = 0
  private sab: SharedArrayBuffer | undefined
  /** What each recent call was handed, by request id (see MAX_HANDED). */
  private readonly handedBy = new Map<number, Handed>()
  workers = 0

  constructor(
    private readonly limits: SandboxLimits,
    private readonly log: Logger,
    private readonly label: string,
    /** Where the guest's console lines go (its sandbox's rate limit). */
    private readonly gate: GuestLogGate,
  ) {}

  /** Ensure the module is evaluated in this lane's worker, then run one request; returns the JSON. */
  run(source: { code: string; filename: string; deadlineMs: number; checked: boolean }, req: { path: ExportPath; args: string }, deadlineMs: number): string | undefined {
    if (!this.loaded || !this.worker) {
      const scan = source.checked ? 0 : compileScanAllowanceMs(source.code.length)
      this.exchange({ op: "load", unit: UNIT, limits: this.limits, code: source.code, filename: source.filename, checked: source.checked }, source.deadlineMs + scan)
      this.loaded = true
    }
    return this.exchange({ op: "call", unit: UNIT, ...req }, deadlineMs)
  }

  /** `stuck`: how a warning names the thread if it outlives its stop (sandbox/spawn). */
  stop(stuck?: string): void {
    stopWorker(this.worker, stuck)
    this.worker = undefined
    this.loaded = false
  }

  private ensure(): Worker {
    if (this.worker) return this.worker
    const dead = (w: Worker): void => {
      if (w === this.worker) {
        this.worker = undefined
        this.loaded = false
      }
    }
    const onLog = (level: LogLevelName, msg: string): void => this.gate.line(level, msg)
    // a console line carries on as it is what its call was handed, as on the async lane (sandbox/received)
    this.worker = spawnWorker(quickjsWasmSync(), { onResult: () => {}, onLog: (_unit, level, msg) => onLog(level, msg), onDeath: dead, handed: (id) => this.handedFor(id), log: this.log })
    this.loaded = false
    this.workers++
    return this.worker
  }

  /** Request `id`'s `Handed`; the calls before it have written their last line. */
  private handedFor(id: number): Handed | undefined {
    for (const k of this.handedBy.keys()) if (k < id) this.handedBy.delete(k)
    return this.handedBy.get(id)
  }

  private exchange(req: Exclude<UnitRequest, { op: "transpile" }>, deadlineMs: number): string | undefined {
    const w = this.ensure()
    this.sab ??= new SharedArrayBuffer(SAB_BYTES)
    const head = new Int32Array(this.sab, 0, 2)
    Atomics.store(head, 0, 0)
    const id = ++this.seq
    const handed = req.op === "call" ? handedJson(req.args) : undefined
    if (handed) {
      this.handedBy.set(id, handed)
      if (this.handedBy.size > MAX_HANDED) this.handedBy.delete(this.handedBy.keys().next().value!)
    }
    const watch = new StarvedWatch(deadlineMs, workerThreadId(w))
    w.postMessage({ ...req, id, deadlineMs, sab: this.sab } satisfies ToWorker)
    // The first request of a new worker also pays for its start (~30 ms): allow a little more.
    const budget = deadlineMs + WATCHDOG_GRACE_MS + (this.loaded ? 0 : 1000)
    let waited = Atomics.wait(head, 0, 0, budget)
    // a worker that never got the CPU (a busy machine) is waited for a little longer (sandbox/starved)
    for (let more = 0; waited === "timed-out" && (more = watch.more()) > 0; ) waited = Atomics.wait(head, 0, 0, more)
    if (waited === "timed-out") {
      this.stop(`the plugin sandbox worker stopped in ${visiblePath(this.label)} (synchronous lane)`)
      throw new SandboxFault({ kind: "watchdog", message: `no answer within ${deadlineMs} ms + ${WATCHDOG_GRACE_MS} ms grace; worker killed${watch.note()}` })
    }
    const bytes = new Uint8Array(this.sab, SAB_HEADER, head[1]).slice()
    const m = JSON.parse(new TextDecoder().decode(bytes)) as ResultMessage
    if (m.ok) return m.json
    if (m.recycle) this.stop()
    else this.loaded = false
    throw new SandboxFault(receivedFault(m.fault, handed))
  }
}
