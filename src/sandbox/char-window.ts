/**
 * @module sandbox/char-window
 * A window of characters in flight, in order: items go out first come, first out, while the
 * characters out and not yet released stay within a budget (one item alone always goes, however
 * long). run_code keeps two: the call arguments its worker hands the host until each call is
 * answered (code-worker MAX_ARGS_IN_FLIGHT), and the answers the host posts its worker until the
 * worker took each into the guest (answer-queue MAX_ANSWERS_IN_TRANSIT). One bookkeeping for both.
 */

/** An item at the head of the window, ready: its size and how it goes, or one that costs nothing (`free`: a short refusal). */
export type WindowItem = { chars: number; send: () => void } | { free: () => void }

export interface CharWindow {
  /** Queues item `id`; `ready` is called once, when it reaches the head (an answer written as JSON only then). */
  push(id: number, ready: () => WindowItem): void
  /** Item `id` is done with (answered, taken in): its characters leave the window and the next may go. */
  release(id: number): void
  /** Characters sent and not yet released. */
  readonly out: number
}

export function charWindow(budget: number): CharWindow {
  const waiting: Array<{ id: number; ready: () => WindowItem }> = []
  /** The head, made ready and found over the budget: kept, not made ready again. */
  let head: WindowItem | undefined
  const sizes = new Map<number, number>()
  let out = 0
  let pumping = false
  const pump = (): void => {
    // a send that pushes or releases in turn: this loop goes on with it
    if (pumping) return
    pumping = true
    try {
      while (waiting.length > 0) {
        const next = waiting[0]!
        const item = head ?? next.ready()
        if ("free" in item) {
          waiting.shift()
          item.free()
          continue
        }
        if (out > 0 && out + item.chars > budget) {
          head = item
          return
        }
        head = undefined
        waiting.shift()
        out += item.chars
        sizes.set(next.id, item.chars)
        item.send()
      }
    } finally {
      pumping = false
    }
  }
  return {
    push(id, ready) {
      waiting.push({ id, ready })
      pump()
    },
    release(id) {
      const n = sizes.get(id)
      if (n === undefined) return
      sizes.delete(id)
      out -= n
      pump()
    },
    get out() {
      return out
    },
  }
}
