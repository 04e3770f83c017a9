/**
 * @module test/cache/file-safety
 * Hostile and broken disks: corrupt, truncated, bit-flipped and tampered files are quarantined;
 * planted symlinks and FIFOs are refused; keys never leave the directory; full or read-only disks
 * leave the cache working from memory.
 */
import { afterAll, expect, test } from "bun:test"
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import fc from "fast-check"
import { entryPath, FileDriver, hashKey, isInside, LayeredDriver, MemoryDriver, probeCacheDir, TtlCache } from "../../src/cache/index.ts"
import { createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { tempDir } from "./helpers.ts"

const dirs: Array<{ remove(): void }> = []
afterAll(() => dirs.forEach((d) => d.remove()))
function fresh() {
  const t = tempDir("safety")
  dirs.push(t)
  return t.dir
}
function capture() {
  const records: LogRecord[] = []
  const hub = createLogHub("debug", () => {})
  hub.sinks.add((r) => records.push(r))
  return { log: createLogger(hub), records }
}

async function seeded(dir: string, key: string, value: unknown) {
  await using d = new FileDriver({ dir })
  await d.set(key, { value, storedAt: 1 })
  return entryPath(join(dir, "entries"), key)
}

const damages: Array<[string, (b: Buffer) => Buffer]> = [
  ["truncated body", (b) => b.subarray(0, b.length - 3)],
  ["truncated header", (b) => b.subarray(0, 10)],
  ["empty file", () => Buffer.alloc(0)],
  ["bit flip in body", (b) => Buffer.from(b.map((x, i) => (i === b.length - 2 ? x ^ 0x01 : x)))],
  ["bit flip in header", (b) => Buffer.from(b.map((x, i) => (i === 3 ? x ^ 0x20 : x)))],
  ["garbage", () => Buffer.from("not a cache file at all\n{}")],
  ["unknown version", (b) => Buffer.from(b.toString("utf8").replace('"v":1', '"v":0'))],
  ["version that is no whole number", (b) => Buffer.from(b.toString("utf8").replace('"v":1', '"v":1.5'))],
]

for (const [name, damage] of damages) {
  test(`${name}: quarantined as *.corrupt, logged, counted, a miss; the next write rebuilds`, async () => {
    const dir = fresh()
    const p = await seeded(dir, "catalog:main", { servers: ["a", "b"] })
    writeFileSync(p, damage(readFileSync(p)))
    const { log, records } = capture()
    await using d = new FileDriver({ dir, log })
    expect(await d.get("catalog:main")).toBeUndefined()
    expect(d.stats()).toMatchObject({ quarantined: 1, misses: 1 })
    expect(existsSync(p)).toBe(false)
    expect(existsSync(`${p}.corrupt`)).toBe(true)
    expect(records.some((r) => r.level === "warn" && r.msg === "cache file quarantined")).toBe(true)
    await d.set("catalog:main", { value: "rebuilt", storedAt: 2 })
    expect((await d.get("catalog:main"))?.value).toBe("rebuilt")
  })
}

test("an entry a newer version wrote (format v2, the directory shared across versions) is a miss, left in place, neither quarantined nor warned about", async () => {
  const dir = fresh()
  const p = await seeded(dir, "catalog:main", { servers: ["a", "b"] })
  const newer = Buffer.from(readFileSync(p).toString("utf8").replace('"v":1', '"v":2'))
  writeFileSync(p, newer)
  const { log, records } = capture()
  {
    await using d = new FileDriver({ dir, log })
    expect(await d.get("catalog:main")).toBeUndefined()
    expect(await d.keys()).toEqual([])
    expect(d.stats()).toMatchObject({ quarantined: 0 })
  }
  // before: renamed to *.corrupt with a warning, so each version cost the other its entries
  expect(readFileSync(p).equals(newer)).toBe(true)
  expect(existsSync(`${p}.corrupt`)).toBe(false)
  expect(records.filter((r) => r.level === "warn" || r.level === "error")).toEqual([])
  // a write of ours replaces it, as any write does
  await using d = new FileDriver({ dir })
  await d.set("catalog:main", { value: "ours", storedAt: 2 })
  expect((await d.get("catalog:main"))?.value).toBe("ours")
})

test("the cache directory removed while running is made again by the next write (0700), not a cache degraded until a restart", async () => {
  const parent = fresh()
  const dir = join(parent, "mcp-orchestrator")
  const { log, records } = capture()
  await using d = new FileDriver({ dir, log })
  await d.set("tools:a", { value: ["a"], storedAt: 1 })
  rmSync(dir, { recursive: true, force: true })
  // two writes at once: both land
  await Promise.all([d.set("tools:b", { value: ["b"], storedAt: 2 }), d.set("tools:c", { value: ["c"], storedAt: 2 })])
  expect(d.stats()).toMatchObject({ degraded: false, writeErrors: 0 })
  expect(existsSync(entryPath(join(dir, "entries"), "tools:b"))).toBe(true)
  expect(statSync(join(dir, "entries")).mode & 0o777).toBe(0o700)
  expect(records.filter((r) => r.level === "warn")).toEqual([])
  // a new driver (the next start) reads them
  await using again = new FileDriver({ dir })
  expect((await again.get("tools:b"))?.value).toEqual(["b"])
  expect((await again.get("tools:c"))?.value).toEqual(["c"])
  expect(await again.get("tools:a")).toBeUndefined()
})

test("a symlink planted where the removed directory was is not written through: the file layer is disabled", async () => {
  const parent = fresh()
  const dir = join(parent, "mcp-orchestrator")
  await using d = new FileDriver({ dir })
  await d.set("tools:a", { value: ["a"], storedAt: 1 })
  rmSync(join(dir, "entries"), { recursive: true, force: true })
  const elsewhere = fresh()
  symlinkSync(elsewhere, join(dir, "entries"))
  await d.set("tools:b", { value: ["b"], storedAt: 2 })
  expect(readdirSync(elsewhere)).toEqual([])
})

test("a file copied under another key's name (tampering) is refused: the header key must match", async () => {
  const dir = fresh()
  const a = await seeded(dir, "tools:evil", ["evil_tool"])
  const b = entryPath(join(dir, "entries"), "tools:good")
  writeFileSync(b, readFileSync(a))
  await using d = new FileDriver({ dir })
  expect(await d.get("tools:good")).toBeUndefined()
  expect(d.stats().quarantined).toBe(1)
  expect((await d.get("tools:evil"))?.value).toEqual(["evil_tool"])
})

test("a planted symlink is refused (never followed) and moved aside; the target is untouched", async () => {
  const dir = fresh()
  await seeded(dir, "x", 1)
  const outside = join(fresh(), "outside.txt")
  writeFileSync(outside, "precious")
  const p = entryPath(join(dir, "entries"), "tools:srv")
  symlinkSync(outside, p)
  await using d = new FileDriver({ dir })
  expect(await d.get("tools:srv")).toBeUndefined()
  expect(d.stats().quarantined).toBe(1)
  await d.set("tools:srv", { value: "new", storedAt: 1 })
  expect(readFileSync(outside, "utf8")).toBe("precious")
  expect((await d.get("tools:srv"))?.value).toBe("new")
})

test("a planted FIFO does not block a read", async () => {
  const dir = fresh()
  await seeded(dir, "x", 1)
  const p = entryPath(join(dir, "entries"), "fifo")
  execFileSync("mkfifo", [p])
  await using d = new FileDriver({ dir })
  expect(await d.get("fifo")).toBeUndefined()
  expect(d.stats().quarantined).toBe(1)
})

test("a symlinked entries directory disables the file layer instead of writing through it", async () => {
  const dir = fresh()
  const elsewhere = fresh()
  symlinkSync(elsewhere, join(dir, "entries"))
  await using d = new FileDriver({ dir })
  await d.set("k", { value: 1, storedAt: 1 })
  expect(d.stats().degraded).toBe(true)
  expect(d.stats().remedy).toContain(`Remove ${join(dir, "entries")}`)
  expect(readdirSync(elsewhere)).toEqual([])
})

test("fast-check: any key maps to a 64-hex file directly inside the entries dir (10 000 runs)", () => {
  const root = "/var/cache/mcpo/entries"
  const key = fc.oneof(
    fc.string({ unit: "binary", maxLength: 64 }),
    fc.string({ unit: "grapheme", maxLength: 64 }),
    fc.constantFrom("../", "..\\", "/", "\u0000", "~", "%2e%2e%2f").chain((s) => fc.array(fc.constant(s), { maxLength: 50 }).map((a) => a.join(""))),
    fc.string({ minLength: 5000, maxLength: 20_000 }),
  )
  fc.assert(
    fc.property(key, (k) => {
      const p = entryPath(root, k)
      expect(isInside(root, p)).toBe(true)
      expect(dirname(p)).toBe(root)
      expect(p.slice(root.length + 1)).toBe(`${hashKey(k)}.entry`)
    }),
    { numRuns: 10_000 },
  )
})

test("containment is not a prefix test: a sibling cache-evil dir and absolute paths are outside", () => {
  expect(isInside("/c/cache", "/c/cache-evil/x")).toBe(false)
  expect(isInside("/c/cache", "/c/cache/../cache-evil")).toBe(false)
  expect(isInside("/c/cache", "/etc/passwd")).toBe(false)
  expect(isInside("/c/cache", "/c/cache/ab")).toBe(true)
  expect(isInside("/c/cache", "/c/cache/..ab")).toBe(true)
})

test("hostile keys written for real create files only inside the entries dir", async () => {
  const parent = fresh()
  const dir = join(parent, "cache")
  mkdirSync(dir)
  await using d = new FileDriver({ dir })
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: "binary", maxLength: 200 }), async (k) => {
      await d.set(`../${k}`, { value: 1, storedAt: 1 })
    }),
    { numRuns: 300 },
  )
  expect(readdirSync(parent)).toEqual(["cache"])
  expect(readdirSync(dir)).toEqual(["entries"])
  expect(readdirSync(join(dir, "entries")).every((n) => /^[0-9a-f]{64}\.entry$/.test(n))).toBe(true)
})

