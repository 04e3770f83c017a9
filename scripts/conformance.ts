/**
 * `bun run conformance`: the official MCP conformance suite (`@modelcontextprotocol/conformance`,
 * pinned 0.2.0-alpha.12, run under Bun: it needs `fs.globSync`, absent from Node 20) against our
 * Streamable HTTP face, with the fixture server test/fixtures/conformance-server.ts behind it in
 * passthrough mode, i.e. through the pool and proxy. Four sets, run concurrently, each on its own
 * orchestrator:
 *
 * - `--requirements 2025-11-25` and `--suite all --spec-version 2025-11-25`, the fixture spoken to in
 *   the legacy era (`initialize`);
 * - `--requirements 2026-07-28`, the fixture spoken to in the modern era (the MRTR scenarios
 *   need a modern downstream: a legacy one can only push requests, which a modern client cannot take);
 * - `--requirements 2025-11-25` again with a modern-era downstream (set `2025-11-25-via-modern`):
 *   a legacy client in front of a modern-only server, the relay between the eras.
 *
 * Each set has its expected-failures file in conformance/ (every entry with a `# reason`). A set
 * fails on a failure that is not listed and on a listed entry that passes (stale), so the lists stay
 * exact. Bounded in time; every process is stopped and every temp dir removed.
 *
 * `bun run conformance -- --set 2026-07-28` runs one set; `--out DIR` keeps the suite's raw results;
 * `--bin PATH` tests that orchestrator binary (default: dist/mcp-orchestrator when up to date, else
 * `bun src/main.ts`).
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { describe, judge, loadExpected, readResults, scoredScenarios } from "./lib/conformance-results.ts"
import { startOrchestrator, type ConformanceOrchestrator } from "./lib/conformance-orchestrator.ts"

const ROOT = join(import.meta.dir, "..")
const SUITE = join(ROOT, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js")
/** Per set; the sets run side by side, so this bounds the whole step (plus start-up). */
const SET_TIMEOUT_MS = 210_000

interface ConformanceSet {
  name: string
  args: string[]
  era: "legacy" | "modern"
  expected: string
  /** The requirement revision whose frozen list decides what is scored (none: everything run is). */
  requirements?: string
}

const SETS: ConformanceSet[] = [
  { name: "2025-11-25", args: ["--requirements", "2025-11-25"], era: "legacy", expected: "expected-2025-11-25.yml", requirements: "2025-11-25" },
  { name: "2026-07-28", args: ["--requirements", "2026-07-28"], era: "modern", expected: "expected-2026-07-28.yml", requirements: "2026-07-28" },
  { name: "all@2025-11-25", args: ["--suite", "all", "--spec-version", "2025-11-25"], era: "legacy", expected: "expected-all-2025-11-25.yml" },
  // a legacy client (Cursor's way) in front of a modern-only downstream: the cross-era relay
  { name: "2025-11-25-via-modern", args: ["--requirements", "2025-11-25"], era: "modern", expected: "expected-2025-11-25-via-modern.yml", requirements: "2025-11-25" },
]

const { values: opts } = parseArgs({ args: Bun.argv.slice(2), options: { set: { type: "string", multiple: true }, out: { type: "string" }, bin: { type: "string" } } })
const sets = opts.set?.length ? SETS.filter((s) => opts.set!.includes(s.name)) : SETS
if (sets.length === 0) {
  console.error(`conformance: no such set; the sets are ${SETS.map((s) => s.name).join(", ")}`)
  process.exit(2)
}

// a malformed list (or an entry without a reason) stops the run before anything starts
try {
  for (const set of sets) loadExpected(join(ROOT, "conformance", set.expected))
} catch (e) {
  console.error(`conformance: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(2)
}

const work = opts.out ?? mkdtempSync(join(tmpdir(), "mcpo-conformance-"))
mkdirSync(work, { recursive: true })
const orchestrators = new Map<string, ConformanceOrchestrator>()
const suites = new Set<Bun.Subprocess>()

/** Runs one set's suite process to completion (or its deadline); its output goes to a log file. */
async function runSuite(set: ConformanceSet, url: string): Promise<{ code: number; timedOut: boolean }> {
  const log = openSync(join(work, `${set.name}.log`), "w")
  const suite = Bun.spawn(
    [process.execPath, SUITE, "server", "--url", url, ...set.args, "--expected-failures", join(ROOT, "conformance", set.expected), "-o", join(work, set.name)],
    { cwd: ROOT, stdin: "ignore", stdout: log, stderr: log, env: { ...process.env, NO_COLOR: "1" } },
  )
  closeSync(log)
  suites.add(suite)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    suite.kill("SIGKILL")
  }, SET_TIMEOUT_MS)
  const code = await suite.exited
  clearTimeout(timer)
  suites.delete(suite)
  return { code, timedOut }
}

/**
 * One orchestrator per set: a downstream's server→client request (elicitation, sampling) goes to
 * the client that called last, so two suites sharing one downstream would steal each other's.
 */
async function runSet(set: ConformanceSet): Promise<{ code: number; timedOut: boolean }> {
  const orch = await startOrchestrator(ROOT, set.era, opts.bin)
  orchestrators.set(set.name, orch)
  console.log(`conformance: ${set.name} → ${set.era}-downstream orchestrator at ${orch.url}`)
  return runSuite(set, orch.url)
}

async function cleanUp(): Promise<void> {
  for (const s of suites) s.kill("SIGKILL")
  await Promise.all([...orchestrators.values()].map((o) => o.stop()))
  if (!opts.out) rmSync(work, { recursive: true, force: true })
}
let interrupted = false
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    interrupted = true
    void cleanUp().finally(() => process.exit(130))
  })
}

let failed = false
const started = Date.now()
try {
  // allSettled: a set that fails to start must not leave the others' processes unseen
  const outcomes = await Promise.allSettled(sets.map(runSet))
  if (interrupted) await new Promise(() => {}) // the signal handler cleans up and exits
  console.log(`\nconformance (@modelcontextprotocol/conformance 0.2.0-alpha.12, ${((Date.now() - started) / 1000).toFixed(0)} s):`)
  for (const [i, set] of sets.entries()) {
    const outcome = outcomes[i]!
    if (outcome.status === "rejected") {
      console.log(`${set.name}: did not run: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`)
      failed = true
      continue
    }
    const { code, timedOut } = outcome.value
    const verdict = judge(readResults(join(work, set.name)), loadExpected(join(ROOT, "conformance", set.expected)), set.requirements ? scoredScenarios(ROOT, set.requirements) : undefined)
    console.log(describe(set.name, verdict))
    const mine = verdict.unexpected.length + verdict.stale.length + verdict.missing.length > 0
    if (timedOut) console.log(`  ! the suite exceeded ${SET_TIMEOUT_MS / 1000} s and was stopped`)
    else if ((code !== 0) !== mine) console.log(`  ! the suite exited ${code}; its log: ${opts.out ? join(work, `${set.name}.log`) : "rerun with --out DIR"}`)
    if (code !== 0 || mine || timedOut) {
      failed = true
      console.log(`  orchestrator log tail:\n${orchestrators.get(set.name)?.logTail(10).replace(/^/gm, "    ")}`)
    }
  }
} catch (e) {
  console.error(`conformance: ${e instanceof Error ? e.message : String(e)}`)
  failed = true
} finally {
  await cleanUp()
  if (opts.out) writeFileSync(join(work, "README.txt"), "raw results of bun run conformance: <set>.log (suite output), <set>/server-<scenario>-<time>/checks.json\n")
}
process.exit(failed ? 1 : 0)
