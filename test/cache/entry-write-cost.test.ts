/**
 * Startup cost (QA qa360): a first start's cache writes (each server's tool list, the catalog) each
 * waited for an fsync, five on a first start with one server (strace -c -f: 6 fsyncs in all, the
 * other the pins file's), and every cached call result later paid one too. An entry is a cache,
 * checked when read (a damaged one is quarantined and fetched again from its server), as the stored
 * first answer and the era verdicts, which are written without one: the temp file and the rename
 * already keep a crashed writer's half file from ever being read (`kill -9` leaves the page cache
 * to the kernel); only a power loss could cut an entry short, and that costs one fetch. So an
 * entry is written without an fsync; what a reader sees is unchanged. Counted on a real file system
 * through the FsOps seam (each handle's sync counted), no clock.
 */
import { expect, test } from "bun:test"
import * as fsp from "node:fs/promises"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { FileDriver } from "../../src/cache/file.ts"

test("a cache entry is written without an fsync, and read back whole", async () => {
  const at = mkdtempSync(join(tmpdir(), "entry-cost-"))
  let syncs = 0
  const open = (async (...a: unknown[]) => {
    const fh = await (fsp.open as (...x: unknown[]) => Promise<fsp.FileHandle>)(...a)
    const sync = fh.sync.bind(fh)
    const datasync = fh.datasync.bind(fh)
    fh.sync = async () => {
      syncs++
      return sync()
    }
    fh.datasync = async () => {
      syncs++
      return datasync()
    }
    return fh
  }) as typeof fsp.open
  {
    await using d = new FileDriver({ dir: at, fs: { open } })
    for (let i = 0; i < 5; i++) await d.set(`tools:s${i}`, { value: { i, text: "x".repeat(1000) }, storedAt: Date.now() })
  }
  expect(syncs).toBe(0)
  await using r = new FileDriver({ dir: at })
  for (let i = 0; i < 5; i++) expect(((await r.get(`tools:s${i}`))?.value as { i: number }).i).toBe(i)
})