function failingFs(code: string) {
  const err = () => Object.assign(new Error(`${code}: injected`), { code })
  return {
    open: (async (p: string, flags: number, mode?: number) => {
      if (String(p).endsWith(".tmp")) throw err()
      const { open } = await import("node:fs/promises")
      return open(p, flags, mode)
    }) as never,
    unlink: (async () => {
      throw err()
    }) as never,
  }
}

for (const code of ["ENOSPC", "EACCES", "EROFS"]) {
  test(`${code} on write: warn once, degraded, layered cache keeps serving from memory`, async () => {
    const dir = fresh()
    const { log, records } = capture()
    const file = new FileDriver({ dir, log, fs: failingFs(code) })
    await using c = new TtlCache({ driver: new LayeredDriver(new MemoryDriver(), file), ttl: { catalog: 1e6, servers: 1e6, tools: 1e6, inspect: 1e6, config: 1e6, secrets: 1e6, profiles: 1e6 }, maintainEvery: 0 })
    for (let i = 0; i < 5; i++) expect(await c.getOrLoad("tools", `s${i}`, async () => [i])).toEqual([i])
    await c.flush()
    for (let i = 0; i < 5; i++) expect(await c.getOrLoad("tools", `s${i}`, async (): Promise<unknown> => ["reloaded"])).toEqual([i])
    await c.invalidate("tools", "s1")
    const s = c.stats()
    expect(s.degraded).toBe(true)
    expect(s.writeErrors).toBeGreaterThanOrEqual(5)
    expect(records.filter((r) => r.level === "warn" && r.msg.includes("not writable"))).toHaveLength(1)
    // the warning, and the stats orchestrator_status shows, say what to do (before: the error code alone)
    const advice = code === "ENOSPC" ? "Free space" : code === "EROFS" ? "read-only file system" : `Make ${dir} writable`
    expect(s.problem).toContain(code)
    expect(s.remedy).toContain(advice)
    expect(s.remedy).toContain("cache.dir")
    expect(records.find((r) => r.msg.includes("not writable"))?.remedy).toBe(s.remedy)
  })
}

