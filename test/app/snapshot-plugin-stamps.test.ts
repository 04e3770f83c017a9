/**
 * The stored-snapshot key (app/tool-snapshot) covers the plugin files (a plugin's tools hook shapes
 * the list) and is built at every save: each save read and hashed every plugin file again. Now a
 * file is hashed once per change (its inode, size, mtime and ctime unchanged: the last stamp
 * stands), and any change still changes the key: a same-size edit with its mtime set back, a
 * replacement by rename, a removal.
 */
import { afterAll, expect, spyOn, test } from "bun:test"
import * as fs from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { pluginStamps, ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { MAX_PLUGIN_FILES } from "../../src/plugin/index.ts"
import { tempDir } from "../helpers/binary.ts"

const home = tempDir("mcpo-snap-plugins-")
const env = { HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
const plugins = join(home, "plugins")
const files = ["a.js", "b.js", "c.ts"].map((n) => join(plugins, n))
const cfg = join(home, "config.json")
fs.mkdirSync(plugins, { recursive: true })
files.forEach((f, i) => fs.writeFileSync(f, `export default { name: "p${i}", hooks: {} } // ${"x".repeat(100)}\n`))
fs.writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { dirs: [plugins] }, servers: {} }))
const loaded = loadConfig({ configPath: cfg, env })
const hashOf = (path: string): string | undefined => {
  const s = pluginStamps(loaded.config, env).find((x) => x.path === path)
  return s && "hash" in s ? s.hash : undefined
}
const tools = [{ name: "t", inputSchema: { type: "object" as const } }]
let startPath: string | undefined

afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

test("saves do not read the plugin files again while they are unchanged", async () => {
  // a file is trusted by its stat once it has been still for a moment (coarse timestamps elsewhere)
  await Bun.sleep(2100)
  const snap = new ToolSnapshot(loaded, env)
  startPath = snap.path
  // every read of a path opens it (core/plain-file reads with openSync + readSync)
  const reads = spyOn(fs, "openSync")
  try {
    for (let i = 0; i < 20; i++) snap.save(tools)
    expect(reads.mock.calls.filter((c) => files.includes(String(c[0])))).toEqual([])
  } finally {
    reads.mockRestore()
    snap.close()
  }
})

test("every change of a plugin file still changes its stamp", async () => {
  const [a, b, c] = files as [string, string, string]
  const before = { a: hashOf(a)!, b: hashOf(b)!, c: hashOf(c)! }
  // same size, other content, its mtime set back to what it was
  const st = fs.statSync(a)
  fs.writeFileSync(a, fs.readFileSync(a, "utf8").replace("p0", "q0"))
  fs.utimesSync(a, st.atime, st.mtime)
  expect(fs.statSync(a).size).toBe(st.size)
  expect(hashOf(a)).not.toBe(before.a)
  // replaced by a rename (another inode), same size
  fs.writeFileSync(`${b}.new`, fs.readFileSync(b, "utf8").replace("p1", "q1"))
  fs.renameSync(`${b}.new`, b)
  expect(hashOf(b)).not.toBe(before.b)
  // removed: no stamp of it
  fs.rmSync(c)
  expect(hashOf(c)).toBeUndefined()
  // and the snapshot goes under another key (file) than before the edits
  const snap = new ToolSnapshot(loaded, env)
  expect(snap.path).toBeDefined()
  expect(snap.path).not.toBe(startPath)
  snap.close()
})

test("a plugin directory of many files: only the files the host loads are stamped (MAX_PLUGIN_FILES, in its order)", () => {
  // a library or build directory in plugins.dirs: every file was stat'ed and hashed at each save
  const big = join(home, "big")
  fs.mkdirSync(big)
  const n = MAX_PLUGIN_FILES + 40
  for (let i = 0; i < n; i++) fs.writeFileSync(join(big, `f${String(i).padStart(4, "0")}.js`), "export default {}\n")
  const c = { ...loaded.config, plugins: { ...loaded.config.plugins, dirs: [plugins, big] } }
  const stamps = pluginStamps(c, env)
  const inBig = stamps.filter((s) => s.path.startsWith(`${big}/`))
  // the first directory's files come first; the cap counts across directories
  const inFirst = stamps.filter((s) => s.path.startsWith(`${plugins}/`)).length
  expect(inBig.length).toBe(MAX_PLUGIN_FILES - inFirst)
  expect(inBig[0]!.path).toBe(join(big, "f0000.js"))
  // a file added past the cap still changes the directory's listing stamp
  const listing = (): unknown => stamps2().find((s) => s.path === big)
  const stamps2 = (): ReturnType<typeof pluginStamps> => pluginStamps(c, env)
  const before = JSON.stringify(listing())
  fs.writeFileSync(join(big, "zzzz.js"), "export default {}\n")
  expect(JSON.stringify(listing())).not.toBe(before)
})
