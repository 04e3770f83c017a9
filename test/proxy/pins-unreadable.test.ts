/**
 * Regressions (QA qa280, a pins file a crash or the user left unreadable):
 * - a pins file truncated to 0 bytes (a power loss) or otherwise no JSON: the warning said "starting
 *   afresh" and nothing on what to do; it now carries the remedy (nothing: the file is kept aside at
 *   the next write, to compare).
 * - a file where the pins file's directory should be: two warnings for one cause, "cannot read"
 *   (ENOTDIR, no remedy) and then "cannot write" (with one). No pins file can be there: it is none,
 *   and the write's warning alone says what to do.
 */
import { expect, test } from "bun:test"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ToolPins } from "../../src/catalog/index.ts"
import { captureLog } from "./helpers.ts"

const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: "object" } })
const warnings = (records: Array<{ level: string; msg: string }>) => records.filter((r) => r.level === "warn" || r.level === "error")

test("a pins file truncated to 0 bytes: one warning, with the remedy", () => {
  const path = join(mkdtempSync(join(tmpdir(), "mcpo-pins-empty-")), "pins.json")
  writeFileSync(path, "")
  const { log, records } = captureLog()
  const p = new ToolPins(path, "warn", log, { writeIntervalMs: 0 })
  p.gate("s", [tool("a", "one")])
  const warned = warnings(records) as Array<{ msg: string; remedy?: unknown }>
  expect(warned.map((r) => r.msg)).toEqual(["cannot read the tool pins file; starting afresh"])
  expect(String(warned[0]!.remedy)).toContain("pins.json.corrupt")
  p.flush()
})

test("a file where the pins file's directory should be: one warning (the write's), with the remedy", () => {
  const blocker = join(mkdtempSync(join(tmpdir(), "mcpo-pins-blocked-")), "state")
  writeFileSync(blocker, "not a directory")
  const { log, records } = captureLog()
  const p = new ToolPins(join(blocker, "pins.json"), "warn", log, { writeIntervalMs: 0 })
  p.gate("s", [tool("a", "one")])
  p.flush()
  const warned = warnings(records) as Array<{ msg: string; remedy?: unknown }>
  expect(warned.map((r) => r.msg)).toEqual(["cannot write the tool pins file (pins stay in memory)"])
  expect(String(warned[0]!.remedy)).toContain(`A file stands where ${blocker}`)
})
