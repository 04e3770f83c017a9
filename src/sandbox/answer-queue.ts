/**
 * @module sandbox/answer-queue
 * The answers (tool results, search hits) a code run's host hands its worker, a budget of
 * characters at a time. Each answer is held by the host as its JSON text, then as the message's
 * copy in the worker's queue until the worker copies it into the guest; a run whose calls have
 * small arguments and multi-MB results (8 calls at once, 4 runs at once) had all of them in those
 * forms at once, outside any sandbox's memory cap. Now an answer is written as JSON and posted only
 * while the run's answers posted and not yet taken in by the worker stay within MAX_ANSWERS_IN_TRANSIT
 * (one answer alone always goes); the others wait as the values they are, in the order they came
 * (sandbox/char-window: the same window as the call arguments').
 */
import { charWindow } from "./char-window.ts"

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
  const window = charWindow(budget)
  return {
    push(id, write) {
      window.push(id, () => {
        const a = write()
        // a refusal is a short text: no budget
        return "message" in a ? { free: () => post(id, a) } : { chars: a.json.length, send: () => post(id, { json: a.json }) }
      })
    },
    took(id) {
      window.release(id)
    },
    get inTransit() {
      return window.out
    },
  }
}
