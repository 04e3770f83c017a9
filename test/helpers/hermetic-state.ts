/**
 * Preloaded by every `bun test` run (bunfig.toml): each test gets a state and cache directory of its
 * own (XDG_STATE_HOME, XDG_CACHE_HOME of this process), removed when the next test starts (what a
 * disposed proxy writes as it closes lands before that) and after the last one. In-process code that
 * reads `process.env` (a Pool's remembered protocol eras, tool pins, OAuth tokens, caches) would
 * otherwise write to the developer's ~/.local/state and ~/.cache, and a later test, in this run or
 * the next, would start from what an earlier one remembered: a server's era verdict made its start
 * skip the probe, and a timing-dependent failure appeared only after another file had run.
 * Tests that set these variables themselves, or pass their own env to what they spawn
 * (`sandboxEnv`), are unaffected.
 */
import { afterAll, beforeEach } from "bun:test"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

let dir: string | undefined

const drop = (): void => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  dir = undefined
}

const fresh = (): void => {
  drop()
  dir = mkdtempSync(join(tmpdir(), "mcpo-test-state-"))
  process.env.XDG_STATE_HOME = join(dir, "state")
  process.env.XDG_CACHE_HOME = join(dir, "cache")
}

// the file's own beforeAll (a proxy shared by its tests) gets one too
fresh()
beforeEach(fresh)
afterAll(drop)
