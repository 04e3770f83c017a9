/**
 * Runs each test file alone, in a process of its own, with test/helpers/leak-probe.ts preloaded,
 * and prints the files that leave process-wide state behind (secret registry values, env changes,
 * umask, child processes, sockets, descriptors, process listeners, replaced globals). `bun test`
 * runs the whole suite in ONE process: what a file leaves, every later file sees.
 *
 *   bun scripts/test-leaks.ts [--jobs N] [--all] <test files or folders>…
 *
 * Prints offenders only (`--all`: every file), one JSON line each, and a count at the end; exits 1
 * when any file leaked. A file whose tests fail is listed as failed (its leaks are still read).
 */
import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const args = process.argv.slice(2)
let jobs = 2
let all = false
const targets: string[] = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--jobs") jobs = Math.max(1, Number(args[++i]) || 1)
  else if (args[i] === "--all") all = true
  else targets.push(args[i]!)
}
if (targets.length === 0) {
  console.error("usage: bun scripts/test-leaks.ts [--jobs N] [--all] <test files or folders>… (name what to check: the whole suite takes long)")
  process.exit(2)
}

function testFiles(p: string): string[] {
  if (statSync(p).isFile()) return [p]
  return readdirSync(p, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.test\.tsx?$/.test(f) && !f.includes("node_modules"))
    .map((f) => join(p, f))
    .sort()
}

const files = targets.flatMap(testFiles)
const root = resolve(import.meta.dir, "..")
const dir = mkdtempSync(join(tmpdir(), "mcpo-leaks-"))
const probe = join(root, "test/helpers/leak-probe.ts")

type Report = { secrets: Record<string, string>; env: Record<string, string>; umask?: string; exitCode?: string; children: string[]; fds: number; newFds: Record<string, number>; listening: number; listeners: Record<string, string>; globals: string[] }

function offences(r: Report): string[] {
  const o: string[] = []
  if (Object.keys(r.secrets).length) o.push(`secrets ${JSON.stringify(r.secrets)}`)
  if (Object.keys(r.env).length) o.push(`env ${JSON.stringify(r.env)}`)
  if (r.umask) o.push(`umask ${r.umask}`)
  if (r.exitCode) o.push(`process.exitCode ${r.exitCode}`)
  if (r.children.length) o.push(`children ${JSON.stringify(r.children)}`)
  if (r.listening > 0) o.push(`listening sockets ${r.listening}`)
  if (r.fds > 0) o.push(`+${r.fds} descriptors ${JSON.stringify(r.newFds)}`)
  if (Object.keys(r.listeners).length) o.push(`process listeners ${JSON.stringify(r.listeners)}`)
  if (r.globals.length) o.push(`globals ${JSON.stringify(r.globals)}`)
  return o
}

let leaked = 0
let failed = 0
async function one(file: string, n: number): Promise<void> {
  const report = join(dir, `${n}.json`)
  const proc = Bun.spawn(["bun", "test", "--timeout", "30000", "--preload", probe, resolve(file)], {
    cwd: root,
    env: { ...process.env, MCPO_LEAK_REPORT: report },
    stdout: "ignore",
    stderr: "ignore",
  })
  const code = await proc.exited
  let r: Report | undefined
  try {
    r = JSON.parse(readFileSync(report, "utf8")) as Report
  } catch {
    // no report: the file did not reach its end
  }
  const o = r ? offences(r) : ["no report (the run did not reach the end)"]
  if (code !== 0) failed++
  if (o.length) leaked++
  if (o.length || all || code !== 0) console.log(JSON.stringify({ file, exit: code, leaks: o }))
}

let next = 0
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < files.length) {
      const i = next++
      await one(files[i]!, i)
    }
  }),
)
console.log(`${files.length} files: ${leaked} leaving state behind, ${failed} failed`)
process.exit(leaked > 0 ? 1 : 0)
