/**
 * @module sandbox/types
 * Vocabulary of the QuickJS sandbox: limits, fault kinds, the export shape, worker messages.
 */

/** Per-sandbox limits. Bytes and milliseconds. */
export interface SandboxLimits {
  /** QuickJS heap limit (`setMemoryLimit`). The WASM memory is capped a little above it. */
  memoryBytes: number
  /** QuickJS stack limit (`setMaxStackSize`), at most MAX_STACK_BYTES (160 KiB). */
  stackBytes: number
  /**
   * Refuse huge lengths in the Array.prototype methods that loop natively without reaching the
   * interrupt handler (default true). Only tests turn this off, to exercise the watchdog.
   */
  nativeGuards?: boolean
}

/**
 * QuickJS stack ceiling. QuickJS counts its stack on the emscripten C stack, but each WASM frame
 * also takes room on the worker thread's native stack, more while the WASM code is still cold
 * (interpreted): measured in the compiled binary, at 512 KiB every deep recursion at load (plain,
 * through getters, toString, map, sort, Proxy traps…) overflowed the worker's native stack first
 * (`RangeError: Maximum call stack size exceeded`, an engine failure the guest cannot catch, with
 * the module rebuilt); the first shapes did so from ~240 KiB on. 160 KiB keeps a margin (≈ 900
 * frames of plain recursion) and gives a clean guest `InternalError: stack overflow`. A worker's
 * native stack cannot be enlarged (Bun ignores `resourceLimits.stackSizeMb`).
 * Here, not in sandbox/capped: the main thread reads it without loading QuickJS (only workers do).
 */
export const MAX_STACK_BYTES = 160 * 1024

/**
 * Characters a cut made on a sandbox's worker (a console line, a thrown value, a fault's message,
 * name or stack) keeps past the bound it stands for: the worker's thread knows no configured
 * secret, so the bound itself is cut on the host (sandbox/received), by `cutText`, which leaves a
 * secret across it out whole. Cut at the bound in the worker, a secret across it (a server's token
 * a hook threw back) reached the log and the error as a first fragment no redaction matches. Longer
 * than any secret a configuration holds (a PEM key is ~3 K characters).
 */
export const SECRET_CUT_MARGIN = 16 * 1024

/** Characters of a fault's message, guest stack and error name kept (cut on the host: sandbox/received). */
export const MAX_FAULT_MESSAGE_CHARS = 2000
export const MAX_FAULT_STACK_CHARS = 4000
export const MAX_FAULT_NAME_CHARS = 200

export const DEFAULT_LIMITS: SandboxLimits = { memoryBytes: 32 * 1024 * 1024, stackBytes: MAX_STACK_BYTES }

/** Extra time the host watchdog grants past a call's deadline before it kills the worker. */
export const WATCHDOG_GRACE_MS = 250

/**
 * What went wrong in a guest call.
 * - `guest`: the guest threw (its own error, a ReferenceError on a missing global…).
 * - `timeout`: the deadline interrupt fired.
 * - `watchdog`: the host killed the worker (a native operation ignored the interrupt).
 * - `memory`: out of memory (heap limit or the WASM memory cap).
 * - `stack`: stack overflow.
 * - `result`: the guest returned something that is not JSON data, or too much of it.
 * - `crash`: a WASM trap, an engine assertion, or the worker died.
 */
export type FaultKind = "guest" | "timeout" | "watchdog" | "memory" | "stack" | "result" | "crash"

export interface FaultInfo {
  kind: FaultKind
  message: string
  /** Guest error name (`TypeError`, `InternalError`…) when the guest raised it. */
  errorName?: string
  /** Guest stack, with the sandbox's file name. */
  stack?: string
  /** 1-based line in the evaluated code where the error happened, when known. */
  line?: number
  /** 1-based column of that line, when the guest's stack gave one (QuickJS: `file:line:column`). */
  column?: number
}

