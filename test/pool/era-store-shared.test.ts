/**
 * The era store (pool/era-store) is one file in the state directory that every orchestrator
 * instance of the user writes. Each used to re-read it, add its verdict and rename its whole map
 * over it: two instances doing that at about the same time lost one of the two verdicts. Now each
 * change is applied to the file read again under a lock; the newer verdict for a key stays.
 * Real processes write at once; then a fresh store must know every verdict.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { FileEraStore } from "../../src/pool/index.ts"
import { specHash } from "../../src/pool/era-store.ts"

const WRITER = join(import.meta.dir, "..", "fixtures", "era-writer.ts")
const dirs: string[] = []
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), "era-shared-"))
  dirs.push(d)
  return d
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe("era verdicts shared by several instances", () => {
  test("three processes writing at the same moment: no verdict is lost", async () => {
    const dir = fresh()
    const count = 120
    const startAt = Date.now() + 1500
    const procs = ["a", "b", "c"].map((p) => Bun.spawn([process.execPath, WRITER, dir, p, String(count), String(startAt)], { stdout: "pipe", stderr: "pipe" }))
    const outs = await Promise.all(procs.map(async (p) => ({ out: await new Response(p.stdout).text(), err: await new Response(p.stderr).text(), code: await p.exited })))
    for (const o of outs) expect(o).toMatchObject({ out: "done\n", code: 0 })
    const store = new FileEraStore(dir)
    const missing: string[] = []
    for (const p of ["a", "b", "c"]) for (let i = 0; i < count; i++) if (store.get({ command: `${p}-${i}` } as never) !== (i % 2 ? "legacy" : "modern")) missing.push(`${p}-${i}`)
    expect(missing).toEqual([])
    expect(existsSync(join(dir, "protocol-eras.json.lock"))).toBe(false)
  }, 60_000)

  test("two stores on one file: each one's change is written onto the other's, not over it", () => {
    const dir = fresh()
    const one = new FileEraStore(dir)
    const two = new FileEraStore(dir)
    const x = { command: "x" } as never
    const y = { command: "y" } as never
    one.set(x, "modern")
    expect(two.get(x)).toBe("modern") // two has now read (and keeps) the file with x
    one.set(y, "legacy")
    two.forget(x) // two's map has no y: y must stay
    const file = JSON.parse(readFileSync(join(dir, "protocol-eras.json"), "utf8")) as Record<string, unknown>
    expect(Object.keys(file)).toEqual([specHash(y)])
    expect(new FileEraStore(dir).get(y)).toBe("legacy")
  })

  test("a newer verdict another instance wrote for the same server stays; a lock left by a dead writer is taken over", () => {
    const dir = fresh()
    const path = join(dir, "protocol-eras.json")
    const z = { command: "z" } as never
    const stale = new FileEraStore(dir)
    expect(stale.get(z)).toBeUndefined()
    // another instance (its clock a little ahead) has found z modern
    writeFileSync(path, JSON.stringify({ [specHash(z)]: { era: "modern", at: Date.now() + 60_000 } }))
    // a writer killed inside its section left its lock (pid of no process)
    writeFileSync(`${path}.lock`, "999999999")
    stale.set(z, "legacy")
    expect(new FileEraStore(dir).get(z)).toBe("modern")
    expect(existsSync(`${path}.lock`)).toBe(false)
    // forgetting the verdict this instance saw does not drop a newer one another instance wrote since
    writeFileSync(path, JSON.stringify({ [specHash(z)]: { era: "modern", at: Date.now() - 1000 } }))
    const seen = new FileEraStore(dir)
    expect(seen.get(z)).toBe("modern")
    writeFileSync(path, JSON.stringify({ [specHash(z)]: { era: "legacy", at: Date.now(), rule: 2 } }))
    seen.forget(z)
    expect(new FileEraStore(dir).get(z)).toBe("legacy")
    // the one it saw goes
    seen.forget(z)
    expect(new FileEraStore(dir).get(z)).toBeUndefined()
  })
})
