/**
 * @module core/start-end
 * What ends a `serve` start that waits synchronously (core/user-file's wait for a FIFO's writer,
 * up to 5 s, the event loop held): a client that stops us then is gone, and the wait must not
 * outlive it. Before, stdin's end during the wait went unnoticed until the wait ran out (then the
 * start failed, exit 2, after 5 s), and a SIGTERM or SIGINT that came just before it (held by
 * early-signals until serve listens) was acted on only after it. Now the wait asks `startEnd()`
 * between its naps: a signal already held, stdin already at its end (seen by the early face), or
 * stdin's end now (its pipe hung up, seen without reading a byte: poll(2)).
 */
import { dlopen, FFIType, ptr } from "bun:ffi"

/** Why the start ends: a held signal, or stdin's end. */
export type StartEnd = "SIGTERM" | "SIGINT" | "stdin"

export interface StartWatch {
  /** The signals held so far (early-signals), not released. */
  signals?: () => readonly string[]
  /** Did stdin end before the wait (the early face read its end)? */
  stdinEnded?: () => boolean
  /** Is stdin the MCP channel (a stdio serve): its hang-up ends the start. */
  stdin?: boolean
  /** Ends the process (nothing of ours runs yet); `waited`: what the start was waiting for. */
  end: (why: StartEnd, waited: string) => never
  /**
   * false: a FIFO wait may not begin yet (`fifoWaitMayBegin` throws FIFO_AHEAD). A signal that came
   * since the event loop's last turn is still queued, its handler not run: unseen by `startEnd`, it
   * waited out the whole wait. The caller turns the loop once (it is held then), gives the signals
   * their default action, and loads again with true. Unset: the wait begins (a caller that cannot
   * turn the loop).
   */
  fifoReady?: boolean
}

/** The code of the error `fifoWaitMayBegin` throws: load again after a turn of the event loop. */
export const FIFO_AHEAD = "EFIFOAHEAD"

/** Throws FIFO_AHEAD when the start's watch says a FIFO wait may not begin yet (see `StartWatch.fifoReady`). */
export function fifoWaitMayBegin(path: string): void {
  if (watch?.fifoReady !== false) return
  throw Object.assign(new Error(`${path} is a FIFO: its wait begins after a turn of the event loop`), { code: FIFO_AHEAD, path })
}

/** Is `e` the error of `fifoWaitMayBegin` (a reader that catches read errors must let it through)? */
export function isFifoAhead(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === FIFO_AHEAD
}

let watch: StartWatch | undefined

/** Runs `fn` (the start's synchronous config load) with `w` consulted by `startEnd`. */
export function whileStarting<T>(w: StartWatch, fn: () => T): T {
  const before = watch
  watch = w
  try {
    return fn()
  } finally {
    watch = before
  }
}

/** When the start should end (`startEnd`), ends it through the watch's `end`; else returns. */
export function endStartIfDue(waited: string): void {
  const why = startEnd()
  if (why) watch!.end(why, waited)
}

/** Why the start should end now, or undefined (also outside `whileStarting`). */
export function startEnd(): StartEnd | undefined {
  if (!watch) return undefined
  const held = watch.signals?.() ?? []
  const sig = held.find((s): s is "SIGTERM" | "SIGINT" => s === "SIGTERM" || s === "SIGINT")
  if (sig) return sig
  if (watch.stdin && (watch.stdinEnded?.() || stdinHungUp())) return "stdin"
  return undefined
}

const POLLHUP = 0x10
const POLLRDHUP = 0x2000
let pollFn: ((fds: number, n: number, ms: number) => number) | null | undefined

/**
 * Has the writer of our stdin gone (a pipe's or socket's hang-up)? Asked of the kernel without
 * reading (the bytes stay for the transport); false where that cannot be asked (no libc poll).
 */
function stdinHungUp(): boolean {
  if (pollFn === undefined) pollFn = loadPoll()
  if (!pollFn) return false
  const fds = new Int16Array(4) // struct pollfd { int fd; short events; short revents }: fd 0
  fds[2] = POLLRDHUP
  try {
    if (pollFn(ptr(fds) as unknown as number, 1, 0) <= 0) return false
  } catch {
    return false
  }
  return (fds[3]! & (POLLHUP | POLLRDHUP)) !== 0
}

function loadPoll(): ((fds: number, n: number, ms: number) => number) | null {
  if (process.platform !== "linux") return null
  for (const name of ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"]) {
    try {
      const lib = dlopen(name, { poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 } })
      return (fds, n, ms) => lib.symbols.poll(fds as never, n, ms) as number
    } catch {
      // not this libc
    }
  }
  return null
}
