/**
 * @module test/cache/file
 * File driver: conformance, then the on-disk contract (names, modes, format, temp sweep).
 */
import { expect, test } from "bun:test"
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { FileDriver, hashKey, LayeredDriver, MemoryDriver } from "../../src/cache/index.ts"
import { registerSecret, secrets } from "../../src/core/index.ts"
import { runCacheConformance } from "./conformance.ts"
import { tempDir } from "./helpers.ts"

runCacheConformance("file", async () => {
  const t = tempDir()
  const driver = new FileDriver({ dir: t.dir })
  return {
    driver,
    reopen: async () => new FileDriver({ dir: t.dir }),
    cleanup: async () => {
      await driver[Symbol.asyncDispose]()
      t.remove()
    },
  }
})

test("files are named by the sha256 of the key, never the raw key; dir 0700, files 0600", async () => {
  const t = tempDir()
  try {
    await using d = new FileDriver({ dir: t.dir })
    await d.set("tools:../../secret", { value: 1, storedAt: 1 })
    const names = readdirSync(join(t.dir, "entries"))
    expect(names).toEqual([`${hashKey("tools:../../secret")}.entry`])
    expect(statSync(t.dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(t.dir, "entries")).mode & 0o777).toBe(0o700)
    expect(statSync(join(t.dir, "entries", names[0]!)).mode & 0o777).toBe(0o600)
    const text = readFileSync(join(t.dir, "entries", names[0]!), "utf8")
    expect(text.startsWith("MCPOC ")).toBe(true)
    const header = JSON.parse(text.slice(6, text.indexOf("\n")))
    expect(header).toMatchObject({ v: 1, key: "tools:../../secret", storedAt: 1, len: 1 })
    expect(header.sha256).toMatch(/^[0-9a-f]{64}$/)
  } finally {
    t.remove()
  }
})

test("stale temp files of dead writers are swept at open; a live writer's are kept", async () => {
  const t = tempDir()
  try {
    await using first = new FileDriver({ dir: t.dir })
    await first.ready
    const h = hashKey("k")
    const dead = join(t.dir, "entries", `${h}.entry.999999999.abcdef.tmp`)
    const live = join(t.dir, "entries", `${h}.entry.${process.pid}.abcdef.tmp`)
    writeFileSync(dead, "half")
    writeFileSync(live, "half")
    await using d = new FileDriver({ dir: t.dir })
    await d.ready
    expect(d.swept).toBe(1)
    expect(readdirSync(join(t.dir, "entries")).sort()).toEqual([`${h}.entry.${process.pid}.abcdef.tmp`])
  } finally {
    t.remove()
  }
})

test("stats count entries and bytes found on disk at open", async () => {
  const t = tempDir()
  try {
    {
      await using d = new FileDriver({ dir: t.dir })
      await d.set("a", { value: "x".repeat(100), storedAt: 1 })
      await d.set("b", { value: 1, storedAt: 1 })
    }
    await using d = new FileDriver({ dir: t.dir })
    await d.ready
    const s = d.stats()
    expect(s.entries).toBe(2)
    expect(s.bytes).toBeGreaterThan(100)
    expect(s.degraded).toBe(false)
  } finally {
    t.remove()
  }
})

test("a value holding a configured secret is not written to disk (an older file of its key goes); memory over file still has it", async () => {
  const t = tempDir()
  try {
    await using d = new FileDriver({ dir: t.dir })
    await d.set("tools:downstream:s", { value: [{ description: "plain" }], storedAt: 1 })
    const file = join(t.dir, "entries", `${hashKey("tools:downstream:s")}.entry`)
    expect(readFileSync(file, "utf8")).toContain("plain")
    registerSecret("disk-secret-0123456789", "test-cache")
    await d.set("tools:downstream:s", { value: [{ description: "key disk-secret-0123456789" }], storedAt: 2 })
    expect(existsSync(file)).toBe(false)
    expect(await d.get("tools:downstream:s")).toBeUndefined()
    // JSON that spells it with escapes is judged decoded
    await d.set("k2", { value: "x", storedAt: 1, text: '"disk-secret-\\u00301234567890"' })
    expect(readdirSync(join(t.dir, "entries"))).toEqual([])
    await using l = new LayeredDriver(new MemoryDriver(), new FileDriver({ dir: t.dir }))
    await l.set("k3", { value: { env: "disk-secret-0123456789" }, storedAt: 3 })
    expect((await l.get("k3"))?.value).toEqual({ env: "disk-secret-0123456789" })
    expect(readdirSync(join(t.dir, "entries"))).toEqual([])
  } finally {
    secrets.delete("test-cache")
    t.remove()
  }
})
