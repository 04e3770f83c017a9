/**
 * @module sandbox/yield-cpu
 * A worker thread the watchdog stopped but that is still inside one native operation (QuickJS polls
 * its interrupt handler every 10 000 calls or jumps, so a BigInt written in decimal, or a loop of
 * array scans over a large heap, runs seconds to hours between polls, and `terminate()` cannot stop
 * a thread inside WASM) keeps a core busy until that operation ends. On a 2-core machine four such
 * threads took the proxy's own thread, its servers and the client most of the CPU. `yieldCpu` gives
 * that thread the lowest scheduling priority (nice 19, Linux, `setpriority` on the thread's id):
 * it runs on only when nothing else wants the CPU. Its memory stays held until it ends (the caps on
 * stopped threads bound that: sandbox/spawn, sandbox/code-run). Elsewhere it does nothing.
 */
import type { Logger } from "../core/index.ts"

type SetPriority = (which: number, who: number, prio: number) => number
let setPriority: SetPriority | null | undefined

/** libc's setpriority through bun:ffi, loaded on first use (never at startup); null where unavailable. */
async function loadSetPriority(log: Logger): Promise<SetPriority | null> {
  if (setPriority !== undefined) return setPriority
  setPriority = null
  if (process.platform !== "linux") return null
  try {
    const { dlopen, FFIType } = await import("bun:ffi")
    for (const name of ["libc.so.6", "libc.so"]) {
      try {
        const lib = dlopen(name, { setpriority: { args: [FFIType.i32, FFIType.u32, FFIType.i32], returns: FFIType.i32 } })
        setPriority = lib.symbols.setpriority as SetPriority
        break
      } catch {
        // the next name (musl and others)
      }
    }
  } catch (e) {
    log.debug("cannot lower the priority of stopped sandbox threads", { error: String(e) })
  }
  return setPriority
}

const PRIO_PROCESS = 0
const LOWEST = 19

/** Lower thread `tid` (of this process) to the lowest priority; true when it was done. */
export async function yieldCpu(tid: number | undefined, log: Logger, what: string): Promise<boolean> {
  if (tid === undefined) return false
  const set = await loadSetPriority(log)
  if (!set) return false
  const ok = set(PRIO_PROCESS, tid, LOWEST) === 0
  if (ok) log.warn(`${what}: the watchdog stopped it, but its thread is still inside a native operation that cannot be interrupted; it now runs at the lowest CPU priority until that operation ends`, { thread: tid })
  return ok
}
