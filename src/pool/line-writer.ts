/**
 * @module pool/line-writer
 * Coalescing line output for a JSON-RPC stream: when lines go out is core/bursts' rule (a lone line
 * at once; the lines of a burst joined into one write and one flush at its end; under concurrent
 * traffic the whole burst at its end).
 * `processStdio()` gives the server side (our own stdin/stdout) the same lean I/O the pool uses.
 * `backlog` counts what was handed over and not taken by the reader yet (a sink whose write or flush
 * returns a promise is full: Bun's pipe sinks then hold the rest in memory until the reader drains
 * them), so an owner can bound what it queues for a reader that stops reading.
 */
import { Bursts, LineFramer, type LineFramerHandlers } from "../core/index.ts"

interface Sink {
  write(chunk: string): unknown
  flush(): unknown
}

export class LineWriter {
  private readonly bursts = new Bursts(() => this.endOfBurst())
  private closed = false
  /** Characters handed to the sink while it was full (since it last drained). */
  private unsent = 0
  /** The sink's promises not settled yet (it is full while there is one). */
  private waits = 0
  /** One of them failed (since the sink last drained). */
  private broken = false
  constructor(
    private readonly sink: Sink,
    /** Handing a held burst to the sink failed (e.g. the reader went away). */
    private readonly onError?: (e: unknown) => void,
    /**
     * The sink was full and is no more: everything handed over was taken by the reader, or
     * (`broken`) a write or flush failed meanwhile (the reader went away: nothing more is taken).
     */
    private readonly onDrain?: (broken: boolean) => void,
  ) {}

  /** Characters written and not taken by the reader yet: the burst held, and what the full sink holds. */
  get backlog(): number {
    return this.unsent + this.bursts.size
  }

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
    const w = this.sink.write(text)
    const r = this.sink.flush()
    if (w instanceof Promise || r instanceof Promise || this.waits > 0) this.unsent += text.length
    if (w instanceof Promise) this.wait(w, false)
    if (r instanceof Promise) this.wait(r, true)
  }

  /** A promise of the full sink: when the last one settles, the reader has taken everything. */
  private wait(p: Promise<unknown>, report: boolean): void {
    this.waits++
    const settled = (failed: boolean): void => {
      if (failed) this.broken = true
      if (--this.waits > 0) return
      const was = this.unsent
      const broken = this.broken
      this.unsent = 0
      this.broken = false
      if (was > 0) this.onDrain?.(broken)
    }
    p.then(() => settled(false), (e: unknown) => {
      settled(true)
      if (report) this.onError?.(e)
    })
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
