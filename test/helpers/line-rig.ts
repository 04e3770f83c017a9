/**
 * A LineStdioServerTransport (src/mcp) on an in-memory stdio: `push` feeds its input as bytes arrive
 * from a client, `lines` holds each line it wrote.
 */
import { LineStdioServerTransport, type LineIO } from "../../src/mcp/index.ts"

export interface LineRig {
  t: LineStdioServerTransport
  /** Every line the transport wrote, in order. */
  lines: string[]
  /** Feeds `text` to the transport's input. */
  push(text: string): void
}

/** The transport, told which request ids the early face already `answered` (their replays' answers are dropped). */
export function lineRig(answered?: (string | number)[]): LineRig {
  const lines: string[] = []
  let wake: (b: Uint8Array) => void = () => {}
  const queue: Uint8Array[] = []
  const io: LineIO = {
    input: (async function* () {
      for (;;) {
        const next = queue.shift()
        if (next) yield next
        else await new Promise<void>((r) => (wake = (b) => (queue.push(b), r())))
      }
    })(),
    write: (line) => void lines.push(line),
  }
  return { t: new LineStdioServerTransport(io, answered), lines, push: (text) => wake(new TextEncoder().encode(text)) }
}
