/**
 * @module catalog/search/my-queue
 * "My queue", "our queue", "my support queue": the work waiting on me, the tickets, issues or tasks
 * assigned to me, as a helpdesk or a tracker says (a queue of its agent or team), not a message
 * queue (SQS, a job queue: "the orders queue", "purge the dead letter queue" keep their sense).
 * "whats in my queue rn" had every hit weak, none of them a helpdesk's tickets.
 */

/** Whose queue: the request's writer (or their team). */
const OWNERS = new Set(["my", "our"])

/** The things a person's queue holds (senses.ts reads "queue" as them). */
export const QUEUED_WORK: string[] = ["ticket", "issue", "task", "assigned"]

/** The index in `words` (the request's words, lowercase) of a "queue" owned by me or us ("my queue", "our support queue"), or -1. */
export function ownQueueAt(words: readonly string[]): number {
  return words.findIndex((w, i) => (w === "queue" || w === "queues") && (OWNERS.has(words[i - 1] ?? "") || (OWNERS.has(words[i - 2] ?? "") && /^[a-z]+$/.test(words[i - 1] ?? ""))))
}
