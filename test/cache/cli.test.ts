/**
 * @module test/cache/cli
 * `cache stats` and `cache clear` through commander, against a real cache directory.
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Command } from "commander"
import { FileDriver, hashKey } from "../../src/cache/index.ts"
import { register } from "../../src/cli/commands/cache.ts"
import { tempDir } from "./helpers.ts"

const t = tempDir("cli")
afterAll(() => t.remove())

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command("mcp-orchestrator").exitOverride()
  register(program)
  let out = ""
  let err = ""
  // the very functions put back (not bound copies): later files in the same process see what was there
  const w = process.stdout.write
  const e = process.stderr.write
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write
  process.exitCode = 0
  try {
    await program.parseAsync(args, { from: "user" })
  } finally {
    process.stdout.write = w
    process.stderr.write = e
  }
  const code = Number(process.exitCode ?? 0)
  process.exitCode = 0
  return { out, err, code }
}

async function seed(dir: string): Promise<void> {
  await using d = new FileDriver({ dir })
  await d.set("catalog:show:", { value: { servers: ["a", "b"] }, storedAt: 1_700_000_000_000 })
  await d.set("tools:downstream:x", { value: [{ name: "t" }], storedAt: 1_700_000_100_000 })
  await d.set("tools:downstream:y", { value: [{ name: "u" }], storedAt: 1_700_000_200_000 })
}

test("cache stats --json reports entries per kind from --cache-dir", async () => {
  const dir = join(t.dir, "a")
  await seed(dir)
  writeFileSync(join(dir, "entries", `${hashKey("zzz")}.entry.corrupt`), "x")
  const r = await run("cache", "stats", "--json", "--cache-dir", dir)
  expect(r.code).toBe(0)
  const u = JSON.parse(r.out)
  expect(u).toMatchObject({ dir, exists: true, entries: 3, corrupt: 1, invalid: 0, temps: 0 })
  expect(u.byKind.tools.entries).toBe(2)
  expect(u.byKind.catalog.entries).toBe(1)
  expect(u.oldestStoredAt).toBe(1_700_000_000_000)
})

test("cache stats (human) reads the dir from --config FILE", async () => {
  const dir = join(t.dir, "b")
  await seed(dir)
  const cfg = join(t.dir, "config.yaml")
  writeFileSync(cfg, `cache:\n  dir: ${dir}\n`)
  const r = await run("cache", "stats", "--config", cfg)
  expect(r.code).toBe(0)
  expect(r.out).toContain(`cache dir: ${dir}`)
  expect(r.out).toMatch(/entries: 3 /)
  expect(r.out).toMatch(/tools\s+2/)
})

test("cache clear --kind removes one kind; cache clear removes everything; a bad kind is a usage error", async () => {
  const dir = join(t.dir, "c")
  await seed(dir)
  const bad = await run("cache", "clear", "--kind", "nope", "--cache-dir", dir)
  expect(bad.code).toBe(2)
  expect(bad.err).toContain('unknown cache kind "nope"')
  const one = await run("cache", "clear", "--kind", "tools", "--json", "--cache-dir", dir)
  expect(JSON.parse(one.out)).toEqual({ dir, removed: 2, firstAnswers: 0, kind: "tools" })
  expect(JSON.parse((await run("cache", "stats", "--json", "--cache-dir", dir)).out).entries).toBe(1)
  const all = await run("cache", "clear", "--cache-dir", dir)
  expect(all.out).toBe(`removed 1 entries from ${dir}\n`)
  expect(JSON.parse((await run("cache", "stats", "--json", "--cache-dir", dir)).out).entries).toBe(0)
})

test("stats and clear on a directory that does not exist do not create it", async () => {
  const dir = join(t.dir, "missing")
  expect(JSON.parse((await run("cache", "stats", "--json", "--cache-dir", dir)).out)).toMatchObject({ exists: false, entries: 0 })
  expect((await run("cache", "clear", "--cache-dir", dir)).out).toContain("removed 0")
  expect(existsSync(dir)).toBe(false)
})

test("a file where the cache directory (or its entries/) should be: stats and clear say so, with the path, its source and a remedy (exit 1)", async () => {
  const file = join(t.dir, "not-a-dir")
  writeFileSync(file, "x")
  for (const cmd of ["stats", "clear"]) {
    const r = await run("cache", cmd, "--cache-dir", file)
    expect(r.code).toBe(1)
    expect(r.out).toBe("")
    expect(r.err).toContain(`the cache directory ${file} (set by cache.dir, flag --cache-dir)`)
    expect(r.err).toContain("a file stands where the directory")
    expect(r.err).toContain("Remedy:")
  }
})
