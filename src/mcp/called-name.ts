/**
 * @module mcp/called-name
 * A tool or prompt name a client sends that is far too long to be one (a model that pasted a
 * document into `name`, a hostile client): refused at the face before anything routes, logs or
 * counts it. Every error about a called name quotes it (`Unknown tool: …`, `Server x is disabled, so
 * … cannot be called`, `tool … is hidden by …`): a 1 MB name came back as a 1 MB error the client
 * hands the model, and went whole into the usage log and the metrics' tool label.
 */
import { cutText, quotedStart } from "../core/index.ts"
import { RpcAnswerError, RpcCode } from "./rpc-answer.ts"

/**
 * Longest name taken. Exposed tool and prompt names are at most 64 characters (catalog/namespace,
 * a plugin's too); a downstream's own name (SEP-986: 128) under its server's (64) and a separator
 * stays under it, so no callable name is refused.
 */
export const MAX_CALLED_NAME = 256

/** Characters of such a name quoted in its refusal. */
const QUOTED = 40

/** The start of a name too long to be one, as logs, metrics and the refusal show it. */
export function shownCalledName(name: string): string {
  return quotedStart(name, QUOTED)
}

/** The -32602 refusal of a `kind` name over MAX_CALLED_NAME; undefined for a name that may be one. */
export function overlongName(kind: "tool" | "prompt", name: string): RpcAnswerError | undefined {
  if (name.length <= MAX_CALLED_NAME) return undefined
  const where = kind === "tool" ? "search_tools (or tools/list)" : "prompts/list"
  return new RpcAnswerError(
    RpcCode.InvalidParams,
    `Unknown ${kind}: the name given, ${JSON.stringify(cutText(name, QUOTED))}…, is ${name.length.toLocaleString("en")} characters long, and ${kind} names are at most 64 (server__${kind}): send the name exactly as ${where} gives it`,
  )
}
