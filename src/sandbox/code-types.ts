/**
 * @module sandbox/code-types
 * Vocabulary of a code run (`run_code`): one script, run as the body of an async function in a
 * QuickJS instance of its own, on a worker of its own, calling back into the host for tools and
 * search. Messages between the host (code-run.ts) and the worker (code-worker.ts).
 */
import type { FaultInfo, LogLevelName } from "./types.ts"

/** Limits of one code run. Bytes and milliseconds. */
export interface CodeRunLimits {
  /** Wall time of the whole run, host calls included. */
  timeoutMs: number
  /** QuickJS heap limit; the WASM memory is capped a little above it. */
  memoryBytes: number
  /** QuickJS stack limit (at most MAX_STACK_BYTES, 160 KiB: a larger one is lowered to it, sandbox/types). */
  stackBytes: number
  /** Largest returned value, as UTF-8 JSON. */
  maxResultBytes: number
  /** Tests only: `false` leaves Array.prototype unguarded, to reproduce a native loop that ignores the deadline. */
  nativeGuards?: false
}

/** Host functions the guest reaches: `tools.x(args)` → "call", `search(q, n)` → "search". */
export type HostFn = "call" | "search"

/**
 * Why a run failed. The sandbox kinds (FaultInfo) plus:
 * - `calls`: a host-side limit ended the run (too many tool calls…), see the message.
 * - `cancelled`: the caller aborted the run.
 */
export type CodeFaultKind = FaultInfo["kind"] | "calls" | "cancelled"

export interface CodeFault extends Omit<FaultInfo, "kind"> {
  kind: CodeFaultKind
}

export type ToCodeWorker =
  | { op: "run"; wasm: WebAssembly.Module; code: string; filename: string; inputJson: string; namesJson: string; limits: CodeRunLimits }
  | { op: "reply"; id: number; ok: true; json: string }
  | { op: "reply"; id: number; ok: false; message: string }

export type FromCodeWorker =
  | { op: "host"; id: number; fn: HostFn; argsJson: string }
  | { op: "log"; level: LogLevelName; msg: string }
  /** The worker's OS thread id, sent at its start (sandbox/thread-self; Linux only). */
  | { op: "thread"; tid: number }
  /** The answer to call `id` is in the guest's memory: the host may post more (sandbox/answer-queue). */
  | { op: "took"; id: number }
  | { op: "done"; ok: true; json: string; bytes: number; unsettled: number }
  | { op: "done"; ok: false; fault: FaultInfo }