/** A failed guest call. The sandbox has already discarded whatever the fault may have poisoned. */
export class SandboxFault extends Error {
  override name = "SandboxFault"
  readonly kind: FaultKind
  readonly errorName?: string
  readonly guestStack?: string
  readonly line?: number
  readonly column?: number
  constructor(info: FaultInfo) {
    super(info.message)
    this.kind = info.kind
    if (info.errorName !== undefined) this.errorName = info.errorName
    if (info.stack !== undefined) this.guestStack = info.stack
    if (info.line !== undefined) this.line = info.line
    if (info.column !== undefined) this.column = info.column
  }
  toInfo(): FaultInfo {
    const info: FaultInfo = { kind: this.kind, message: this.message }
    if (this.errorName !== undefined) info.errorName = this.errorName
    if (this.guestStack !== undefined) info.stack = this.guestStack
    if (this.line !== undefined) info.line = this.line
    if (this.column !== undefined) info.column = this.column
    return info
  }
}

/**
 * No plugin worker could be started: MAX_LINGERING_WORKERS threads the watchdog stopped still run
 * (sandbox/spawn.ts), past the wait for one of them to end. Not a fault of the plugin whose load or
 * call it refuses (the stuck threads may be another plugin's): it counts toward no hook's faults.
 */
export class SandboxUnavailable extends SandboxFault {
  override name = "SandboxUnavailable"
  constructor(message: string) {
    super({ kind: "crash", message })
  }
}

/**
 * The sandbox was disposed (a shutdown, a plugin retired) while this load or call waited or ran:
 * the owner stopped it, no fault of the guest's. It counts toward no hook's faults and is no
 * load failure to report.
 */
export class SandboxStopped extends SandboxFault {
  override name = "SandboxStopped"
  constructor() {
    super({ kind: "crash", message: "sandbox disposed" })
  }
}

/**
 * JSON picture of a module's default export: data kept as is, every function replaced by
 * `{ "$fn": true }`. The sandbox does not interpret it.
 */
export type ExportShape = unknown
export const FN_MARK = "$fn"

/** A property path from the default export to a function, e.g. `["prompts", 0, "render"]`. */
export type ExportPath = ReadonlyArray<string | number>

export type LogLevelName = "debug" | "info" | "warn" | "error"

// --- Messages between the host (SandboxThread) and a worker (one QuickJS module per unit) ---

export type ToWorker =
  | { op: "init"; wasm: WebAssembly.Module }
  /** `checked`: the source already passed the compile estimate (sandbox/compile-budget), in this or an earlier worker. */
  | { op: "load"; id: number; unit: number; limits: SandboxLimits; code: string; filename: string; deadlineMs: number; sab?: SharedArrayBuffer; releases?: number[]; checked?: boolean }
  | { op: "call"; id: number; unit: number; path: ExportPath; args: string; deadlineMs: number; sab?: SharedArrayBuffer }
  | { op: "drop"; unit: number }
  /** TypeScript to JavaScript off the host's main thread (sandbox/transpile `transpileToJson`); answered as a result. */
  | { op: "transpile"; id: number; unit: number; code: string; filename: string; deadlineMs: number }

export type ResultMessage =
  | { op: "result"; id: number; ok: true; json: string | undefined }
  | { op: "result"; id: number; ok: false; fault: FaultInfo; recycle: boolean }

/** A console line carries the id of the request under way when it was written (`id`): the sync lane's lines arrive after their call returned. */
export type FromWorker = ResultMessage | { op: "log"; unit: number; level: LogLevelName; msg: string; id: number } | { op: "thread"; tid: number }

/**
 * Synchronous replies (`sab` set on the request) go through a SharedArrayBuffer instead of
 * postMessage: Int32 [0] = state (0 waiting, 1 written), [1] = byte length, then the UTF-8 JSON of
 * the ResultMessage from byte 8.
 */
export const SAB_HEADER = 8
export const SAB_BYTES = SAB_HEADER + 24 * 1024 * 1024
