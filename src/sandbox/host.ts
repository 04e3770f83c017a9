/**
 * @module sandbox/host
 * `Sandbox`: one guest ES module in its own QuickJS WASM module (capped memory), living on a worker
 * thread (its own, or a SandboxThread shared with other sandboxes), called with JSON in and JSON
 * out, one call at a time, each under a deadline and a host watchdog.
 */
import type { Logger } from "../core/index.ts"
import { compileScanAllowanceMs } from "./compile-budget.ts"
import { receivedValue } from "./received.ts"
import { SyncLane } from "./sync-lane.ts"
import { GuestLogGate } from "./log-gate.ts"
import { isTypeScript, transpiledFrom, transpileModule, type Transpiled, type TranspiledJson } from "./transpile.ts"
import { SandboxThread, type UnitAnswer, type UnitRequest } from "./thread.ts"
import { DEFAULT_LIMITS, MAX_STACK_BYTES, SandboxFault, SandboxStopped, SandboxUnavailable, type ExportPath, type ExportShape, type SandboxLimits } from "./types.ts"

export interface SandboxOptions {
  /** Shown in logs (e.g. the plugin file). */
  label: string
  limits?: Partial<SandboxLimits>
  log: Logger
  /** Run on this shared thread (default: a private one, created lazily). */
  thread?: SandboxThread
  /**
   * The rate limit the guest's console lines pass (sandbox/log-gate); share one between the
   * sandboxes of one plugin (its route lane) so the limit is the plugin's. Default: one of its own.
   */
  logGate?: GuestLogGate
}

/** Callbacks of one `Sandbox.call`, run on the thread's turn (see `call`). */
export interface CallTurn {
  /** Runs when the call's turn comes, before anything is sent; throw to cancel the call. */
  admit?: () => void
  /** The call's fault, before the next queued call starts. */
  failed?: (fault: SandboxFault) => void
}

export interface SandboxStats {
  /** Workers started so far on this sandbox's thread (1 + restarts) plus its sync lane. */
  workers: number
  calls: number
  faults: number
  /** Whether its thread has a worker right now. */
  running: boolean
}

export class Sandbox implements AsyncDisposable {
  readonly limits: SandboxLimits
  private readonly thread: SandboxThread
  private readonly ownThread: boolean
  private readonly unit: number
  /** Thread generation in which the module was last evaluated (-1: must (re)load before a call). */
  private loadedGen = -1
  /** `checked`: it passed the compile estimate (a load succeeded): reloads skip the scan. */
  private source: { code: string; filename: string; deadlineMs: number; checked: boolean } | undefined
  private lane: SyncLane | undefined
  private disposed = false
  /** A rebuild after a fault is queued on the thread (see rebuildSoon). */
  private rebuilding = false
  private calls = 0
  private faults = 0
  private readonly logGate: GuestLogGate