const isRoot = process.getuid?.() === 0
function mountTmpfs(dir: string, opts: string): boolean {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", opts, "tmpfs", dir], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}
const umount = (dir: string) => execFileSync("umount", [dir], { stdio: "ignore" })

test("a real read-only cache directory: existing entries are read, writes degrade without throwing", async () => {
  const dir = fresh()
  let mounted = false
  if (isRoot) {
    if (!mountTmpfs(dir, "size=1m,mode=0700")) return console.warn("skipped: cannot make a read-only dir as root without mount")
    mounted = true
  }
  try {
    await seeded(dir, "tools:a", ["t"])
    const bad = await seeded(dir, "tools:bad", ["x"])
    writeFileSync(bad, "garbage")
    if (mounted) execFileSync("mount", ["-o", "remount,ro", dir], { stdio: "ignore" })
    else execFileSync("chmod", ["-R", "a-w", dir])
    const { log, records } = capture()
    await using d = new LayeredDriver(new MemoryDriver(), new FileDriver({ dir, log }))
    expect((await d.get("tools:a"))?.value).toEqual(["t"])
    await d.set("tools:b", { value: ["u"], storedAt: 1 })
    await d.set("tools:c", { value: ["v"], storedAt: 1 })
    expect((await d.get("tools:b"))?.value).toEqual(["u"])
    expect(d.stats().degraded).toBe(true)
    expect(records.filter((r) => r.msg.includes("not writable"))).toHaveLength(1)
    expect(await probeCacheDir(dir)).toEqual({ writable: false, error: mounted ? "EROFS" : "EACCES", remedy: expect.stringContaining("cache.dir") })
    // a corrupt file that cannot be moved aside is a miss, reported once, not on every read
    for (let i = 0; i < 3; i++) expect(await d.file.get("tools:bad")).toBeUndefined()
    expect(d.stats().quarantined).toBe(1)
    expect(records.filter((r) => r.msg === "cache file quarantined")).toHaveLength(1)
  } finally {
    if (mounted) umount(dir)
    else execFileSync("chmod", ["-R", "u+w", dir])
  }
})

test("a real full disk (tiny tmpfs, root only): writes degrade, memory keeps serving", async () => {
  const dir = fresh()
  if (!isRoot || !mountTmpfs(dir, "size=64k,mode=0700")) return console.warn("skipped: needs root and mount")
  try {
    await using d = new LayeredDriver(new MemoryDriver(), new FileDriver({ dir }))
    const big = "x".repeat(40_000)
    for (let i = 0; i < 4; i++) await d.set(`k${i}`, { value: big, storedAt: 1 })
    expect(d.stats().degraded).toBe(true)
    expect(d.file.stats().writeErrors).toBeGreaterThan(0)
    for (let i = 0; i < 4; i++) expect((await d.get(`k${i}`))?.value).toBe(big)
    expect(readdirSync(join(dir, "entries")).filter((n) => n.endsWith(".tmp"))).toEqual([])
  } finally {
    umount(dir)
  }
})

test("probeCacheDir: a writable directory passes and keeps no probe entry", async () => {
  const dir = fresh()
  expect(await probeCacheDir(dir)).toEqual({ writable: true })
  expect(readdirSync(join(dir, "entries"))).toEqual([])
})
