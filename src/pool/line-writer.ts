/**
 * @module pool/line-writer
 * Coalescing line output for a JSON-RPC stream. The first line of a burst (a synchronous run and
 * its promise reactions: every request one input chunk carried, every answer one downstream read
 * resolved) is written and flushed at once, so the reader starts on it while the rest is produced;
 * the rest of the burst follows as one string, written and flushed once when the burst ends,
 * before the event loop polls again. Two writes per burst, whatever the number of messages:
 * joining matters on Bun, where each `write` to a pipe sink is a syscall of its own (it re-arms
 * the poll) and the flush another.
 * `processStdio()` gives the server side (our own stdin/stdout) the same lean I/O the pool uses.
 */
import { LineFramer, type LineFramerHandlers } from "../core/index.ts"

interface Sink {
  write(chunk: string): unknown
  flush(): unknown
}

export class LineWriter {
  /** Lines of the open burst after its first, not handed to the sink yet. */
  private pending = ""
  /** A burst is open: its first line went out, its end is scheduled. */
  private open = false
  private closed = false
  constructor(
    private readonly sink: Sink,
    /** Handing the rest of a burst to the sink failed (e.g. the reader went away). */
    private readonly onError?: (e: unknown) => void,
  ) {}

  /**
   * Write one serialised message (the newline is added here). Throws if the sink does on a line
   * written at once; a failure of the rest of a burst goes to `onError`.
   */
  write(json: string): void {
    if (this.closed) return
    if (this.open) {
      this.pending += json + "\n"
      return
    }
    this.open = true
    queueMicrotask(this.endOfBurst)
    this.emit(json + "\n")
  }

  private readonly endOfBurst = (): void => {
    this.open = false
    if (this.pending === "" || this.closed) return
    const out = this.pending
    this.pending = ""
    try {
      this.emit(out)
    } catch (e) {
      this.onError?.(e)
    }
  }

  private emit(text: string): void {
    this.sink.write(text)
    const r = this.sink.flush()
    if (r instanceof Promise) r.catch((e: unknown) => this.onError?.(e))
  }

  /** Hand what is pending to the sink, then stop writing (the owner ends the sink). */
  close(): void {
    if (this.closed) return
    this.endOfBurst()
    this.closed = true
  }
}

export interface ProcessStdio {
  writer: LineWriter
  /** Reads stdin, framing lines to `handlers`, until EOF. */
  pump(handlers: LineFramerHandlers, maxFrameBytes: number): Promise<void>
}

/** Our own stdin/stdout as a lean line channel (stdout is written only through `writer`). */
export function processStdio(): ProcessStdio {
  return {
    writer: new LineWriter(Bun.stdout.writer()),
    async pump(handlers, maxFrameBytes) {
      const framer = new LineFramer(maxFrameBytes, handlers)
      for await (const chunk of Bun.stdin.stream()) framer.push(chunk)
      framer.end()
    },
  }
}
