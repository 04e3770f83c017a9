/**
 * @module test/plugins/lone-surrogates
 * Regression (QA 323): a lone surrogate (invalid UTF-16, `"\uD800"`) in a guest's text came out as
 * three U+FFFD in some places and intact in others. A string the host read from the sandbox
 * directly (a console line of a plugin or a run_code script, a string thrown) went through the
 * engine's UTF-8 (CESU-8) bytes, each byte of the lone surrogate decoded as a replacement
 * character: `console.log("a\uD800b")` read `a���b`, while the same text returned, thrown in an
 * Error or sent as a tool's arguments kept `\ud800`. Now every such string crosses as JSON, as
 * results do: the text is the guest's own, whatever it holds. The real sandbox, a real plugin file.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginHost } from "../../src/plugin/index.ts"
import { runCode } from "../../src/sandbox/index.ts"
import { captureLog } from "../proxy/helpers.ts"

const limits = { timeoutMs: 10_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 160 * 1024, maxResultBytes: 1 << 20 }
const host = { call: async () => null, search: async () => [] }

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-lone-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test("a run_code console line keeps a lone surrogate as the script wrote it, as its result does", async () => {
  const lines: string[] = []
  const r = await runCode({ code: `console.log("a\\uD800b"); console.warn("\\uDC00 x \\uD83D\\uDE00"); console.log(new Error("e\\uDFFF")); return "z\\uD800"`, limits, host, onLog: (_l, m) => lines.push(m) })
  expect(r.ok).toBe(true)
  expect(lines).toEqual(["a\uD800b", "\uDC00 x \u{1F600}", "Error: e\uDFFF"])
  expect(lines.join("").includes("\uFFFD")).toBe(false)
  if (r.ok) expect(r.value).toBe("z\uD800")
})

test("a string thrown by a run_code script keeps its lone surrogate, as an Error's message does", async () => {
  const s = await runCode({ code: `throw "a\\uD800b"`, limits, host })
  const e = await runCode({ code: `throw new Error("a\\uD800b")`, limits, host })
  expect(s.ok || e.ok).toBe(false)
  if (!s.ok) expect(s.fault.message).toBe('threw "a\\ud800b"')
  if (!e.ok) expect(e.fault.message).toBe("a\uD800b")
})

test("a plugin's console line and a string its hook throws keep a lone surrogate", async () => {
  writeFileSync(
    join(dir, "lone.js"),
    `export default { name: "lone", route(c) { console.log("seen \\uD800 " + c.tool); if (c.tool === "boom") throw "bad \\uDC00"; } }`,
  )
  const { log, records } = captureLog()
  await using h = await PluginHost.create({ dirs: [dir], log })
  expect(await h.route({ server: "s", tool: "t", args: {} })).toBeUndefined()
  const line = records.find((r) => String(r.msg).startsWith("seen"))
  expect(line?.msg).toBe("seen \uD800 t")
  const err = await h.route({ server: "s", tool: "boom", args: {} }).catch((x: unknown) => x as Error)
  expect(String((err as Error).message)).toContain('threw "bad \\udc00"')
  expect(String((err as Error).message).includes("\uFFFD")).toBe(false)
})
