/**
 * @module test/plugins/thrown-getters
 * Regression (QA 323): an Error whose `message` getter throws, thrown by a run_code script or a
 * plugin hook, was reported by its JSON: `the script threw Error: {} (line 1)`, as if the message
 * were "{}". Now the report says the message could not be read and what reading it threw, with the
 * line. The real sandbox, a real plugin file.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { runCode } from "../../src/sandbox/index.ts"

const limits = { timeoutMs: 10_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 160 * 1024, maxResultBytes: 1 << 20 }
const host = { call: async () => null, search: async () => [] }
const HOSTILE = `const e = new Error("hidden"); Object.defineProperty(e, "message", { get() { throw new RangeError("no message for you") } }); throw e`

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-thrown-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test("a script's Error whose message getter throws is reported as such, not as {}", async () => {
  const r = await runCode({ code: HOSTILE, limits, host })
  expect(r.ok).toBe(false)
  if (r.ok) return
  expect(r.fault.message).not.toBe("{}")
  expect(r.fault.message).toBe("[its message could not be read: reading it threw RangeError: no message for you]")
  expect(r.fault).toMatchObject({ kind: "guest", errorName: "Error", line: 1 })
  // a message getter that throws something that is no Error is named too
  const odd = await runCode({ code: `const e = new TypeError("x"); Object.defineProperty(e, "message", { get() { throw 42 } }); throw e`, limits, host })
  if (!odd.ok) expect(odd.fault.message).toBe("[its message could not be read: reading it threw 42]")
})

test("a plugin hook's Error whose message getter throws names that in the hook's error", async () => {
  writeFileSync(join(dir, "getter.js"), `export default { name: "getter", route(c) { ${HOSTILE} } }`)
  await using h = await PluginHost.create({ dirs: [dir], log: silentLogger })
  const err = (await h.route({ server: "s", tool: "t", args: {} }).catch((x: unknown) => x)) as Error
  expect(err.message).toContain("its message could not be read: reading it threw RangeError: no message for you")
  expect(err.message).not.toContain("Error: {}")
})

test("run_code: a thrown value whose getter never returns is named in the time limit's message, not taken for a loop in the script", async () => {
  const { OwnTools } = await import("../../src/mcp/index.ts")
  const { createRunCodeTool, RUN_CODE_DEFAULT_LIMITS } = await import("../../src/mcp/tools/run-code.ts")
  const tools = new OwnTools([createRunCodeTool({ call: async () => ({ content: [] }), search: () => [], reachable: () => [], limits: { ...RUN_CODE_DEFAULT_LIMITS, timeoutMs: 1500 } })])
  const code = `const e = new Error("x"); Object.defineProperty(e, "message", { get() { for (;;) {} } }); throw e`
  const r = await tools.call("run_code", { code }, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
  const text = (r.content[0] as { text: string }).text
  expect(r.isError).toBe(true)
  expect(text).toContain("time limit: the run did not finish within 1.5s (codeMode.timeout)")
  expect(text).toContain("the script threw a value, and reading it (a message, name or stack getter, or toString) did not return")
})
