/**
 * The stored first answer is read at every stdio start: a file past MAX_SNAPSHOT_BYTES (damaged, or
 * not ours) is not read into memory (before, a 2 GiB file cost 2 GiB RSS and 7 s before the first
 * tools/list); the list is built from the servers instead.
 */
import { expect, spyOn, test } from "bun:test"
import * as fs from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { MAX_SNAPSHOT_BYTES, ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { tempDir } from "../helpers/binary.ts"

test("a snapshot file over MAX_SNAPSHOT_BYTES is ignored without being read", () => {
  const home = tempDir("mcpo-snap-size-")
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
  const cfg = join(home, "config.json")
  fs.writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: {} }))
  const loaded = loadConfig({ configPath: cfg, env })
  const snap = new ToolSnapshot(loaded, env)
  expect(snap.path).toBeDefined()
  fs.mkdirSync(join(snap.path!, ".."), { recursive: true })
  // a sparse file: large on stat, nothing on disk
  const fd = fs.openSync(snap.path!, "w")
  fs.ftruncateSync(fd, MAX_SNAPSHOT_BYTES + 1)
  fs.closeSync(fd)
  const reads = spyOn(fs, "readFileSync")
  try {
    expect(snap.readAnswer()).toBeUndefined()
    expect(reads.mock.calls.filter((c) => c[0] === snap.path)).toEqual([])
  } finally {
    reads.mockRestore()
  }
})
