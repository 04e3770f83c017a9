/** Settles when `p` settles (its rejection ignored) or after `ms`, whichever comes first; the timer is cleared. */
export async function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined
  await Promise.race([p.then(noop, noop), new Promise<void>((r) => (t = setTimeout(r, ms)))])
  clearTimeout(t)
}

function noop(): void {}
