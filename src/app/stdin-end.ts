/**
 * @module app/stdin-end
 * What stdin's end means to `serve`. An MCP client over stdio writes `initialize` first (Cursor
 * always does), so stdin that ends before its first byte came had no client on it: a service
 * manager's /dev/null (systemd, launchd), `docker run` without `-i`, `serve < /dev/null`. With HTTP
 * configured, that is an HTTP-only serve (as `--no-stdio`), not the end of the session; without
 * HTTP it still stops the process (app/serve).
 * Whether the parent is still watched then: a stdin that is a pipe or socket was given by a parent
 * that may be a client dying at once, so its exit still stops us (as over stdio); any other stdin
 * (/dev/null, a file, a terminal) ties us to no parent (`nohup … &` outlives its shell). The same
 * rule holds for `--no-stdio`, whose stdin is never read.
 */
import { isPipeOrSocket } from "../core/index.ts"

export interface WatchedInput {
  input: AsyncIterable<Uint8Array>
  /** Has any byte come through? */
  received(): boolean
}

/** `input` as it is, noting whether any byte came through it (nothing in the way once one did). */
export function watchInput(input: AsyncIterable<Uint8Array>): WatchedInput {
  let any = false
  const note = (r: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    if (!r.done && r.value.byteLength > 0) any = true
    return r
  }
  return {
    input: {
      [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
        const it = input[Symbol.asyncIterator]()
        return {
          next: () => (any ? it.next() : it.next().then(note)),
          return: (v?: unknown) => it.return?.(v) ?? Promise.resolve({ done: true as const, value: undefined }),
        }
      },
    },
    received: () => any,
  }
}

/** Is our stdin a pipe or a socket (an end some process holds), rather than /dev/null, a file or a terminal? */
export function stdinIsPipe(): boolean {
  return isPipeOrSocket(0)
}
