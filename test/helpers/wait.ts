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

/**
 * Reads from `reader` until `marker` shows in what it read (an SSE stream's first event: "\n\n"),
 * or the stream ends, and returns that text. The reader stays locked: read on, cancel or release it.
 */
export async function readUntil(reader: { read(): Promise<{ done: boolean; value?: Uint8Array }> }, marker: string): Promise<string> {
  const dec = new TextDecoder()
  let text = ""
  while (!text.includes(marker)) {
    const { value, done } = await reader.read()
    if (done) break
    text += dec.decode(value, { stream: true })
  }
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

/** What the product logs when a shutdown overran its budget (app/shutdown): an exit on its own never says it. */
export const BUDGET_OVERRUN = /shutdown budget of \d+ ms exceeded/

/**
 * The exit code of `p` once it exits; `ms` bounds a hang (generous: the verdict on "exited in time"
 * is the absence of `BUDGET_OVERRUN` in its log, not a clock), after which it is SIGKILLed and this throws.
 */
export async function exitCode(p: { exited: Promise<number>; kill(signal?: number | NodeJS.Signals): void }, what = "the process to exit", ms = 15_000): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const code = await Promise.race([p.exited, new Promise<undefined>((r) => void (timer = setTimeout(() => r(undefined), ms)))])
  clearTimeout(timer)
  if (code === undefined) {
    p.kill("SIGKILL")
    throw new Error(`timed out waiting for ${what} (${ms} ms)`)
  }
  return code
}

/** Reads `stream` in the background: what it said so far (`now`), and all of it once it ends (`all`). */
export function collect(stream: ReadableStream<Uint8Array>): { now(): string; all: Promise<string> } {
  let text = ""
  const dec = new TextDecoder()
  const all = (async () => {
    for await (const chunk of stream) text += dec.decode(chunk, { stream: true })
    return text
  })()
  return { now: () => text, all }
}
