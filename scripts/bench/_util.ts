/** Shared helpers for benchmark scripts: percentiles, tables, result files. */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"

export const ROOT = join(import.meta.dir, "..", "..")
export const BIN = process.env.MCPO_TEST_BIN || join(ROOT, "dist", "mcp-orchestrator")

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export function summarize(samples: number[]): { n: number; p50: number; p90: number; p99: number; min: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b)
  return {
    n: s.length,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  }
}

export function table(rows: Array<Record<string, string | number>>): string {
  if (!rows.length) return ""
  const cols = Object.keys(rows[0]!)
  const fmt = (v: string | number) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1)) : v)
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c] ?? "").length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join("  ")
  return [line(cols), line(width.map((w) => "-".repeat(w))), ...rows.map((r) => line(cols.map((c) => fmt(r[c] ?? ""))))].join("\n")
}

export function writeResult(name: string, data: unknown): string {
  const dir = join(ROOT, "bench", "results")
  mkdirSync(dir, { recursive: true })
  const p = join(dir, `${name}.json`)
  writeFileSync(p, JSON.stringify({ name, at: new Date().toISOString(), ...(data as object) }, null, 2) + "\n")
  return p
}

export async function ensureBinary(): Promise<void> {
  // Builds where the benches run it: a private `$MCPO_TEST_BIN` never races another build of dist/.
  const p = Bun.spawn([process.execPath, join(ROOT, "scripts", "build.ts"), "--outfile", BIN], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] })
  if ((await p.exited) !== 0) throw new Error("build failed")
}

/** Runs `op` n times with c workers in parallel; latency of each op and overall ops/s. */
export async function runConcurrent(n: number, c: number, op: () => Promise<unknown>): Promise<{ lat: number[]; rate: number }> {
  const lat: number[] = []
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next++ < n) {
        const t = performance.now()
        await op()
        lat.push(performance.now() - t)
      }
    }),
  )
  return { lat, rate: (n / (performance.now() - t0)) * 1000 }
}

/** One measurement round: n sequential ops, then n ops with c workers. */
export interface Cell {
  seq: ReturnType<typeof summarize>
  seqRate: number
  c16: ReturnType<typeof summarize>
  c16Rate: number
}

export async function runSequential(n: number, op: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await op()
    out.push(performance.now() - t)
  }
  return out
}

export async function measureRound(n: number, c: number, op: () => Promise<unknown>): Promise<Cell> {
  const t0 = performance.now()
  const seq = summarize(await runSequential(n, op))
  const seqRate = (n / (performance.now() - t0)) * 1000
  const conc = await runConcurrent(n, c, op)
  return { seq, seqRate, c16: summarize(conc.lat), c16Rate: conc.rate }
}

/** The round whose value is the median (by seq p50, and separately by c16 rate). */
export function medianCell(cells: Cell[]): Cell {
  const mid = <T,>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!
  const bySeq = mid(cells, (x) => x.seq.p50)
  const byConc = mid(cells, (x) => x.c16Rate)
  return { seq: bySeq.seq, seqRate: bySeq.seqRate, c16: byConc.c16, c16Rate: byConc.c16Rate }
}

/**
 * Median over rounds of the ratio within each round (round i of both paths ran back to back, so
 * drift between rounds cancels). Undefined when either side has no rounds.
 */
export function roundRatio(a: Cell[], b: Cell[] | undefined, key: (c: Cell) => number): number | undefined {
  const n = Math.min(a.length, b?.length ?? 0)
  if (!n) return undefined
  const rs = Array.from({ length: n }, (_, i) => key(a[i]!) / key(b![i]!)).sort((x, y) => x - y)
  return n % 2 ? rs[(n - 1) / 2]! : (rs[n / 2 - 1]! + rs[n / 2]!) / 2
}
