/**
 * @module test/plugins/read-bounds
 * Regressions (QA 27 #1): reading a plugin file was unbounded by what is at its path when it is
 * read. The directory scan (discover) looks at each file first, but the read came later and took
 * whatever was there by then, whole, checking the size only afterwards:
 * - a file swapped for a FIFO between the scan and the read (or a FIFO given to `plugins check`)
 *   hung the read forever, and with it every later reload (they are serialised);
 * - a sparse 3 GB file was read whole before being refused (13 s and 3 GB of memory);
 * - a device (here /dev/null; /dev/zero through a swapped symlink would read without end) was
 *   read as source.
 * Now the file is opened without blocking, refused unless it is a regular file, refused by its size
 * before anything is read, and never read past the limit. Real files, FIFOs and devices.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/plugin.ts"
import { DEFAULT_PLUGIN_LIMITS } from "../../src/plugin/limits.ts"
import { reconcile } from "../../src/plugin/reconcile.ts"

let root: string
let dir: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mcpo-plread-"))
  dir = join(root, "plugins")
  mkdirSync(dir)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const mkfifo = (path: string): void => expect(Bun.spawnSync(["mkfifo", path]).exitCode).toBe(0)

test("a file that became a FIFO after the scan is refused at once, not read (the reload never hangs)", async () => {
  const file = join(dir, "policy.js")
  mkfifo(file)
  // what discover saw a moment earlier: a plugin file to read (the swap happened in between)
  const loaded: string[] = []
  const r = await reconcile(
    [file],
    [],
    async (f) => {
      loaded.push(f)
      throw new Error("must not load")
    },
    (f, message) => Plugin.refused(f, message, DEFAULT_PLUGIN_LIMITS, silentLogger),
  )
  expect(loaded).toEqual([])
  expect(r.problems).toEqual([{ path: file, message: "refused: not a regular file (a FIFO)" }])
  expect(r.next[0]?.plugin.lastError?.message).toContain("not a regular file (a FIFO)")
}, 10_000)

test("Plugin.load of a FIFO or a device (plugins check / run) fails naming why, without reading it", async () => {
  const fifo = join(dir, "pipe.js")
  mkfifo(fifo)
  await using p = await Plugin.load(fifo, DEFAULT_PLUGIN_LIMITS, silentLogger)
  expect(p.state).toBe("failed")
  expect(p.lastError?.message).toContain(`${fifo}:1`)
  expect(p.lastError?.message).toContain("not a regular file (a FIFO)")
  await using d = await Plugin.load("/dev/null", DEFAULT_PLUGIN_LIMITS, silentLogger)
  expect(d.state).toBe("failed")
  expect(d.lastError?.message).toContain("not a regular file (a device or special file)")
}, 10_000)

test("a sparse 3 GiB plugin file is refused by its size, with next to no memory read", async () => {
  const big = join(dir, "big.js")
  writeFileSync(big, 'export default { name: "big", route() {} }\n')
  truncateSync(big, 3 * 1024 ** 3)
  writeFileSync(join(dir, "ok.js"), 'export default { name: "ok", route(c) { if (c.tool === "x") return { deny: "no" } } }')
  Bun.gc(true)
  const before = process.memoryUsage().rss
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  const grew = process.memoryUsage().rss - before
  const info = host.list().find((p) => p.file.endsWith("big.js"))
  expect(info?.state).toBe("failed")
  expect(info?.lastError).toContain(`file is ${3 * 1024 ** 3} bytes (limit 1048576)`)
  // the old read took the whole file into memory (~3 GB) before refusing it
  expect(grew).toBeLessThan(512 * 1024 * 1024)
  // the other plugin loaded and runs
  expect(await host.route({ server: "s", tool: "x", args: {} })).toEqual({ deny: "no [plugin ok]" })
}, 60_000)
