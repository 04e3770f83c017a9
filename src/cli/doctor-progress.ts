/**
 * @module cli/doctor-progress
 * At a terminal, `doctor` shows on stderr which servers are still starting (or connecting): one
 * line, rewritten in place when a start begins or ends and once a second (the seconds waited), taken
 * away before the report is printed. Only for a terminal: a pipe, a file or `--json` gets none of
 * it (nothing but JSON log lines on stderr). A log line written meanwhile goes above it (`aside`).
 */

/** What the starts tell: each server's start begins and ends; a log line to write past the line. */
export interface StartProgress {
  begin(name: string): void
  end(name: string): void
  /** Writes `text` (whole lines) with the progress line taken away first and shown again after. */
  aside(text: string): void
}

export interface TerminalProgress extends StartProgress {
  /** Takes the line away for good (before the report is printed). */
  stop(): void
}

/** Redrawn this often while something is still starting (for the seconds shown). */
const TICK_MS = 1000

/** A progress line on `out` (a terminal's stderr). */
export function terminalProgress(out: { write(s: string): unknown; columns?: number }): TerminalProgress {
  const pending = new Map<string, number>()
  let shown = false
  let stopped = false
  let timer: ReturnType<typeof setInterval> | undefined
  const clear = (): void => {
    if (shown) out.write("\r\x1b[K")
    shown = false
  }
  const draw = (): void => {
    if (stopped) return
    clear()
    if (pending.size === 0) return
    const since = Math.min(...pending.values())
    const secs = Math.floor((performance.now() - since) / 1000)
    const names = [...pending.keys()]
    let line = `doctor: waiting for ${names.length} server${names.length === 1 ? "" : "s"} (${secs} s): ${names.join(", ")}`
    // one terminal line: a line that wraps could not be taken away with \r (a terminal of unknown width: 80)
    const width = Math.max(20, (out.columns || 80) - 1)
    if (line.length > width) line = `${line.slice(0, width - 1)}…`
    out.write(line)
    shown = true
  }
  const tick = (): void => {
    if (pending.size === 0) {
      if (timer) clearInterval(timer)
      timer = undefined
    } else if (!timer) {
      timer = setInterval(draw, TICK_MS)
      timer.unref?.()
    }
    draw()
  }
  return {
    begin(name) {
      pending.set(name, performance.now())
      tick()
    },
    end(name) {
      pending.delete(name)
      tick()
    },
    aside(text) {
      const was = shown
      clear()
      out.write(text)
      if (was) draw()
    },
    stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = undefined
      clear()
    },
  }
}
