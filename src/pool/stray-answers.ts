/**
 * @module pool/stray-answers
 * A response from a stdio downstream that answers no request in flight. Most are late answers to
 * requests given up (timed out, cancelled): dropped quietly. The rest were dropped quietly too, and
 * the request they were meant for waited out its whole timeout (60 s by default) with nothing said:
 * - the right id in another type (`"7"` for 7: a hand-written server that keeps ids as strings) —
 *   it can only be that request's answer: the request fails at once with BAD_RESPONSE;
 * - an error with id null (or none): what a JSON-RPC server answers to a request it could not read
 *   ("Parse error", "Invalid Request") — with one request in flight it is that one's, which fails at
 *   once with the server's error named; with several there is no telling which: a warning;
 * - an id never sent (a number past the last request, a string, a fraction): a warning.
 * The remote transports check a request's own POST instead (pool/own-answers).
 */
import { errorMessage } from "../core/index.ts"
import { errorWords, idWords } from "./own-answers.ts"

export type StrayVerdict =
  /** The answer of the request `id`, which fails with `problem`. */
  | { kind: "owner"; id: number; problem: string }
  /** A late answer to a request given up: nothing to say. */
  | { kind: "late" }
  /** An answer to nothing we can tell: worth a warning. */
  | { kind: "stray"; what: string }

/**
 * What to do with a response whose id (`m.id`) is no pending request. `lastId`: the id of the last
 * request sent (ids run 1, 2, …); `pending`: the ids in flight.
 */
export function strayAnswer(m: Record<string, unknown>, lastId: number, pending: readonly number[]): StrayVerdict {
  const id = m.id
  if (typeof id === "number" && Number.isSafeInteger(id) && id >= 1 && id <= lastId) return { kind: "late" }
  if (typeof id === "string" && /^[1-9]\d{0,15}$/.test(id.trim()) && pending.includes(Number(id))) {
    return { kind: "owner", id: Number(id), problem: `it came with the id ${idWords(id)} (a string), not ${Number(id)}: a JSON-RPC response carries its request's id as it was sent` }
  }
  if ((id === null || id === undefined) && m.error !== undefined) {
    const what = `an error with id ${idWords(id)}: ${errorWords(m.error)}`
    if (pending.length === 1) {
      return { kind: "owner", id: pending[0]!, problem: `it answered with ${what} — what a JSON-RPC server answers to a request it could not read (this was the only request in flight)` }
    }
    return { kind: "stray", what: `${what} (a request it could not read; ${pending.length === 0 ? "no request was in flight" : `${pending.length} requests were in flight, no telling which: each waits for its own answer or timeout`})` }
  }
  return { kind: "stray", what: `an answer with id ${idWords(id)}, which is no request of ours` }
}

/**
 * Why an answer line of the request `owner` (told by its first bytes) that begins as a JSON object
 * could not be read (a line cut short, `NaN`, single quotes, a trailing comma; or JSON without
 * `"jsonrpc":"2.0"`): the words for that request's error. Undefined when the line is JSON whose id
 * is not `owner` (a JSON log line that begins with "result": no answer of ours).
 */
export function unreadableAnswer(line: string, owner: string | number): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (e) {
    return `its answer line is not JSON (${errorMessage(e)}), so it could not be read: each answer must be one JSON-RPC message on one line`
  }
  if ((value as { id?: unknown } | null)?.id !== owner) return undefined
  return `its answer line is JSON but no JSON-RPC 2.0 message (it lacks "jsonrpc":"2.0"), so it could not be read`
}
