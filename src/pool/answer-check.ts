/**
 * @module pool/answer-check
 * What makes an answer to `prompts/get`, `resources/read` or `completion/complete` no valid MCP
 * result: the checks an SDK client's schema runs on it (v1 and v2 alike), so a bad answer fails its
 * own request here with BAD_RESPONSE naming the server, the prompt or resource, and the field,
 * instead of reaching the client as a schema dump naming nothing (the SDK `Client` threw a zod
 * issue list for a prompt message of role "wizard", `contents: "nope"`, or a completion value that
 * is no string, a `blob` or image `data` that is no base64). Tools are checked by pool/tool-result-check. Property reads and `typeof` only;
 * nothing allocated unless something is wrong. One repair: a completion with more than 100 values
 * (which the SDK schemas refuse whole) is cut to its first 100, with `hasMore: true`.
 */
import { base64Problem } from "../core/index.ts"
import { blockProblem } from "./tool-result-check.ts"

/** The most completion values a result may carry (the spec's and the SDK schemas' bound). */
export const MAX_COMPLETION_VALUES = 100

/** The problem with `result` (an object) as an answer to `method`, or undefined (also for methods not checked here). */
export function answerProblem(method: string, result: object, shown: (v: unknown) => string): string | undefined {
  // a 2026-07-28 request for input (MRTR) carries none of the result's fields; the era's code checks it
  if ((result as { resultType?: unknown }).resultType === "input_required") return undefined
  if (method === "prompts/get") return promptProblem(result as Record<string, unknown>, shown)
  if (method === "resources/read") return readProblem(result as Record<string, unknown>, shown)
  if (method === "completion/complete") return completionProblem(result as Record<string, unknown>, shown)
  return undefined
}

/** What an answer to `method` with `params` is about, for its error ("prompt greet", "resource a://r"), if anything. */
export function answerSubject(method: string, params: Record<string, unknown> | undefined): string | undefined {
  if (method === "prompts/get" && typeof params?.name === "string") return `prompt ${params.name}`
  if (method === "resources/read" && typeof params?.uri === "string") return `resource ${params.uri}`
  if (method === "completion/complete") {
    const ref = params?.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined
    if (typeof ref?.name === "string") return `prompt ${ref.name}`
    if (typeof ref?.uri === "string") return `resource template ${ref.uri}`
  }
  return undefined
}

function promptProblem(r: Record<string, unknown>, shown: (v: unknown) => string): string | undefined {
  const messages = r.messages
  if (!Array.isArray(messages)) return `its messages is ${shown(messages)}, not a list of prompt messages`
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null
    if (typeof m !== "object" || m === null || Array.isArray(m)) return `messages[${i}] is ${shown(m)}, not a prompt message (an object with a role and a content)`
    if (m.role !== "user" && m.role !== "assistant") return `messages[${i}].role is ${shown(m.role)}, not "user" or "assistant"`
    const problem = blockProblem(m.content, shown)
    if (problem !== undefined) return `messages[${i}].content ${problem}`
  }
  if (r.description !== undefined && typeof r.description !== "string") return `its description is ${shown(r.description)}, not a string`
  return undefined
}

function readProblem(r: Record<string, unknown>, shown: (v: unknown) => string): string | undefined {
  const contents = r.contents
  if (!Array.isArray(contents)) return `its contents is ${shown(contents)}, not a list of resource contents`
  for (let i = 0; i < contents.length; i++) {
    const c = contents[i] as { uri?: unknown; text?: unknown; blob?: unknown; mimeType?: unknown } | null
    if (typeof c !== "object" || c === null || Array.isArray(c)) return `contents[${i}] is ${shown(c)}, not resource contents (an object with a uri and a text or a blob)`
    if (typeof c.uri !== "string") return `contents[${i}] has no uri string: its uri is ${shown(c.uri)}`
    if (typeof c.text !== "string" && typeof c.blob !== "string") return `contents[${i}] has neither a text nor a blob string`
    if (c.mimeType !== undefined && typeof c.mimeType !== "string") return `contents[${i}].mimeType is ${shown(c.mimeType)}, not a string`
    // with a text, the SDK schemas read it as text contents (the blob unread)
    if (typeof c.text !== "string") {
      const bad = base64Problem(c.blob as string)
      if (bad !== undefined) return `contents[${i}].blob is no base64: ${bad}`
    }
  }
  return undefined
}

function completionProblem(r: Record<string, unknown>, shown: (v: unknown) => string): string | undefined {
  const c = r.completion as { values?: unknown; total?: unknown; hasMore?: unknown } | null | undefined
  if (typeof c !== "object" || c === null || Array.isArray(c)) return `its completion is ${shown(c)}, not an object with values`
  const values = c.values
  if (!Array.isArray(values)) return `its completion.values is ${shown(values)}, not a list of strings`
  const n = Math.min(values.length, MAX_COMPLETION_VALUES)
  for (let i = 0; i < n; i++) if (typeof values[i] !== "string") return `completion.values[${i}] is ${shown(values[i])}, not a string`
  if (c.total !== undefined && !Number.isInteger(c.total)) return `its completion.total is ${shown(c.total)}, not a whole number`
  if (c.hasMore !== undefined && typeof c.hasMore !== "boolean") return `its completion.hasMore is ${shown(c.hasMore)}, not true or false`
  // more values than a client takes (its schema refuses the whole answer): the first ones, and more to come
  if (values.length > MAX_COMPLETION_VALUES) {
    values.length = MAX_COMPLETION_VALUES
    c.hasMore = true
  }
  return undefined
}
