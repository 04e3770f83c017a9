/**
 * `serve` is a child subreaper (core/subreaper) and reaps with waitpid every zombie child of its
 * own that it did not note as spawned: a process Bun spawned and nobody noted would have its exit
 * status taken (Bun's own wait then fails with ECHILD). So every place in src/ that starts a
 * process either notes it (core/children trackChild, which every downstream and docker command
 * goes through, or noteSpawned) or is one `serve` never runs (the `auth login` browser opener).
 */
import { describe, expect, test } from "bun:test"
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"

const SRC = join(import.meta.dir, "..", "..", "src")
/** Files that start processes outside `serve` only. */
const NOT_IN_SERVE = new Set(["auth/opener.ts"])
const SPAWNS = /\bBun\.spawn(?:Sync)?\s*[(<]|\bfrom\s+"node:child_process"|\bBun\.\$`/

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []))
}

describe("processes started by serve are noted as ours", () => {
  test("each file that spawns calls trackChild or noteSpawned (or is not run by serve)", () => {
    const unnoted = files(SRC)
      .map((f) => ({ f: relative(SRC, f), text: readFileSync(f, "utf8") }))
      .filter(({ f, text }) => SPAWNS.test(text) && !NOT_IN_SERVE.has(f) && !/\b(?:trackChild|noteSpawned)\(/.test(text))
      .map(({ f }) => f)
    expect(unnoted).toEqual([])
  })
})
