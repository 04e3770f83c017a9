/**
 * The era store's file (protocol-eras.json in the state directory) as broken machines leave it:
 * entries of the wrong shape (a hand edit, another program's file, a damaged one) and verdicts
 * dated ahead of the clock (written while it was wrong: a VM resumed, a dual-boot RTC in local
 * time). A wrong-shaped entry is no verdict (its server is probed; before, an unknown `era` skipped
 * the probe and opened as legacy, and a `null` entry made every write throw once the file held 500
 * verdicts); a legacy verdict dated ahead is not trusted and the next verdict replaces it (before,
 * it was trusted until the clock passed its date, and blocked every newer verdict until then).
 */
import { expect, test } from "bun:test"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { FileEraStore } from "../../src/pool/index.ts"
import { specHash } from "../../src/pool/era-store.ts"

const spec = (command: string) => ({ command }) as never
const YEAR = 365 * 24 * 3600_000

test("entries of the wrong shape are no verdicts, and a write leaves them out", () => {
  const dir = mkdtempSync(join(tmpdir(), "era-damaged-"))
  const file = join(dir, "protocol-eras.json")
  const now = Date.now()
  const good = { era: "modern", at: now, rule: 2 }
  const data: Record<string, unknown> = {
    [specHash(spec("bogus"))]: { era: "sse-please", at: now, rule: 2 },
    [specHash(spec("no-time"))]: { era: "modern", at: "yesterday" },
    [specHash(spec("null"))]: null,
    [specHash(spec("good"))]: good,
  }
  // enough entries that a write has to drop the oldest (the sort a null entry broke)
  for (let i = 0; i < 500; i++) data[`filler${i}`] = { era: "modern", at: now - 1000 - i }
  writeFileSync(file, JSON.stringify(data))
  const store = new FileEraStore(dir)
  expect(store.get(spec("bogus"))).toBeUndefined()
  expect(store.get(spec("no-time"))).toBeUndefined()
  expect(store.get(spec("null"))).toBeUndefined()
  expect(store.get(spec("good"))).toBe("modern")
  store.set(spec("new"), "legacy")
  const written = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>
  expect(written[specHash(spec("new"))]).toMatchObject({ era: "legacy" })
  expect(written[specHash(spec("good"))]).toEqual(good)
  for (const bad of ["bogus", "no-time", "null"]) expect(specHash(spec(bad)) in written).toBe(false)
  expect(new FileEraStore(dir).get(spec("new"))).toBe("legacy")
})

test("a legacy verdict dated a year ahead is not trusted, and the server's next verdict replaces it", () => {
  const dir = mkdtempSync(join(tmpdir(), "era-ahead-"))
  const file = join(dir, "protocol-eras.json")
  const ahead = Date.now() + YEAR
  writeFileSync(file, JSON.stringify({ [specHash(spec("s"))]: { era: "legacy", at: ahead, rule: 2 }, [specHash(spec("m"))]: { era: "modern", at: ahead, rule: 2 } }))
  const store = new FileEraStore(dir)
  expect(store.get(spec("s"))).toBeUndefined()
  // a modern verdict has no age: it stands until it stops working
  expect(store.get(spec("m"))).toBe("modern")
  store.set(spec("s"), "legacy")
  const v = (JSON.parse(readFileSync(file, "utf8")) as Record<string, { at: number }>)[specHash(spec("s"))]!
  expect(v.at).toBeLessThan(ahead)
  expect(new FileEraStore(dir).get(spec("s"))).toBe("legacy")
})
