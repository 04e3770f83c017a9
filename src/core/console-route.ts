/**
 * @module core/console-route
 * What libraries print with `console.*` while serving becomes log lines. The MCP SDK warns with
 * console.warn (a refresh that failed: "[mcp-sdk] Could not refresh OAuth tokens …", a downstream's
 * tool excluded for a bad x-mcp-header, quoting the downstream's tool name raw) and prints with
 * console.debug and console.log, which go to STDOUT: in a stdio serve, the MCP channel. Raw, those
 * lines broke the "stderr is JSON lines" contract (a downstream-chosen text with a newline could
 * forge a log line) and skipped the redaction every log line gets; on stdout, one corrupted the
 * client's stream. Routed, each call is one redacted JSON line on stderr (component `library`).
 */
import { format } from "node:util"
import { cutText } from "./cut-text.ts"
import type { Logger, LogLevel } from "./logger.ts"

/** Characters of one console call kept. */
const MAX_CHARS = 4000

const LEVELS: ReadonlyArray<["log" | "info" | "debug" | "trace" | "warn" | "error", LogLevel]> = [
  ["log", "info"],
  ["info", "info"],
  ["debug", "debug"],
  ["trace", "debug"],
  ["warn", "warn"],
  ["error", "error"],
]

/** From now on `console.log/info/debug/trace/warn/error` write through `log` (stdout is never written). */
export function routeConsole(log: Logger): void {
  for (const [method, level] of LEVELS) {
    ;(console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      let text: string
      try {
        text = format(...args)
      } catch {
        text = "(a console message that could not be formatted)"
      }
      log[level](cutText(text, MAX_CHARS))
    }
  }
}
