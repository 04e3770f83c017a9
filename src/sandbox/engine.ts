/**
 * @module sandbox/engine
 * One QuickJS WASM module with a capped memory, one runtime + context at a time, one evaluated
 * ES module. Runs inside the sandbox worker; synchronous; knows nothing about what it runs.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core"
import { newCappedModule, newCappedRuntime, type CappedModule } from "./capped.ts"
import { GUARDED_ARRAY_METHODS, MAX_RESULT_CHARS, MAX_SENT_LOG_CHARS, PRELUDE } from "./prelude.ts"
import { newCompileCheck } from "./prelude-compile.ts"
import { guestFault, hostFault, unwrapGuest, type GuestState } from "./faults.ts"
import { guestLine } from "./guest-line.ts"
import { visibleText } from "./visible.ts"
import { lateResult, threadCpuMs } from "./late-result.ts"
import { SandboxFault, type ExportPath, type LogLevelName, type SandboxLimits } from "./types.ts"

/** Console lines per call; the rest are counted and reported once. */
const MAX_LOG_LINES = 50

export type LogFn = (level: LogLevelName, msg: string) => void

interface Live {
  rt: QuickJSRuntime
  ctx: QuickJSContext
  helpers: QuickJSHandle
  exp: QuickJSHandle
}

export class GuestEngine implements Disposable {
  /** Set when the module may be corrupted (OOM, trap, host-side error): the owner must rebuild it. */
  poisoned = false
  private live: Live | undefined
  private source: { code: string; filename: string } | undefined
  /** Read by the runtime's interrupt handler (capped.ts). */
  private readonly guard = { deadline: 0, memoryTripped: false }
  private logLines = 0
  private logDropped = 0

  private constructor(
    private readonly module: CappedModule,
    private readonly limits: SandboxLimits,
    private readonly onLog: LogFn,
  ) {}

  static async create(wasm: WebAssembly.Module, limits: SandboxLimits, onLog: LogFn): Promise<GuestEngine> {
    return new GuestEngine(await newCappedModule(wasm, limits, (text) => onLog("warn", `QuickJS engine output: ${visibleText(text)}`)), limits, onLog)
  }

  /** Evaluate `code` as an ES module and describe its default export (JSON, functions as `{"$fn":true}`). */
  load(code: string, filename: string, deadlineMs: number): string {
    this.discardLive()
    this.source = { code, filename }
    return this.guarded(deadlineMs, false, (live) => {
      using r = live.ctx.callMethod(live.helpers, "describe", [live.exp])
      if (r.error) throw this.guestFault(live, r.error)
      return live.ctx.getString(r.value)
    })
  }

  /** Call the function at `path` of the default export with JSON `args`; returns `{"v":…}` JSON. */
  call(path: ExportPath, argsJson: string, deadlineMs: number): string {
    if (!this.source) throw new SandboxFault({ kind: "crash", message: "no module loaded" })
    return this.guarded(deadlineMs, true, (live) => {
      const { ctx } = live
      using pathH = ctx.newString(JSON.stringify(path))
      using argsH = ctx.newString(argsJson)
      using r = ctx.callMethod(live.helpers, "call", [live.exp, pathH, argsH])
      if (r.error) throw this.guestFault(live, r.error)
      let json: string
      if (ctx.typeof(r.value) === "string") json = ctx.getString(r.value)
      else {
        // an async hook: run its jobs, then serialise the settled value
        using settled = this.settle(live, r.value)
        using j = ctx.callMethod(live.helpers, "json", [settled.value])
        if (j.error) throw this.guestFault(live, j.error)
        json = ctx.getString(j.value)
      }
      if (json.length > MAX_RESULT_CHARS) {
        throw new SandboxFault({ kind: "result", message: `hook result is ${json.length} characters (limit ${MAX_RESULT_CHARS})` })
      }
      return json
    })
  }

  /** Memory the module currently holds (WASM linear memory), bytes. */
  wasmBytes(): number {
    return this.module.memory.buffer.byteLength
  }

  [Symbol.dispose](): void {
    this.discardLive()
    this.source = undefined
  }

  // --- internals ---

  /**
   * Run `fn` on a live context under a deadline; any fault discards the runtime (and maybe the module).
   * `strict` (a hook call): a result that comes past the deadline is refused (see lateResult).
   */
  private guarded<T>(deadlineMs: number, strict: boolean, fn: (live: Live) => T): T {
    this.guard.deadline = performance.now() + deadlineMs
    this.guard.memoryTripped = false
    this.logLines = 0
    this.logDropped = 0
    try {
      let live = this.live
      if (!live) {
        live = this.build()
        // evaluating the module again (after a fault) is not the hook's time: its clock starts now
        if (strict) this.guard.deadline = performance.now() + deadlineMs
      }
      const cpu0 = strict ? threadCpuMs() : undefined
      const out = fn(live)
      // promise jobs the guest queued and did not wait for (a sync hook's `.then`, a module's
      // floating promise) run now, within this call's deadline and memory: left queued, they would
      // run at the start of the next call that settles a promise, in that call's time
      if (live.rt.hasPendingJob()) {
        using jobs = live.rt.executePendingJobs()
        if (jobs.error) throw this.guestFault(live, jobs.error)
        // a job interrupted at the deadline becomes a rejection nobody holds: the deadline it is
        if (performance.now() > this.guard.deadline) throw new SandboxFault({ kind: "timeout", message: "deadline exceeded (running the promise jobs the call left queued)" })
      }
      if (strict) {
        const late = lateResult(this.guard.deadline, deadlineMs, cpu0)
        if (late) throw late
      }
      return out
    } catch (e) {
      const fault = e instanceof SandboxFault ? e : hostFault(e)
      if (!(e instanceof SandboxFault) || fault.kind === "memory" || fault.kind === "crash") this.poisoned = true
      this.discardLive()
      throw fault
    } finally {
      if (this.logDropped > 0) this.onLog("warn", `${this.logDropped} console lines dropped (limit ${MAX_LOG_LINES} per call)`)
    }
  }

