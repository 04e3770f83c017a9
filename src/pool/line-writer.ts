/**
 * @module pool/line-writer
 * Coalescing line output for a JSON-RPC stream: the first line of an event-loop turn is flushed at
 * once (latency), the rest of the turn goes out in one flush (one syscall) at the end of the turn.
 * `processStdio()` gives the server side (our own stdin/stdout) the same lean I/O the pool uses.
 */
import { LineFramer, type LineFramerHandlers } from "../core/index.ts"

interface Sink {
  write(chunk: string): unknown
  flush(): unknown
}

export class LineWriter {
  private scheduled = false
  private closed = false
  constructor(
    private readonly sink: Sink,
    /** A deferred flush failed (e.g. the reader went away). */
    private readonly onError?: (e: unknown) => void,
  ) {}

  /** Write one serialised message (the newline is added here). Throws if the sink does. */
  write(json: string): void {
    if (this.closed) return
    this.sink.write(json + "\n")
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flush)
      this.sink.flush()
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false
    if (this.closed) return
    try {
      this.sink.flush()
    } catch (e) {
      this.onError?.(e)
    }
  }

  /** Stop writing; nothing is flushed after this (the owner ends the sink). */
  close(): void {
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
