/**
 * @module proxy/error-env
 * A tool error whose text names an environment variable the server's process did not get (exa's
 * "API key must be provided … (EXA_API_KEY)", after a start that went fine) gets one more text
 * block: which variable is not set for the server and the `servers.NAME.env` entry to write, the
 * hint a start that fails for it gives (pool/stderr-reason). The model reads it and can tell its
 * user; the log says it once per server (a model retrying would repeat it). Names only, never a
 * value; nothing is added when the child had every variable named (a wrong key is another matter).
 */
import { JsonBytes, RawJson, type Logger } from "../core/index.ts"
import { toolErrorText, type EnvHint } from "../pool/index.ts"
import type { CallToolResult, ToolCallOutput } from "./types.ts"

/** `r` with the env hint appended when it is a tool error naming a variable the child lacks. */
export function withEnvHint(server: string, tool: string, r: ToolCallOutput, missingEnv: ((text: string) => EnvHint | undefined) | undefined, log: Logger, told: Set<string>): ToolCallOutput {
  if (missingEnv === undefined) return r
  const text = toolErrorText(r)
  if (text === undefined) return r
  const hint = missingEnv(text)
  if (hint === undefined) return r
  if (!told.has(server)) {
    told.add(server)
    log.warn("tool error names an environment variable the server did not get", { server, tool, hint: hint.text, remedy: hint.remedy })
  }
  const v = (r instanceof RawJson ? r.value : r) as CallToolResult
  if (r instanceof RawJson && r.json instanceof JsonBytes) r.json.release()
  const content = Array.isArray(v.content) ? v.content : []
  return { ...v, content: [...content, { type: "text" as const, text: `mcp-orchestrator: ${hint.text}. ${hint.remedy}` }] } as CallToolResult
}
