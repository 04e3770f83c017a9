/**
 * The stored first answers (one per config state) and early indexes no longer pile up in the cache
 * directory: a new snapshot written removes ours that no start used for a month; one a start
 * answers from is marked used (at most once a day), and nothing else in the directory is touched.
 */
import { expect, test } from "bun:test"
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { pruneUnused, UNUSED_MS } from "../../src/app/snapshot-prune.ts"
import { tempDir } from "../helpers/binary.ts"

const DAY = 24 * 3600 * 1000
const age = (path: string, ms: number): void => {
  const t = new Date(Date.now() - ms)
  utimesSync(path, t, t)
}
const TOOL = { name: "echo", inputSchema: { type: "object" as const } }

test("a new snapshot removes ours unused for a month, keeps the used, the recent and everything not ours", () => {
  const home = tempDir("mcpo-snap-prune-")
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
  const cfg = join(home, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { a: { command: "true" } } }))
  const first = new ToolSnapshot(loadConfig({ configPath: cfg, env }), env)
  first.save([TOOL])
  first.flush()
  const used = first.path!
  expect(existsSync(used)).toBe(true)
  const dir = dirname(used)
  // the first state's answer is old, then a start answers from it: marked used again
  age(used, 40 * DAY)
  expect(new ToolSnapshot(loadConfig({ configPath: cfg, env }), env).readAnswer()).toBeDefined()
  expect(statSync(used).mtimeMs).toBeGreaterThan(Date.now() - DAY)
  // other states' answers and early indexes: one a month unused, one recent; files not ours, old
  const stale = join(dir, "tools-0123456789abcdef.snapshot.json")
  const recent = join(dir, "tools-fedcba9876543210.snapshot.json")
  const staleIndex = join(dir, "early-abc123.json")
  const notOurs = [join(dir, "notes.txt"), join(dir, "tools-backup.snapshot.json"), join(dir, "early-index.json.bak")]
  for (const f of [stale, recent, staleIndex, ...notOurs]) writeFileSync(f, "{}")
  for (const f of [stale, staleIndex, ...notOurs]) age(f, 40 * DAY)
  age(recent, 10 * DAY)
  // the config is edited: a new state, a new snapshot written
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { a: { command: "true" }, b: { command: "true" } } }))
  const second = new ToolSnapshot(loadConfig({ configPath: cfg, env }), env)
  expect(second.path).not.toBe(used)
  second.save([TOOL])
  second.flush()
  expect(existsSync(second.path!)).toBe(true)
  expect(existsSync(stale)).toBe(false)
  expect(existsSync(staleIndex)).toBe(false)
  expect(existsSync(used)).toBe(true)
  expect(existsSync(recent)).toBe(true)
  for (const f of notOurs) expect(existsSync(f)).toBe(true)
})

test("pruneUnused keeps what it is told to keep, and a missing directory is no error", () => {
  const dir = tempDir("mcpo-snap-prune-unit-")
  mkdirSync(dir, { recursive: true })
  const keep = join(dir, "tools-1111111111111111.snapshot.json")
  const old = join(dir, "tools-2222222222222222.snapshot.json")
  for (const f of [keep, old]) {
    writeFileSync(f, "{}")
    age(f, UNUSED_MS + DAY)
  }
  // each with its superseded mark (app/tool-snapshot): the pruned one's goes with it
  for (const f of [keep, old]) writeFileSync(`${f}.superseded`, "")
  expect(pruneUnused(dir, [keep])).toBe(1)
  expect(existsSync(keep)).toBe(true)
  expect(existsSync(`${keep}.superseded`)).toBe(true)
  expect(existsSync(old)).toBe(false)
  expect(existsSync(`${old}.superseded`)).toBe(false)
  expect(pruneUnused(join(dir, "nope"), [])).toBe(0)
})
