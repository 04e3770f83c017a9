/**
 * @module http/call
 * One `tools/call` served over HTTP without the protocol dispatch (both eras): the call's context, whose
 * notifications (progress) and requests to the client (legacy sessions: elicitation, sampling,
 * roots, on the call's own stream) go on the call's `Reply`, and which is cancelled when the client
 * closes that stream, disconnects, or sends `notifications/cancelled`.
 */
import { z } from "zod"
import { argumentsProblem, CallCancel, JsonBytes, metaProblem, RawJson } from "../core/index.ts"
import { completeModern, outgoingNotification, redactOutgoing, toRpcError, type McpFace } from "../mcp/index.ts"
import type { ClientLink, ClientRequestOptions, ModernRequest, RawCallContext, ToolCallOutput } from "../proxy/index.ts"
import type { Id, Reply, RpcMessage } from "./reply.ts"

/** Client answers are passed to the downstream as they are (the downstream validates them). */
const AnyResult = z.looseObject({})

export class HttpCall implements RawCallContext {
  readonly cancel = new CallCancel()
  readonly raw = true
  progressToken?: string | number
  /** The request's `_meta` as sent (the proxy forwards what of it is not this hop's); unset when none. */
  meta?: unknown
  routedTo?: string
  routedTool?: string
  /** A 2026-07-28 request's envelope and MRTR fields (set by the modern lane). */
  modern?: ModernRequest
  /** Set for a legacy session's call: a request to the client goes on this call's stream. */
  request?: (method: string, params: Record<string, unknown> | undefined, o: ClientRequestOptions) => Promise<unknown>

  constructor(
    readonly client: ClientLink,
    private readonly reply: Reply,
    progressToken: string | number | undefined,
    meta?: unknown,
  ) {
    if (progressToken !== undefined) this.progressToken = progressToken
    if (meta !== undefined) this.meta = meta
  }

  get signal(): AbortSignal {
    return this.cancel.signal
  }

  async notify(n: { method: string; params?: Record<string, unknown> }): Promise<void> {
    if (!this.cancel.aborted) this.reply.push(outgoingNotification(n) as RpcMessage)
  }

  /** Requests to the client go through the face's protocol (it matches the answer), tagged with this call's id. */
  onStreamOf(face: McpFace, id: Id): this {
    // held until the client sent notifications/initialized (mcp/init-gate), within its own timeout
    this.request = (method, params, o) =>
      face.server.whenInitialized(method, o, (timeout) =>
        face.server.request({ method, ...(params ? { params } : {}) } as never, AnyResult, {
          relatedRequestId: id,
          timeout,
          ...(o.signal ? { signal: o.signal } : {}),
        }),
      )
    return this
  }
}

/** tools/call params, checked: the problem as a JSON-RPC error, or the name and arguments. */
export function callParams(params: Record<string, unknown> | undefined): { error: { code: number; message: string } } | { name: string; args: Record<string, unknown> | undefined } {
  if (!params || typeof params.name !== "string") return { error: { code: -32602, message: "Invalid params: tools/call needs params.name (string)" } }
  const args = params.arguments
  const argsWrong = argumentsProblem("tools/call", args)
  if (argsWrong !== undefined) return { error: { code: -32602, message: `Invalid params: ${argsWrong}` } }
  const metaWrong = metaProblem(params)
  if (metaWrong !== undefined) return { error: { code: -32602, message: `Invalid params for tools/call: ${metaWrong}` } }
  return { name: params.name, args: args as Record<string, unknown> | undefined }
}

/** A tool result's answer text: a downstream's own JSON text is written as it came (no second stringify). */
export function resultAnswer(idJson: string, result: ToolCallOutput): string {
  if (result instanceof RawJson) {
    const json = result.json
    const text = typeof json === "string" ? json : json.text()
    if (json instanceof JsonBytes) json.release()
    return `{"jsonrpc":"2.0","id":${idJson},"result":${text}}`
  }
  return `{"jsonrpc":"2.0","id":${idJson},"result":${JSON.stringify(result)}}`
}

/** A failed call's answer (JSON-RPC error, redacted, without the SDK's message prefix). */
export function errorAnswer(id: Id, e: unknown): RpcMessage {
  const err = toRpcError(e)
  const error = { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) }
  return redactOutgoing({ jsonrpc: "2.0", id, error } as never) as RpcMessage
}

const RESULT_TYPE_KEY = '"resultType"'

/**
 * A tool result's answer for a 2026-07-28 client: a downstream's own JSON text gets
 * `"resultType":"complete"` spliced in and is written as it came (no parse, no second stringify).
 * Text that names a result type of its own (a modern downstream's, maybe `input_required`) or might
 * spell one with escapes goes the long way (`completeModern`: parsed, redacted where needed).
 */
export function modernResultAnswer(idJson: string, result: ToolCallOutput): string {
  let value: Record<string, unknown>
  if (result instanceof RawJson) {
    const json = result.json
    const text = typeof json === "string" ? json : json.text()
    if (json instanceof JsonBytes) json.release()
    const open = firstNonSpace(text)
    if (text.charCodeAt(open) === 0x7b && !text.includes(RESULT_TYPE_KEY) && !text.includes("\\u")) {
      const rest = firstNonSpace(text, open + 1)
      const sep = text.charCodeAt(rest) === 0x7d ? "" : ","
      return `{"jsonrpc":"2.0","id":${idJson},"result":{"resultType":"complete"${sep}${text.slice(rest)}}`
    }
    value = JSON.parse(text) as Record<string, unknown>
  } else value = result as unknown as Record<string, unknown>
  return `{"jsonrpc":"2.0","id":${idJson},"result":${JSON.stringify(completeModern("tools/call", value))}}`
}

/** Index of the first character at or after `from` that is not JSON whitespace. */
function firstNonSpace(text: string, from = 0): number {
  let i = from
  for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  return i
}
