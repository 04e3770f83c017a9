/**
 * A synchronous read of a path opens it with a blocking open(2): a FIFO at that path (put in the
 * state or cache dir, at ~/.docker/config.json, at Cursor's mcp.json, as a server's `command`)
 * held the process there for good, before it answered anything and deaf to SIGTERM, SIGINT and
 * stdin EOF. So every read of a path goes through core/plain-file (a file that must be regular:
 * state, cache, other programs' files) or core/user-file (`readTextFile`: a file a person names,
 * which may be a pipe), both of which open with O_NONBLOCK; the files listed here read only what
 * no one can replace by a FIFO (/proc, our own bundled WASM).
 */
import { describe, expect, test } from "bun:test"
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"

const SRC = join(import.meta.dir, "..", "..", "src")
/** Files whose synchronous reads are of /proc or of our own bundled asset. */
const ALLOWED = new Set(["core/subreaper.ts", "core/descendants.ts", "sandbox/starved.ts", "sandbox/wasm.ts"])
/** `readFileSync(`, or an `openSync(` for reading without O_NONBLOCK (`"r"`, `"r+"`, or flags that do not say O_NONBLOCK). */
const BLOCKING_READ = /\breadFileSync\s*\(|\bopenSync\s*\([^)\n]*,\s*["']r\+?["']/

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []))
}

/** The code of a file without its comments (a comment may name readFileSync). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1")
}

describe("no blocking open of a path", () => {
  test("each synchronous read of a path goes through core/plain-file or core/user-file (or reads /proc)", () => {
    const blocking = files(SRC)
      .map((f) => ({ f: relative(SRC, f), text: code(readFileSync(f, "utf8")) }))
      .filter(({ f, text }) => !f.endsWith(".test.ts") && !ALLOWED.has(f) && BLOCKING_READ.test(text))
      .map(({ f }) => f)
    expect(blocking).toEqual([])
  })

  test("the rule sees a bare read (so that it can fail)", () => {
    expect(BLOCKING_READ.test(code(`const t = readFileSync(p, "utf8")`))).toBe(true)
    expect(BLOCKING_READ.test(code(`fd = openSync(path, "r")`))).toBe(true)
    expect(BLOCKING_READ.test(code(`// readFileSync(p)\nconst x = 1`))).toBe(false)
    expect(BLOCKING_READ.test(code(`fd = openSync(lock, "wx", 0o600)`))).toBe(false)
  })
})
