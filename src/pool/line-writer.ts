/**
 * @module pool/line-writer
 * Coalescing line output for a JSON-RPC stream: when lines go out is core/bursts' rule (a lone line
 * at once; the lines of a burst joined into one write and one flush at its end; under concurrent
 * traffic the whole burst at its end).
 * `processStdio()` gives the server side (our own stdin/stdout) the same lean I/O the pool uses.
 */
import { Bursts, LineFramer, type LineFramerHandlers } from "../core/index.ts"

interface Sink {
  write(chunk: string): unknown
  flush(): unknown
}

export class LineWriter {
  private readonly bursts = new Bursts(() => this.endOfBurst())
  private closed = false
  constructor(
    private readonly sink: Sink,
    /** Handing a held burst to the sink failed (e.g. the reader went away). */
    private readonly onError?: (e: unknown) => void,
  ) {}

  /**
   * Write one serialised message (the newline is added here). Throws if the sink does on a line
   * written at once; a failure of a held burst goes to `onError`.
   */
  write(json: string): void {
    if (this.closed) return
    const line = json + "\n"
    if (this.bursts.add(line)) this.emit(line)
  }

  private endOfBurst(): void {
    const out = this.bursts.take()
    if (out === "" || this.closed) return
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
