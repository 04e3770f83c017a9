/**
 * Regressions (QA qa19, the stored first answers):
 * - a snapshot or early index dated in the future (written while a clock was wrong) was never
 *   removed: "not used for a month" never came. Its age now starts when it is first seen.
 * - the first answer's key held no working directory: two projects started with one config whose
 *   stdio servers run in the working directory (no `cwd`: `npx` prefers a project's node_modules,
 *   a git server serves the repository it runs in) shared one first answer. The key holds it when
 *   a stdio server inherits it, and not otherwise.
 */
import { afterEach, expect, test } from "bun:test"
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pruneUnused, UNUSED_MS } from "../../src/app/snapshot-prune.ts"
import { ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { loadConfig } from "../../src/config/index.ts"
import { createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { tempDir } from "../helpers/binary.ts"

const DAY = 24 * 3600 * 1000
const start = process.cwd()
afterEach(() => process.chdir(start))

test("a snapshot dated a year ahead gets the date of now, and goes once unused for a month", () => {
  const dir = tempDir("mcpo-snap-future-")
  const f = join(dir, "tools-0123456789abcdef.snapshot.json")
  const ix = join(dir, "early-abc123.json")
  const now = Date.now()
  for (const p of [f, ix]) {
    writeFileSync(p, "{}")
    const ahead = new Date(now + 365 * DAY)
    utimesSync(p, ahead, ahead)
  }
  expect(pruneUnused(dir, [], now)).toBe(0)
  for (const p of [f, ix]) expect(Math.abs(statSync(p).mtimeMs - now)).toBeLessThan(5000)
  expect(pruneUnused(dir, [], now + UNUSED_MS + DAY)).toBe(2)
  expect(existsSync(f)).toBe(false)
  expect(existsSync(ix)).toBe(false)
})

test("two projects, one config whose stdio server runs in the working directory: two first answers", () => {
  const home = tempDir("mcpo-snap-cwd-")
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
  const a = join(home, "project-a")
  const b = join(home, "project-b")
  for (const d of [a, b]) mkdirSync(d)
  const inherits = join(home, "inherits.yaml")
  writeFileSync(inherits, "toolkit: { enabled: off }\nservers:\n  git: { command: uvx, args: [mcp-server-git] }\n")
  const own = join(home, "own.yaml")
  writeFileSync(own, "toolkit: { enabled: off }\nservers:\n  git: { command: uvx, args: [mcp-server-git], cwd: /srv/repo }\n  r: { url: https://example.com/mcp }\n")
  const pathIn = (dir: string, cfg: string): string | undefined => {
    process.chdir(dir)
    return new ToolSnapshot(loadConfig({ configPath: cfg, env }), env).path
  }
  expect(pathIn(a, inherits)).not.toBe(pathIn(b, inherits))
  // every stdio server has its own cwd: the working directory changes nothing, one answer serves both
  expect(pathIn(a, own)).toBe(pathIn(b, own))
})

test("a cache directory the first answer cannot be stored in: the warning says what to do (regression: the error alone)", () => {
  const home = tempDir("mcpo-snap-unwritable-")
  const cacheRoot = join(home, "k")
  // a file where the cache directory should be: the write fails for real, as root too
  writeFileSync(cacheRoot, "not a directory")
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: cacheRoot }
  const cfg = join(home, "config.yaml")
  writeFileSync(cfg, "toolkit: { enabled: off }\nservers:\n  r: { url: https://example.com/mcp }\n")
  const records: LogRecord[] = []
  const hub = createLogHub("debug", () => {})
  hub.sinks.add((r) => records.push(r))
  const snap = new ToolSnapshot(loadConfig({ configPath: cfg, env }), env, undefined, createLogger(hub, "snapshot"))
  snap.save([{ name: "r__t", inputSchema: { type: "object" } }])
  snap.flush()
  const warned = records.filter((r) => r.level === "warn" && r.msg.startsWith("cannot store the first tools/list answer"))
  expect(warned).toHaveLength(1)
  expect(warned[0]!.remedy).toContain("move it out of the way, or set cache.dir")
  expect(warned[0]!.remedy).toContain("each start waits for the servers' lists")
})
