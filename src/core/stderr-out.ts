/**
 * @module core/stderr-out
 * Where this process's log lines go: fd 2, without ever blocking the process. A client that pipes
 * our stderr and does not read it (a paused stream, an SDK transport with `stderr: "pipe"` nobody
 * drains) lets the pipe fill; a blocking write to it then stopped the whole event loop: no answer
 * went out, no signal was handled, no exit came (the exit hook's own write blocked too), and every
 * downstream ran on, until a SIGKILL.
 * In `serve` (`stderrNeverBlocks`), on a pipe or a socket, lines go through a non-blocking sink
 * (Bun's FileSink, as stdout does: it makes the descriptor non-blocking); while the reader is
 * behind, what comes is held up to `MAX_HELD` characters, lines beyond are dropped and counted, and
 * once it reads again a line says how many were lost. Nothing of that keeps the process alive, and
 * the exit writes what fits at once, never waits. A file or a terminal, and every other command's
 * stderr, is written synchronously, as before (a file does not block; a terminal only when its
 * user paused it).
 */
import { fstatSync, writeSync } from "node:fs"

/** Characters held while the reader is behind, at most (then lines are dropped). */
export const MAX_HELD = 256 * 1024

interface Sink {
  write(chunk: string): number
  flush(): number | Promise<number>
  unref?(): void
}

/** The way out of one descriptor, made on the first line. */
interface Out {
  write(text: string): void
}

/** A non-blocking descriptor's writer: `open` makes the sink (Bun.stderr.writer() for fd 2). */
export function heldOut(open: () => Sink, maxHeld = MAX_HELD): Out {
  let sink: Sink | undefined
  /** A flush did not finish: the reader is behind; lines wait in `held`. */
  let behind = false
  /** The reader went away (EPIPE): nothing more goes out. */
  let gone = false
  let held = ""
  let dropped = 0
  const push = (text: string): void => {
    try {
      sink ??= open()
      sink.unref?.()
      sink.write(text)
      const r = sink.flush()
      if (r instanceof Promise) {
        behind = true
        r.then(caughtUp, () => void (gone = true))
      }
    } catch {
      gone = true
    }
  }
  const caughtUp = (): void => {
    behind = false
    let text = held
    held = ""
    if (dropped > 0) {
      text += JSON.stringify({ ts: new Date().toISOString(), level: "warn", component: "log", msg: "log lines dropped: stderr was not read", dropped }) + "\n"
      dropped = 0
    }
    if (text) push(text)
  }
  return {
    write(text) {
      if (gone) return
      if (!behind) return push(text)
      if (held.length + text.length <= maxHeld) held += text
      else dropped += lineCount(text)
    },
  }
}

function lineCount(text: string): number {
  let n = 0
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++
  return Math.max(n, 1)
}

/** A file's or a terminal's writer: synchronous; a closed stderr drops the line. */
function syncOut(fd: number): Out {
  return {
    write(text) {
      try {
        writeSync(fd, text)
      } catch {
        // stderr closed: nothing sensible left to do
      }
    },
  }
}

let stderr: Out | undefined
let neverBlock = false

/**
 * From now on a pipe or socket on stderr is written without blocking (`serve`: the client owns the
 * pipe and may not read it). The other commands write synchronously: their last lines (a report
 * sharing one pipe with stdout, `2>&1 | less`) are not lost at their exit.
 */
export function stderrNeverBlocks(): void {
  neverBlock = true
  stderr = undefined
}

/** Writes `text` to stderr (see the module); never throws, never blocks once `stderrNeverBlocks()` was called. */
export function writeStderr(text: string): void {
  stderr ??= neverBlock && isPipeOrSocket(2) ? heldOut(() => Bun.stderr.writer() as unknown as Sink) : syncOut(2)
  stderr.write(text)
}

/** Is `fd` a pipe or a socket (an end some other process holds and may not read)? */
export function isPipeOrSocket(fd: number): boolean {
  try {
    const s = fstatSync(fd)
    return s.isFIFO() || s.isSocket()
  } catch {
    return false
  }
}
