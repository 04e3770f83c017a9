/**
 * @module sandbox/faults
 * Classify what a guest call raised: a guest error dump or a host-side exception.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core"
import { MAX_FAULT_MESSAGE_CHARS, MAX_FAULT_NAME_CHARS, MAX_FAULT_STACK_CHARS, SandboxFault, SECRET_CUT_MARGIN } from "./types.ts"
import { visibleText } from "./visible.ts"

/** How a guest run stood when a call failed: what a fault is classified from. */
export interface GuestState {
  ctx: QuickJSContext
  filename: string
  /** The runtime's interrupt state (capped.ts). */
  guard: { memoryTripped: boolean; deadline: number }
  /** The prelude's helpers (prelude.ts), once evaluated: `thrown` reads what was thrown, bounded. */
  helpers?: QuickJSHandle
}

/** The timeout fault's message when the time ran out reading what was thrown, not in the guest's own code. */
export const THROWN_READ_TIMEOUT = "deadline exceeded (while reading the thrown value: a getter or toString that does not return)"

/** A guest error handle (not disposed here) as a fault. */
export function guestFault(s: GuestState, err: QuickJSHandle): SandboxFault {
  let dump: GuestErrorDump
  const inTime = performance.now() <= s.guard.deadline
  try {
    // reading the thrown value runs guest code (getters, toString): it may itself run out of time
    dump = dumpThrown(s, err)
  } catch (e) {
    return hostFault(e)
  }
  const fault = classifyGuestError(dump, s.filename, s.guard.memoryTripped, performance.now() > s.guard.deadline)
  if (inTime && (fault.kind === "guest" || fault.kind === "timeout") && performance.now() > s.guard.deadline) {
    return new SandboxFault({ kind: "timeout", message: THROWN_READ_TIMEOUT })
  }
  return fault
}

/**
 * What was thrown, read by the prelude's `thrown` (a message, name and stack cut short in the guest,
 * under its deadline) when the prelude is there; the engine's dump of a value the prelude could not
 * read (an interrupt, out of memory: a small InternalError) or of one thrown before it existed.
 */
function dumpThrown(s: GuestState, err: QuickJSHandle): GuestErrorDump {
  if (!s.helpers || s.ctx.typeof(s.helpers) !== "object") return s.ctx.dump(err) as GuestErrorDump
  using r = s.ctx.callMethod(s.helpers, "thrown", [err])
  return s.ctx.dump(r.error ?? r.value) as GuestErrorDump
}

/** The value of a QuickJS call result; its error (disposed here) is thrown as a fault. */
export function unwrapGuest(s: GuestState, r: { error?: QuickJSHandle; value?: QuickJSHandle }): QuickJSHandle {
  if (r.error) {
    try {
      throw guestFault(s, r.error)
    } finally {
      r.error.dispose()
    }
  }
  return r.value as QuickJSHandle
}

/** What `ctx.dump(error)` gives for a guest Error (or any thrown value). */
/** `notError`: an object thrown without a message (the prelude's `thrown`): its `message` is its JSON. */
export type GuestErrorDump = { name?: unknown; message?: unknown; stack?: unknown; notError?: unknown } | string | number | null | undefined

/**
 * Cuts made here, on the worker, keep SECRET_CUT_MARGIN more than the bounds: the host makes the
 * final cut knowing the configured secrets (sandbox/received).
 */
const MAX_MESSAGE = MAX_FAULT_MESSAGE_CHARS + SECRET_CUT_MARGIN
const MAX_NAME = MAX_FAULT_NAME_CHARS + SECRET_CUT_MARGIN
const MAX_STACK = MAX_FAULT_STACK_CHARS + SECRET_CUT_MARGIN

/** First `file:line:column` of the guest's own file in a QuickJS stack (`at f (plugin.js:12:5)`; the column when given). */
export function positionFromStack(stack: string, filename: string): { line: number; column?: number } | undefined {
  for (const raw of stack.split("\n")) {
    const i = raw.indexOf(filename + ":")
    if (i < 0) continue
    const m = /^:(\d+)(?::(\d+))?/.exec(raw.slice(i + filename.length))
    if (m) return { line: Number(m[1]), ...(m[2] ? { column: Number(m[2]) } : {}) }
  }
  return undefined
}

export function classifyGuestError(
  dump: GuestErrorDump,
  filename: string,
  memoryTripped: boolean,
  pastDeadline: boolean,
): SandboxFault {
  const isObj = typeof dump === "object" && dump !== null
  // what the guest threw is its text: shown in a terminal only with its control characters escaped
  const name = isObj && typeof dump.name === "string" ? visibleText(dump.name.slice(0, MAX_NAME)) : undefined
  // a value that is no Error reads `threw <its JSON>`, a primitive's and an object's alike
  const rawMessage = isObj ? (typeof dump.message === "string" ? (dump.notError === true ? `threw ${dump.message}` : dump.message) : JSON.stringify(dump)) : `threw ${JSON.stringify(dump) ?? String(dump)}`
  const message = visibleText(rawMessage.length > MAX_MESSAGE ? rawMessage.slice(0, MAX_MESSAGE) + "…" : rawMessage)
  const stack = isObj && typeof dump.stack === "string" ? visibleText(dump.stack.slice(0, MAX_STACK)) : undefined
  const at = stack ? positionFromStack(stack, filename) : undefined
  const base = { message, ...(name ? { errorName: name } : {}), ...(stack ? { stack } : {}), ...(at ? { line: at.line } : {}), ...(at?.column ? { column: at.column } : {}) }
  if (name === "InternalError") {
    if (message === "interrupted") {
      if (memoryTripped) return new SandboxFault({ ...base, kind: "memory", message: "memory cap reached (interrupted)" })
      return new SandboxFault({ ...base, kind: "timeout", message: pastDeadline ? "deadline exceeded" : "interrupted" })
    }
    if (message === "out of memory" || message === "string too long") return new SandboxFault({ ...base, kind: "memory" })
    if (message === "stack overflow") return new SandboxFault({ ...base, kind: "stack" })
  }
  if (name === "ResultError") return new SandboxFault({ ...base, kind: "result", errorName: "TypeError" })
  return new SandboxFault({ ...base, kind: "guest" })
}

/** An exception raised on the host side of the engine (WASM trap, RangeError, abort): the module is suspect. */
export function hostFault(e: unknown): SandboxFault {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  const stack = e instanceof RangeError && /call stack/i.test(e.message)
  return new SandboxFault({ kind: stack ? "stack" : "crash", message: `engine failure: ${msg.slice(0, MAX_MESSAGE)}` })
}
