/**
 * @module cli/signal-exit
 * A one-shot command that starts servers (doctor) ends at once on SIGINT, SIGTERM or SIGHUP with
 * 128 + the signal's number, and what it started ends with it: `process.exit` runs the children
 * registry's exit hook (core/children: every child and what it left holding its pipes, SIGKILL),
 * where an unhandled signal ended the process without it and left that to the reaper, a second or
 * two later. `serve` has its own orderly shutdown and does not use this.
 */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const

/** Install the handlers (`before` runs first: a progress line to clear); the function returned removes them. */
export function exitOnSignals(before?: () => void): () => void {
  const handlers = Object.entries(SIGNALS).map(([name, n]) => {
    const h = (): never => {
      try {
        before?.()
      } finally {
        process.exit(128 + n)
      }
    }
    process.on(name, h)
    return [name, h] as const
  })
  return () => {
    for (const [name, h] of handlers) process.off(name, h)
  }
}
