/**
 * @module test/surface/run-code-console-controls
 * Regression (QA 335): run_code's console lines kept ESC sequences, C1 controls and bidi overrides
 * as written (a script logging a tool's text, or its own): they reach the model and the client,
 * whose UI and logs render them (ESC [2J clears a terminal, U+009B is CSI, CR overwrites a line,
 * U+202E reverses what follows). Now they are written as visible `\uXXXX` escapes, as a plugin's
 * console lines are; newline and tab stay. The returned value is data and stays as the script
 * returned it (JSON escapes its C0 controls on the wire).
 */
import { expect, test } from "bun:test"
import type { CallToolResult } from "@modelcontextprotocol/client"
import { silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/index.ts"
import { createRunCodeTool, RUN_CODE_DEFAULT_LIMITS, type RunCodeDeps } from "../../src/mcp/tools/run-code.ts"

async function run(code: string): Promise<CallToolResult> {
  const deps: RunCodeDeps = { call: async () => ({ content: [] }), search: () => [], reachable: () => [], limits: RUN_CODE_DEFAULT_LIMITS }
  const tools = new OwnTools([createRunCodeTool(deps)])
  return tools.call("run_code", { code }, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
}

const HOSTILE = "a\\u001b[2Jb\\u009b31mc\\rd\\u202ee\\u2066f\\u0007g\\u0000h\\ni\\tj"

test("console lines show controls and bidi overrides as escapes; newline and tab stay", async () => {
  const r = await run(`console.log("${HOSTILE}"); console.warn({ k: "${HOSTILE}" }); return 1`)
  expect(r.isError).toBeFalsy()
  const logs = (r.structuredContent as { logs: string[] }).logs
  expect(logs[0]).toBe("a\\u001b[2Jb\\u009b31mc\\u000dd\\u202ee\\u2066f\\u0007g\\u0000h\ni\tj")
  // an object's JSON escapes C0 itself; C1 and bidi controls are escaped here
  expect(logs[1]).toBe('[warn] {"k":"a\\u001b[2Jb\\u009b31mc\\rd\\u202ee\\u2066f\\u0007g\\u0000h\\ni\\tj"}')
  for (const l of logs) expect(l).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
  const text = (r.content[0] as { text: string }).text
  expect(text).not.toMatch(/[\u001b\u009b\u202e\r]/)
})

test("the returned value is data: its characters are returned as the script wrote them", async () => {
  const r = await run(`return "${HOSTILE}"`)
  expect(r.isError).toBeFalsy()
  expect((r.structuredContent as { result: string }).result).toBe("a\u001b[2Jb\u009b31mc\rd\u202ee\u2066f\u0007g\u0000h\ni\tj")
})
