/**
 * @module core/bursts
 * When the lines of a JSON-RPC output stream go to their sink. A burst is a synchronous run and its
 * promise reactions (every request one input chunk carried, every answer one downstream read
 * resolved); its end is a microtask, before the event loop polls again. On Bun every `write` to a
 * pipe sink is a syscall of its own (it re-arms the poll) and so is the flush, so a burst's lines
 * are joined in JavaScript and handed over once:
 * - **Sequential traffic** (the burst before held one line): the first line goes out at once, so
 *   the reader starts on it; any more of its burst follow as one string at the burst's end.
 * - **Traffic in bursts** (the burst before held several lines, as under concurrent calls): the
 *   whole burst waits for its end and goes out as one write. Writing its first line on its own
 *   costs a write, a flush and a wake-up of the reader per burst, about twice the relay's syscalls
 *   per call at c=16 (docs/proxy.md, *Under concurrency*).
 * The owner writes a line handed back by `add` at once, and `take`s the rest when `onEnd` runs.
 */
export class Bursts {
  private pending = ""
  private open = false
  /** Lines of the open burst, and of the burst before it. */
  private lines = 0
  private lastLines = 0

  constructor(
    /** The burst ended (a microtask): `take()` what it held. */
    private readonly onEnd: () => void,
  ) {}

  /** A line of output (with its newline). True: the owner writes it now; false: it is held for the burst's end. */
  add(line: string): boolean {
    if (this.open) {
      this.lines++
      this.pending += line
      return false
    }
    this.open = true
    this.lines = 1
    queueMicrotask(this.ended)
    if (this.lastLines > 1) {
      this.pending = line
      return false
    }
    return true
  }

  /** The held lines, as one string ("" when none); they are the caller's now. */
  take(): string {
    const out = this.pending
    this.pending = ""
    return out
  }

  /** Characters held. */
  get size(): number {
    return this.pending.length
  }

  private readonly ended = (): void => {
    this.open = false
    this.lastLines = this.lines
    this.onEnd()
  }
}
