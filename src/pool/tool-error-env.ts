/**
 * @module pool/tool-error-env
 * A server that starts without its key and fails only when a tool is called (exa answers a call
 * with "API key must be provided … (EXA_API_KEY)" as an `isError` result) is told the same thing as
 * one that fails at start (pool/stderr-reason `missingEnvHint`): which variable its environment
 * lacks and the `servers.NAME.env` entry to write. Only when the error's text names a variable the
 * child did not get (a key it got and that is wrong is another matter), never a value.
 */
import { isToolError, unwrapRaw } from "../core/index.ts"
import { missingEnvHint, type EnvHint } from "./stderr-reason.ts"

/** How much of an error result's text is read for variable names (an error's reason comes first). */
const TEXT_READ = 4000

/** The text blocks of a tool error result, joined (at most `TEXT_READ` characters); undefined for a result that is no error. */
export function toolErrorText(result: unknown): string | undefined {
  if (!isToolError(result)) return undefined
  const content = (unwrapRaw(result) as { content?: unknown } | null)?.content
  if (!Array.isArray(content)) return undefined
  let text = ""
  for (const b of content as { type?: unknown; text?: unknown }[]) {
    if (b?.type !== "text" || typeof b.text !== "string") continue
    text += (text ? "\n" : "") + b.text
    if (text.length >= TEXT_READ) break
  }
  return text ? text.slice(0, TEXT_READ) : undefined
}

/** The variables `text` (a tool error's) asks for that `childVars` lacks, worded for `server`. */
export function toolErrorEnvHint(text: string, server: string, childVars: Readonly<Record<string, string>>, ours: Readonly<Record<string, string | undefined>> = process.env): EnvHint | undefined {
  return missingEnvHint(text, server, childVars, ours)
}
