/**
 * @module sandbox/thread-self
 * The operating system's id of the calling thread (Linux: `/proc/thread-self` links to
 * `<pid>/task/<tid>`), or undefined elsewhere. A sandbox worker reports it at its start, so the host
 * can lower the priority of that thread alone once the watchdog has stopped it (sandbox/yield-cpu).
 */
import { readlinkSync } from "node:fs"

export function threadSelf(): number | undefined {
  if (process.platform !== "linux") return undefined
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop())
    return Number.isSafeInteger(tid) && tid > 0 ? tid : undefined
  } catch {
    return undefined
  }
}
