/**
 * The rules `bun run conformance` judges each set by (scripts/lib/conformance-results.ts): an
 * unlisted failure and a listed entry that passes both fail the set, a per-check entry excuses only
 * its check, scenarios outside a requirement set never count, and every entry needs a reason.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { judge, loadExpected, readResults, type Check, type ExpectedEntry } from "../../scripts/lib/conformance-results.ts"

const dir = mkdtempSync(join(tmpdir(), "conformance-results-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ok = (id: string): Check => ({ id, status: "SUCCESS" })
const bad = (id: string, status: Check["status"] = "FAILURE"): Check => ({ id, status, errorMessage: `${id} broke` })
const entry = (e: string): ExpectedEntry => {
  const [scenario, checkId] = e.split(":") as [string, string | undefined]
  return { entry: e, scenario, ...(checkId ? { checkId } : {}), reason: "why" }
}

describe("judge", () => {
  const results = new Map<string, Check[]>([
    ["tools-list", [ok("tools-list"), ok("wire-schema-valid")]],
    ["tools-call-error", [bad("tools-call-error"), ok("wire-schema-valid")]],
    ["server-stateless", [ok("a"), bad("b"), bad("c", "WARNING")]],
  ])

  test("an unlisted failure is unexpected; a WARNING counts as failing", () => {
    const v = judge(results, [])
    expect(v.passed).toEqual(["tools-list"])
    expect([...v.failed.keys()].sort()).toEqual(["server-stateless", "tools-call-error"])
    expect(v.unexpected.sort()).toEqual(["server-stateless", "tools-call-error"])
    expect(v.stale).toEqual([])
  })

  test("a listed failure is expected, a listed pass is stale", () => {
    const v = judge(results, [entry("tools-call-error"), entry("tools-list")])
    expect(v.expected).toEqual(["tools-call-error"])
    expect(v.stale).toEqual(["tools-list"])
    expect(v.unexpected).toEqual(["server-stateless"])
  })

  test("a per-check entry excuses that check only, and goes stale when the check passes", () => {
    const v = judge(results, [entry("server-stateless:b"), entry("server-stateless:a")])
    expect(v.expected).toEqual(["server-stateless:b"])
    expect(v.unexpected.sort()).toEqual(["server-stateless:c", "tools-call-error"])
    expect(v.stale).toEqual(["server-stateless:a"])
  })

  test("outside the requirement set nothing counts; a scored scenario that never ran is reported; an entry for a scenario that never runs is stale", () => {
    const v = judge(results, [entry("ping")], new Set(["tools-list", "tools-call-error", "ping"]))
    expect(v.unscored.has("server-stateless")).toBe(true)
    expect(v.unexpected).toEqual(["tools-call-error"])
    expect(v.missing).toEqual(["ping"])
    expect(judge(results, [entry("no-such-scenario")]).stale).toEqual(["no-such-scenario"])
  })
})

describe("loadExpected", () => {
  test("reads entries with their reasons", () => {
    const f = join(dir, "good.yml")
    writeFileSync(f, "# header\nserver:\n  - tools-list            # HTTP face modern era in progress\n  - server-stateless:b  # one check\n")
    expect(loadExpected(f)).toEqual([
      { entry: "tools-list", scenario: "tools-list", reason: "HTTP face modern era in progress" },
      { entry: "server-stateless:b", scenario: "server-stateless", checkId: "b", reason: "one check" },
    ])
    writeFileSync(f, "server: []\n")
    expect(loadExpected(f)).toEqual([])
  })

  test("refuses an entry without a reason", () => {
    const f = join(dir, "bad.yml")
    writeFileSync(f, "server:\n  - tools-list  # fine\n  - ping\n")
    expect(() => loadExpected(f)).toThrow(/'ping' has no reason/)
  })

  test("the shipped lists all carry reasons", () => {
    const root = join(import.meta.dir, "..", "..", "conformance")
    for (const name of ["expected-2025-11-25.yml", "expected-2026-07-28.yml", "expected-all-2025-11-25.yml", "expected-2025-11-25-via-modern.yml"]) {
      expect(() => loadExpected(join(root, name))).not.toThrow()
    }
  })
})

test("readResults maps the suite's result directories to scenarios", () => {
  const out = join(dir, "out")
  for (const [d, checks] of [
    ["server-tools-list-2026-12-03T15-39-07-709Z", [ok("tools-list")]],
    ["server-input-required-result-multi-round-2026-12-03T15-39-08-001Z", [bad("r1")]],
  ] as const) {
    mkdirSync(join(out, d), { recursive: true })
    writeFileSync(join(out, d, "checks.json"), JSON.stringify(checks))
  }
  mkdirSync(join(out, "server-skipped-2026-12-03T15-39-08-002Z"), { recursive: true }) // no checks.json: not reported
  const r = readResults(out)
  expect([...r.keys()].sort()).toEqual(["input-required-result-multi-round", "tools-list"])
  expect(r.get("input-required-result-multi-round")?.[0]?.status).toBe("FAILURE")
})
