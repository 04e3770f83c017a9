/**
 * @module sandbox/answer-queue
 * The answers (tool results, search hits) a code run's host hands its worker, a budget of
 * characters at a time. Each answer is held by the host as its JSON text, then as the message's
 * copy in the worker's queue until the worker copies it into the guest; a run whose calls have
 * small arguments and multi-MB results (8 calls at once, 4 runs at once) had all of them in those
 * forms at once, outside any sandbox's memory cap. Now an answer is written as JSON and posted only
 * while the run's answers posted and not yet taken in by the worker stay within MAX_ANSWERS_IN_TRANSIT
 * (one answer alone always goes); the others wait as the values they are, in the order they came.
 */

/**
 * Characters of answer JSON one run has posted to its worker and not yet seen taken in (the worker
 * says `took` once the text is in the guest's memory). As for call arguments (code-worker.ts
 * MAX_ARGS_IN_FLIGHT), 8 Mi.
 */
export const MAX_ANSWERS_IN_TRANSIT = 8 * 1024 * 1024

export interface AnswerQueue {
  /** An answer ready for call `id`: `write` gives its JSON text (or a refusal), called when it may go. */
  push(id: number, write: () => { json: string } | { message: string }): void
  /** The worker took the answer to `id` into the guest. */
  took(id: number): void
  /** Characters posted and not yet taken in (tests, status). */
  readonly inTransit: number
}

type Post = (id: number, a: { json: string } | { message: string }) => void

export function answerQueue(post: Post, budget = MAX_ANSWERS_IN_TRANSIT): AnswerQueue {
  const waiting: Array<{ id: number; write: () => { json: string } | { message: string } }> = []
  /** The head's text, written and found over the budget: kept, not written again. */
  let head: { id: number; json: string } | undefined
  const sizes = new Map<number, number>()
  let inTransit = 0
  const pump = (): void => {
    while (head !== undefined || waiting.length > 0) {
      let id: number
      let json: string
      if (head !== undefined) {
        ;({ id, json } = head)
      } else {
        const next = waiting[0]!
        const a = next.write()
        if ("message" in a) {
          // a refusal is a short text: no budget
          waiting.shift()
          post(next.id, a)
          continue
        }
        id = next.id
        json = a.json
      }
      if (inTransit > 0 && inTransit + json.length > budget) {
        head = { id, json }
        return
      }
      // the head's entry stays first in `waiting` while it is held
      head = undefined
      waiting.shift()
      inTransit += json.length
      sizes.set(id, json.length)
      post(id, { json })
    }
  }
  return {
    push(id, write) {
      waiting.push({ id, write })
      pump()
    },
    took(id) {
      const n = sizes.get(id)
      if (n === undefined) return
      sizes.delete(id)
      inTransit -= n
      pump()
    },
    get inTransit() {
      return inTransit
    },
  }
}
