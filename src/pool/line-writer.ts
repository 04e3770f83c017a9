/**
 * @module pool/line-writer
 * Coalescing line output for a JSON-RPC stream, one write per burst: the lines written in one
 * synchronous run and its promise reactions (e.g. every request one input chunk carried, every
 * answer one downstream read resolved) go to the sink as one string, written and flushed once when
 * the burst ends, before the event loop polls again. That is what a byte relay does (one write per
 * chunk read), and joining matters on Bun: each `write` to a pipe sink is a syscall of its own (it
 * re-arms the poll), the flush another, and every extra write wakes the reader once more.
 * `processStdio()` gives the server side (our own stdin/stdout) the same lean I/O the pool uses.
 */
import { LineFramer, type LineFramerHandlers } from "../core/index.ts"

interface Sink {
  write(chunk: string): unknown
  flush(): unknown
}

export class LineWriter {
  /** Lines of the open burst, not handed to the sink yet. */
  private pending = ""
  private open = false
  private closed = false
  constructor(
    private readonly sink: Sink,
    /** Handing lines to the sink failed (e.g. the reader went away). */
    private readonly onError?: (e: unknown) => void,
  ) {}

  /** Write one serialised message (the newline is added here); it leaves when its burst ends. */
  write(json: string): void {
    if (this.closed) return
    this.pending += json + "\n"
    if (this.open) return
    this.open = true
    queueMicrotask(this.endOfBurst)
  }

  private readonly endOfBurst = (): void => {
    this.open = false
    if (this.pending === "" || this.closed) return
    const out = this.pending
    this.pending = ""
    try {
      this.sink.write(out)
      const r = this.sink.flush()
      if (r instanceof Promise) r.catch((e: unknown) => this.onError?.(e))
    } catch (e) {
      this.onError?.(e)
    }
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