  private build(): Live {
    const src = this.source
    if (!src) throw new SandboxFault({ kind: "crash", message: "no module loaded" })
    const rt = newCappedRuntime(this.module, this.guard)
    const ctx = rt.newContext()
    const partial = { rt, ctx } as Live
    this.live = partial
    const logFn = ctx.newFunction("hostLog", (lvl, msg) => {
      // the prelude cuts each line with intrinsics it captured first; cut again here, whatever the
      // guest did to its globals (the host cuts it to MAX_LOG_CHARS + "…", secret-safe: sandbox/received)
      const text = guestLine(ctx.getString(msg))
      // and shown escaped: a log line is read in a terminal (`plugins test` prints them on stderr), where
      // a C1 control (U+009B is CSI) or a bidi control (U+202E) would act; JSON escapes only C0
      this.log(ctx.getString(lvl) as LogLevelName, visibleText(text.length > MAX_SENT_LOG_CHARS + 1 ? text.slice(0, MAX_SENT_LOG_CHARS) + "…" : text))
    })
    try {
      using factory = this.unwrap(partial, ctx.evalCode(PRELUDE, "<prelude>", { type: "global", strict: true }))
      using guards = this.limits.nativeGuards === false ? ctx.undefined : ctx.unwrapResult(ctx.evalCode(JSON.stringify(GUARDED_ARRAY_METHODS)))
      using check = this.limits.nativeGuards === false ? ctx.undefined : newCompileCheck(ctx)
      partial.helpers = this.unwrap(partial, ctx.callFunction(factory, ctx.undefined, logFn, guards, check))
    } finally {
      logFn.dispose()
    }
    using ns = this.unwrap(partial, ctx.evalCode(src.code, src.filename, { type: "module" }))
    using settled = this.settle(partial, ns)
    const exp = ctx.getProp(settled.value, "default")
    partial.exp = exp
    if (ctx.typeof(exp) === "undefined") {
      throw new SandboxFault({ kind: "guest", errorName: "TypeError", message: "the module has no default export" })
    }
    return partial
  }

  /** Resolve a possibly-promise handle by running pending jobs; returns a handle to dispose. */
  private settle(live: Live, h: QuickJSHandle): { value: QuickJSHandle; [Symbol.dispose](): void } {
    const { ctx, rt } = live
    let state = ctx.getPromiseState(h)
    if (state.type === "fulfilled" && state.notAPromise) return { value: h, [Symbol.dispose]() {} }
    if (state.type === "pending") {
      using jobs = rt.executePendingJobs()
      if (jobs.error) throw this.guestFault(live, jobs.error)
      state = ctx.getPromiseState(h)
    }
    if (state.type === "pending") {
      // jobs interrupted at the deadline (a promise chain that re-queues itself for ever) leave it
      // pending too: that is the deadline, not a promise nothing could settle
      if (performance.now() > this.guard.deadline) throw new SandboxFault({ kind: "timeout", message: "deadline exceeded (running the promise jobs of an async hook)" })
      throw new SandboxFault({ kind: "guest", message: "the promise never settled (plugins have no timers or I/O)" })
    }
    if (state.type === "rejected") {
      try {
        throw this.guestFault(live, state.error)
      } finally {
        state.error.dispose()
      }
    }
    const value = state.value
    return { value, [Symbol.dispose]: () => value.dispose() }
  }

  private unwrap(live: Live, r: { error?: QuickJSHandle; value?: QuickJSHandle }): QuickJSHandle {
    return unwrapGuest(this.guestState(live), r)
  }

  /** Turn a guest error handle (not disposed here) into a fault. */
  private guestFault(live: Live, err: QuickJSHandle): SandboxFault {
    return guestFault(this.guestState(live), err)
  }

  private guestState(live: Live): GuestState {
    return { ctx: live.ctx, filename: this.source?.filename ?? "", guard: this.guard, helpers: live.helpers }
  }

  private log(level: LogLevelName, msg: string): void {
    if (this.logLines >= MAX_LOG_LINES) {
      this.logDropped++
      return
    }
    this.logLines++
    this.onLog(level, msg)
  }

  private discardLive(): void {
    const live = this.live
    this.live = undefined
    if (!live) return
    try {
      live.exp?.alive && live.exp.dispose()
      live.helpers?.alive && live.helpers.dispose()
      live.ctx.dispose()
      live.rt.dispose()
    } catch {
      // QuickJS aborts on dispose when a host-side error left objects behind: the module is unsafe now
      this.poisoned = true
    }
  }
}
