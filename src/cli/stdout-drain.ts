/**
 * @module cli/stdout-drain
 * One-shot commands print with `process.stdout.write`, which Bun hands to a pipe in pieces after
 * the call returned: an exit right after it cut `parse … | jq` at 64–256 KiB (exit status 0). The
 * exit waits until the reader took all of it (bounded: a reader that never reads cannot hold the
 * process forever). `serve` never writes there (its stdout is the MCP channel, app/serve), so it
 * pays nothing.
 */

/** A reader that takes nothing for this long does not hold the exit. */
const DRAIN_LIMIT_MS = 30_000

let tracking = false
let wrote = false

/** From now on, note whether anything is written with `process.stdout.write`. */
export function trackStdout(): void {
  if (tracking) return
  tracking = true
  const write = process.stdout.write
  process.stdout.write = function (this: unknown, ...args: unknown[]) {
    wrote = true
    return (write as (...a: unknown[]) => boolean).apply(process.stdout, args)
  } as typeof process.stdout.write
}

/** Resolves once what was written with `process.stdout.write` has been taken by the reader (at once if nothing was). */
export async function drainStdout(limitMs = DRAIN_LIMIT_MS): Promise<void> {
  if (!wrote) return
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([
    new Promise<void>((resolve) => {
      try {
        process.stdout.end(() => resolve())
      } catch {
        resolve() // already ended, or the reader is gone
      }
    }),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs))),
  ])
  clearTimeout(timer)
}
