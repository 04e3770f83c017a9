/**
 * @module pool/wait
 * Small waiting helpers of the session: an abortable sleep, and which errors mean "connection lost".
 */
import { DownstreamError } from "../core/index.ts"

export function isConnectionLoss(e: unknown): boolean {
  return e instanceof DownstreamError && (e.code === "SERVER_EXITED" || e.code === "NOT_CONNECTED" || e.code === "WRITE_FAILED")
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(done, ms)
    function done(): void {
      signal?.removeEventListener("abort", abort)
      resolve()
    }
    function abort(): void {
      clearTimeout(t)
      reject(new DownstreamError("CANCELLED", "call cancelled by the client"))
    }
    signal?.addEventListener("abort", abort, { once: true })
  })
}
