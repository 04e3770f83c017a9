/**
 * `bun run bench [-- NAME…]`: runs benchmarks from scripts/bench/<name>.ts (all when none named).
 * Each prints its own table of ratios measured in this one run and writes bench/results/<name>.json.
 */
import { readdirSync } from "node:fs"
import { join } from "node:path"

const dir = join(import.meta.dir, "bench")
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.slice(0, -3))
  .sort()
const wanted = process.argv.slice(2).filter((a) => a !== "--")
const names = wanted.length ? wanted : available
for (const n of names) {
  if (!available.includes(n)) {
    console.error(`unknown bench "${n}"; available: ${available.join(", ")}`)
    process.exit(2)
  }
}
let failed = 0
for (const n of names) {
  console.log(`\n=== bench: ${n} ===`)
  const p = Bun.spawn(["bun", join(dir, `${n}.ts`)], { stdio: ["ignore", "inherit", "inherit"] })
  if ((await p.exited) !== 0) failed++
}
process.exit(failed ? 1 : 0)
