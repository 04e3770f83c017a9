/**
 * What a test can make the binary do is listed in one place: every `MCPO_TEST_*` variable the
 * product reads is read in core/test-hooks and named in its TEST_HOOKS (with what it does). Before,
 * MCPO_TEST_HOLD_SHUTDOWN_MS was read in app/exit-guard, among the shutdown's real code, and no
 * list said which test hooks the shipped binary honours.
 */
import { describe, expect, test } from "bun:test"
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { TEST_HOOKS } from "../../src/core/test-hooks.ts"

const SRC = join(import.meta.dir, "..", "..", "src")
const HOOKS_FILE = "core/test-hooks.ts"
const NAME = /MCPO_TEST_[A-Z0-9_]*/g

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []))
}

/** A file's code without its comments (a comment may name a variable). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1")
}

describe("test hooks", () => {
  test("no product file but core/test-hooks names an MCPO_TEST_ variable", () => {
    const named = files(SRC)
      .map((f) => ({ f: relative(SRC, f), names: code(readFileSync(f, "utf8")).match(NAME) ?? [] }))
      .filter(({ f, names }) => f !== HOOKS_FILE && !f.endsWith(".test.ts") && names.length > 0)
      .map(({ f, names }) => `${f}: ${[...new Set(names)].join(", ")}`)
    expect(named).toEqual([])
  })

  test("every variable core/test-hooks reads is listed in TEST_HOOKS, with what it does", () => {
    const read = new Set(code(readFileSync(join(SRC, HOOKS_FILE), "utf8")).match(NAME)!.filter((n) => n !== "MCPO_TEST_"))
    expect([...read].sort()).toEqual(Object.keys(TEST_HOOKS).sort())
    for (const what of Object.values(TEST_HOOKS)) expect(what.length).toBeGreaterThan(10)
  })
})
