/**
 * @module test/plugins/terminal-text
 * Regression (QA 27 #4): text a plugin chose reached the terminal raw. `plugins list` (and check,
 * doctor, every error a hook fails with) printed the export's version and descriptions and the
 * message of whatever the module or a hook threw as they were: ESC [2J cleared the screen,
 * ESC ] 0 ; … BEL retitled the terminal, CR and U+202E rewrote what the user reads. Now the export's
 * text fields refuse control characters at load (naming the field and the character), and a
 * guest's error text, and keys and values quoted from an invalid result, show them as visible
 * `\u001b` escapes. Real plugin files, the real sandbox.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-plterm-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A control character (but newline and tab) or a bidi control: what must not reach a terminal raw. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

test("terminal control text from a plugin never comes out raw: export fields refused, thrown and quoted text escaped", async () => {
  // JS escapes in the plugin source: the strings hold the raw characters
  writeFileSync(join(dir, "a-version.js"), 'export default { name: "v", version: "1.0\\u001b[31m", prompts: [{ name: "v", render() { return "x" } }] }')
  writeFileSync(join(dir, "b-describe.js"), 'export default { name: "d", prompts: [{ name: "d", description: "see \\u202e txt.exe", render() { return "x" } }] }')
  writeFileSync(join(dir, "c-throws.js"), 'throw new Error("load \\u001b[2J\\u001b]0;pwned\\u0007\\r done")')
  writeFileSync(
    join(dir, "d-hooks.js"),
    `export default { name: "h",
      prompts: [{ name: "boom", render() { throw new Error("render \\u001b[2J") } }],
      route(c) { return { ["\\u001b[2Jrout"]: 1 } } }`,
  )
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  const byFile = (f: string) => host.list().find((p) => p.file.endsWith(f))!

  const v = byFile("a-version.js")
  expect(v.state).toBe("failed")
  expect(v.lastError).toContain("version: contains a control character (U+001B at 3)")
  const d = byFile("b-describe.js")
  expect(d.state).toBe("failed")
  expect(d.lastError).toContain("prompts.0.description: contains a control character (U+202E at 4)")

  const c = byFile("c-throws.js")
  expect(c.state).toBe("failed")
  expect(c.lastError).toContain("load \\u001b[2J\\u001b]0;pwned\\u0007\\u000d done")

  const render = await host.getPrompt("boom", {}).then(
    () => "rendered",
    (e: Error) => e.message,
  )
  expect(render).toContain("render \\u001b[2J")
  const route = await host.route({ server: "s", tool: "t", args: {} }).then(
    () => "routed",
    (e: Error) => e.message,
  )
  expect(route).toContain('unknown key "\\u001b[2Jrout"')

  for (const text of [...host.list().map((p) => p.lastError ?? ""), render, route]) expect({ text, raw: RAW.test(text) }).toEqual({ text, raw: false })
})
