/**
 * @module test/cache/helpers
 * Temporary cache directories for the cache tests (removed afterwards, mounts included).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export function tempDir(tag = "cache"): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `mcpo-${tag}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
