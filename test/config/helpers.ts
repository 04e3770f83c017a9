/**
 * Shared setup of the config tests: config files written to one temp directory, and the problem
 * lines of the ConfigError a load throws.
 */
import { expect } from "bun:test"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigError } from "../../src/core/index.ts"

/** A temp directory and a writer of numbered config files in it (or named ones). */
export function configDir(prefix: string): { dir: string; file(text: string, ext?: string, name?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  let n = 0
  return {
    dir,
    file(text, ext = "yaml", name) {
      const p = join(dir, name ?? `c${n++}.${ext}`)
      writeFileSync(p, text)
      return p
    },
  }
}

/** The problem lines of the ConfigError `fn` throws (fails the test when it throws nothing else). */
export function problems(fn: () => unknown): string[] {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return [...(e as ConfigError).problems]
  }
  throw new Error("expected a ConfigError")
}
