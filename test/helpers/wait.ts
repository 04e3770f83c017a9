/** Polls `fn` until it gives a truthy value (returned), or throws "timed out waiting for <what>" after `ms`. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000, stepMs = 25): Promise<T> {
  const end = performance.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(stepMs)
  }
}

/**
 * Reads `p`'s stderr until `pattern` shows (then lets go of the stream) and returns what it read;
 * throws with what it said if it exits first.
 */
export async function waitForStderr(p: { stderr: ReadableStream<Uint8Array> }, pattern: RegExp, what: string): Promise<string> {
  const reader = p.stderr.getReader()
  let text = ""
  while (!pattern.test(text)) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`${what}: ${text}`)
    text += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  return text
}

/** The rest of a stream someone already read from (`new Response(stream)` refuses a disturbed one), to its end. */
export async function restOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader()
  let text = ""
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return text
    text += new TextDecoder().decode(value)
  }
}
