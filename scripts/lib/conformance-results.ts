/**
 * Results of one conformance set against its expected-failures file: which scenarios passed, which
 * failed (with the failing checks the suite reported), which failures were expected, and which
 * entries are stale. Same rules as the suite's own baseline check (`FAILURE` and `WARNING` count as
 * failing; `scenario:check-id` entries excuse one check), so the summary and the exit code agree.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

export interface Check {
  id: string
  name?: string
  status: "SUCCESS" | "FAILURE" | "WARNING" | "SKIPPED" | "INFO"
  errorMessage?: string
  description?: string
}

export interface ExpectedEntry {
  /** As written: `scenario` or `scenario:check-id`. */
  entry: string
  scenario: string
  checkId?: string
  reason: string
}

export interface SetVerdict {
  passed: string[]
  /** Failing scored scenarios, each with its failing checks. */
  failed: Map<string, Check[]>
  expected: string[]
  unexpected: string[]
  stale: string[]
  /** Scenarios run but not scored by the requirement set (never fail the run). */
  unscored: Map<string, Check[]>
  /** Scored scenarios the suite never reported (timed out, crashed). */
  missing: string[]
}

const isFailed = (c: Check) => c.status === "FAILURE" || c.status === "WARNING"

/**
 * Reads an expected-failures file (`server:` list). Every entry must carry a one-line reason as a
 * trailing `# comment`: a list without reasons stops being reviewed.
 */
export function loadExpected(path: string): ExpectedEntry[] {
  const text = readFileSync(path, "utf8")
  const parsed = (Bun.YAML.parse(text) ?? {}) as { server?: unknown }
  const list = parsed.server ?? []
  if (!Array.isArray(list)) throw new Error(`${path}: 'server' must be a list`)
  const reasons = new Map<string, string>()
  for (const line of text.split("\n")) {
    const m = /^\s*-\s*([^\s#]+)\s*#\s*(\S.*)$/.exec(line)
    if (m) reasons.set(m[1]!, m[2]!.trim())
  }
  return list.map((raw) => {
    const entry = String(raw)
    const reason = reasons.get(entry)
    if (!reason) throw new Error(`${path}: entry '${entry}' has no reason (write '- ${entry}  # why it fails')`)
    const colon = entry.indexOf(":")
    return colon < 0 ? { entry, scenario: entry, reason } : { entry, scenario: entry.slice(0, colon), checkId: entry.slice(colon + 1), reason }
  })
}

/** The server scenarios a requirement set scores (the suite's frozen `requirements/<rev>.yaml`). */
export function scoredScenarios(root: string, revision: string): Set<string> {
  const file = join(root, "node_modules", "@modelcontextprotocol", "conformance", "requirements", `${revision}.yaml`)
  const doc = Bun.YAML.parse(readFileSync(file, "utf8")) as { server?: string[] }
  return new Set(doc.server ?? [])
}

/** checks.json of every scenario the suite ran, from its `-o` directory (`server-<scenario>-<timestamp>/`). */
export function readResults(outDir: string): Map<string, Check[]> {
  const results = new Map<string, Check[]>()
  if (!existsSync(outDir)) return results
  for (const dir of readdirSync(outDir)) {
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(dir)
    const file = join(outDir, dir, "checks.json")
    if (!m || !existsSync(file)) continue
    results.set(m[1]!, JSON.parse(readFileSync(file, "utf8")) as Check[])
  }
  return results
}

/** Judges results against the expected list; `scored` undefined means every scenario run is scored. */
export function judge(results: Map<string, Check[]>, expected: ExpectedEntry[], scored?: Set<string>): SetVerdict {
  const v: SetVerdict = { passed: [], failed: new Map(), expected: [], unexpected: [], stale: [], unscored: new Map(), missing: [] }
  for (const name of scored ?? []) if (!results.has(name)) v.missing.push(name)
  for (const [scenario, checks] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
    const failing = checks.filter(isFailed)
    if (scored && !scored.has(scenario)) {
      v.unscored.set(scenario, failing)
      continue
    }
    if (failing.length === 0) v.passed.push(scenario)
    else v.failed.set(scenario, failing)
    const whole = expected.find((e) => e.scenario === scenario && !e.checkId)
    if (whole) {
      ;(failing.length > 0 ? v.expected : v.stale).push(whole.entry)
      continue
    }
    const perCheck = expected.filter((e) => e.scenario === scenario && e.checkId)
    for (const c of failing) {
      const entry = `${scenario}:${c.id}`
      if (perCheck.some((e) => e.checkId === c.id)) {
        if (!v.expected.includes(entry)) v.expected.push(entry)
      } else if (!v.unexpected.includes(perCheck.length ? entry : scenario)) v.unexpected.push(perCheck.length ? entry : scenario)
    }
    // only a demonstrated pass makes a per-check entry stale (absent or skipped says nothing)
    for (const e of perCheck) {
      const ofId = checks.filter((c) => c.id === e.checkId && c.status !== "INFO")
      if (ofId.length > 0 && ofId.every((c) => c.status === "SUCCESS")) v.stale.push(e.entry)
    }
  }
  // an entry for a scored scenario that never ran is stale too: the list must name what runs
  for (const e of expected) {
    if (!results.has(e.scenario) && !v.missing.includes(e.scenario)) v.stale.push(e.entry)
  }
  return v
}

/** Human summary of one set: counts, then each failing scenario with the suite's failing checks. */
export function describe(set: string, v: SetVerdict): string {
  const lines: string[] = []
  const failedCount = v.failed.size
  lines.push(
    `${set}: ${v.passed.length} passed, ${failedCount} failed (${v.expected.length} expected), ${v.unexpected.length} unexpected, ${v.stale.length} stale` +
      (v.missing.length ? `, ${v.missing.length} not run` : "") +
      (v.unscored.size ? `; not scored: ${v.unscored.size} run, ${[...v.unscored.values()].filter((c) => c.length > 0).length} failing` : ""),
  )
  for (const [scenario, checks] of v.failed) {
    const mark = v.unexpected.some((u) => u === scenario || u.startsWith(`${scenario}:`)) ? "✗" : "~"
    lines.push(`  ${mark} ${scenario}`)
    for (const c of checks) lines.push(`      ${c.status} ${c.id}: ${oneLine(c.errorMessage ?? c.description ?? "")}`)
  }
  for (const s of v.stale) lines.push(`  ! stale entry (passes now, or never runs; remove it): ${s}`)
  for (const s of v.missing) lines.push(`  ! not run (timed out or crashed?): ${s}`)
  for (const [scenario, checks] of v.unscored) if (checks.length) lines.push(`  (not scored) ${scenario}: ${checks.map((c) => c.id).join(", ")}`)
  return lines.join("\n")
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, " ").trim()
  return t.length > 300 ? `${t.slice(0, 297)}...` : t
}