  constructor(private readonly opts: SandboxOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits }
    this.limits.stackBytes = Math.min(this.limits.stackBytes, MAX_STACK_BYTES)
    this.ownThread = opts.thread === undefined
    this.thread = opts.thread ?? new SandboxThread(opts.log)
    this.logGate = opts.logGate ?? new GuestLogGate((level, msg) => opts.log[level](msg, { sandbox: opts.label, guest: true }))
    this.unit = this.thread.register((level, msg) => this.logGate.line(level, msg), opts.label)
  }

  /**
   * Evaluate `code` as an ES module; returns the JSON shape of its default export. Kept for restarts.
   * `opts.replaces`: the sandbox of the version this one replaces (a hot reload); on the same
   * thread, its memory counts as released toward the lane's budget (worker.ts) while it finishes
   * its calls, so a valid new version is not refused for memory the old one is about to give back.
   * `opts.checked`: the same code already passed the compile estimate in another sandbox (the
   * plugin's route lane after its main load). The estimate runs on the worker, never here: the
   * main thread does nothing proportional to the source's size (compile-budget.ts).
   */
  async load(code: string, filename: string, deadlineMs: number, opts: { replaces?: Sandbox | undefined; checked?: boolean } = {}): Promise<ExportShape> {
    const source = { code, filename, deadlineMs, checked: opts.checked === true }
    this.source = source
    this.lane?.stop()
    return this.thread.run(async () => {
      // disposed while this load waited its turn (e.g. a background load of a retired plugin)
      if (this.disposed) throw new SandboxStopped()
      this.loadedGen = -1
      const old = opts.replaces
      const releases = old && old !== this && old.thread === this.thread && !old.disposed ? [old.unit] : undefined
      const scan = source.checked ? 0 : compileScanAllowanceMs(code.length)
      const json = this.answer(await this.send({ op: "load", unit: this.unit, limits: this.limits, code, filename, checked: source.checked, ...(releases ? { releases } : {}) }, deadlineMs + scan))
      source.checked = true
      return json === undefined ? undefined : (JSON.parse(json) as ExportShape)
    })
  }

  /**
   * `source` as the JavaScript this sandbox runs (TypeScript stripped of its types; JavaScript as
   * is), with the map of its lines back to the source's. The work (~0.1 s per MB) is done on the
   * sandbox's worker, never on the caller's thread; a SyntaxError comes as a guest fault with its line.
   */
  async transpile(source: string, filename: string): Promise<Transpiled> {
    if (!isTypeScript(filename)) return transpileModule(source, filename)
    return this.thread.run(async () => {
      if (this.disposed) throw new SandboxStopped()
      const json = this.answer(await this.thread.exchange({ op: "transpile", unit: this.unit, code: source, filename }, compileScanAllowanceMs(source.length) + 1000))
      return transpiledFrom(JSON.parse(json!) as TranspiledJson)
    })
  }

  /**
   * Call the function at `path` of the default export. Arguments and result cross as JSON. Calls
   * queue on the thread; `turn.admit` runs when this one's turn comes (throwing cancels it, nothing
   * is sent), `turn.failed` gets its fault before the next queued call starts (so an owner can
   * refuse calls queued behind one the watchdog had to kill).
   */
  async call(path: ExportPath, args: readonly unknown[], deadlineMs: number, turn: CallTurn = {}): Promise<unknown> {
    const argsJson = JSON.stringify(args)
    return this.thread.run(async () => {
      turn.admit?.()
      // set once the module is evaluated for this call: only a fault of the call itself queues a
      // rebuild (a module that cannot be evaluated again is tried once per call, not twice)
      let evaluated = false
      try {
        if (this.loadedGen !== this.thread.generation) await this.evaluateAgain()
        evaluated = true
        this.calls++
        return unwrapJson(this.answer(await this.send({ op: "call", unit: this.unit, path, args: argsJson }, deadlineMs + inputAllowanceMs(argsJson.length))), argsJson)
      } catch (e) {
        if (e instanceof SandboxFault) {
          turn.failed?.(e)
          if (evaluated) this.rebuildSoon()
        }
        throw e
      }
    })
  }

  /**
   * Same as `call`, but blocks the calling thread (at most deadline + grace) and returns the result.
   * Runs in a worker of its own (the sync lane), so it never waits behind asynchronous calls.
   */
  callSync(path: ExportPath, args: readonly unknown[], deadlineMs: number): unknown {
    const src = this.source
    if (!src || this.disposed) throw new SandboxFault({ kind: "crash", message: "no module loaded" })
    this.lane ??= new SyncLane(this.limits, this.opts.log, this.opts.label, this.logGate)
    this.calls++
    try {
      const argsJson = JSON.stringify(args)
      return unwrapJson(this.lane.run(src, { path, args: argsJson }, deadlineMs + inputAllowanceMs(argsJson.length)), argsJson)
    } catch (e) {
      this.faults++
      throw e
    }
  }

  stats(): SandboxStats {
    return { workers: this.thread.workersStarted + (this.lane?.workers ?? 0), calls: this.calls, faults: this.faults, running: this.thread.running }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    this.lane?.stop()
    this.source = undefined
    this.thread.unregister(this.unit)
    // lines dropped by the rate limit are said now, not lost with the sandbox (a shared gate: by each, once)
    this.logGate.flush()
    if (this.ownThread) await this.thread[Symbol.asyncDispose]()
  }

  // --- internals ---

  /**
   * Evaluate the module again (after a fault discarded its runtime, or a new worker), under the
   * load deadline, not the call's: a module whose top-level code takes longer than a hook's
   * deadline (50 ms for route) would otherwise fault again on every call. Its failure says so.
   */
  private async evaluateAgain(): Promise<void> {
    const src = this.source
    if (!src || this.disposed) throw new SandboxFault({ kind: "crash", message: "no module loaded" })
    try {
      this.answer(await this.send({ op: "load", unit: this.unit, limits: this.limits, code: src.code, filename: src.filename, checked: src.checked }, src.deadlineMs + (src.checked ? 0 : compileScanAllowanceMs(src.code.length))))
    } catch (e) {
      // no worker could start (stopped threads fill the cap): not the module's failure
      if (!(e instanceof SandboxFault) || e instanceof SandboxUnavailable) throw e
      throw new SandboxFault({ ...e.toInfo(), message: `evaluating the module again failed (its sandbox had been reset: an earlier fault, a worker restart or a failed load): ${e.message}` })
    }
  }

  /**
   * After a fault the module is evaluated again at once, on the thread's queue, off the path of
   * the next call: that call (queued behind the rebuild) finds it ready instead of paying for the
   * module's top-level code. A rebuild that fails is logged naming the file; the next call tries
   * again and fails with that error. Nothing happens for a sandbox disposed meanwhile (a hook
   * turned off, a plugin retired) or already loaded again.
   */
  private rebuildSoon(): void {
    if (this.disposed || this.rebuilding || !this.source) return
    this.rebuilding = true
    void this.thread
      .run(async () => {
        this.rebuilding = false
        if (this.disposed || this.loadedGen === this.thread.generation) return
        await this.evaluateAgain()
      })
      .catch((e: unknown) => {
        this.rebuilding = false
        if (this.disposed) return
        this.opts.log.warn("plugin sandbox could not be rebuilt after a fault; its next call tries again", { sandbox: this.opts.label, error: (e as Error).message })
      })
  }

  private async send(req: UnitRequest, deadlineMs: number): Promise<UnitAnswer> {
    try {
      const a = await this.thread.exchange(req, deadlineMs)
      if (a.ok && req.op === "load") this.loadedGen = this.thread.generation
      return a
    } catch (e) {
      // watchdog or worker death: the thread restarts, this unit reloads on its next call
      this.loadedGen = -1
      this.faults++
      throw e
    }
  }

  private answer(a: UnitAnswer): string | undefined {
    if (a.ok) return a.json
    this.faults++
    // after any fault the engine dropped its runtime (or its whole module): evaluate again next time
    this.loadedGen = -1
    throw new SandboxFault(a.fault)
  }
}

/** A hook's answer parsed; `argsJson`: the arguments it was called with (what they held it may hand on as it is). */
function unwrapJson(json: string | undefined, argsJson: string): unknown {
  if (json === undefined) return undefined
  let v: unknown
  try {
    v = (JSON.parse(json) as { v?: unknown }).v
  } catch {
    throw new SandboxFault({ kind: "result", message: "hook result is not valid JSON" })
  }
  return receivedValue(v, json, argsJson)
}

/**
 * Time on top of a hook's deadline for decoding its input inside the sandbox (one native step the
 * deadline cannot interrupt): 1 ms per 16 Ki characters of JSON, so a large input is not a fault of
 * the plugin's (1 MiB: +64 ms). What may come in is bounded by each caller (plugins.routeArgsLimit).
 */
export function inputAllowanceMs(jsonChars: number): number {
  return Math.ceil(jsonChars / 16384)
}
