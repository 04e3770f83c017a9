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
