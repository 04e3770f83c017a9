/**
 * @module test/plugins/lane-memory
 * Regression (QA 27 #2): each plugin's sandbox is capped on its own (heap limit + WASM cap), but
 * nothing bounded them together: every plugin file got its own capped module, so 40 files each
 * keeping 20 MB of state took 1.1 GB, and 1000 of them would take the machine down. Now a lane
 * (one worker: every plugin's sandbox on it) holds at most 1 GiB of sandbox memory: a plugin whose
 * load or call takes it past fails alone with a clear error naming its file, its memory freed; the
 * plugins loaded before it keep serving. Real plugin files, the real sandbox.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"

let root: string
let dir: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mcpo-pllane-"))
  dir = join(root, "plugins")
  mkdirSync(dir)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const FAT = (i: string): string =>
  `const keep = []; for (let i = 0; i < 20; i++) keep.push(new Uint8Array(1024 * 1024).fill(i + 1))
export default { name: "fat${i}", prompts: [{ name: "fat${i}", render() { return "holds " + keep.length + " MiB" } }] }`

test("many plugins that each keep 20 MiB: the ones past the lane's budget fail alone, naming their file; the rest serve", async () => {
  // loads small, grows when its prompt renders (keeping what it allocated)
  writeFileSync(
    join(dir, "a-grow.js"),
    `const keep = []
export default { name: "grow", prompts: [{ name: "grow", render() { for (let i = 0; i < 40; i++) keep.push(new Uint8Array(1024 * 1024).fill(1)); return "grew " + keep.length } }] }`,
  )
  for (let i = 1; i <= 48; i++) writeFileSync(join(dir, `f${String(i).padStart(2, "0")}.js`), FAT(String(i).padStart(2, "0")))
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  const list = host.list()
  const failed = list.filter((p) => p.state === "failed")
  const active = list.filter((p) => p.state === "active")
  // the old host loaded all 48 (about 1.3 GB held)
  expect(failed.length).toBeGreaterThan(0)
  expect(active.length).toBeGreaterThan(10)
  for (const p of failed) {
    expect(p.lastError).toContain(`${p.file}:1: plugins together hold too much sandbox memory`)
    expect(p.lastError).toContain("limit 1024 MiB for all of them")
  }
  // the ones loaded first keep working
  expect(await host.getPrompt("fat01", {})).toEqual({ messages: [{ role: "user", content: { type: "text", text: "holds 20 MiB" } }] })
  // a call that takes the full lane past its budget fails alone, naming the plugin, and frees what it took
  const grow = await host.getPrompt("grow", {}).then(
    () => "rendered",
    (e: Error) => e.message,
  )
  expect(grow).toContain("a-grow.js")
  expect(grow).toContain("plugins together hold too much sandbox memory: after this call")
  expect(await host.getPrompt("fat02", {})).toEqual({ messages: [{ role: "user", content: { type: "text", text: "holds 20 MiB" } }] })
  // and a failed file is failed, not half-loaded: its prompt is not served
  const lost = failed[0]!.file.replace(/^.*\/f(\d+)\.js$/, "fat$1")
  expect(lost).toMatch(/^fat\d+$/)
  expect(host.listPrompts().map((p) => p.name)).not.toContain(lost)
}, 120_000)

test("past the lane's budget, a plugin file fails at once for want of room, before a sandbox is built for it", async () => {
  for (let i = 1; i <= 56; i++) writeFileSync(join(dir, `f${String(i).padStart(2, "0")}.js`), FAT(String(i).padStart(2, "0")))
  // trivial files sorted after the fat ones: each found no room (before, each built a 16 MiB sandbox
  // first and failed after it, ≈ 17 ms a file: a directory of thousands held tool calls for minutes)
  for (let i = 0; i < 200; i++) writeFileSync(join(dir, `z${String(i).padStart(3, "0")}.js`), `export default { name: "z${i}" }\n`)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  const trivial = host.list().filter((p) => /\/z\d+\.js$/.test(p.file))
  expect(trivial.length).toBe(200)
  const refused = trivial.filter((p) => p.state === "failed")
  expect(refused.length).toBeGreaterThan(150)
  for (const p of refused) expect(p.lastError).toContain("no room for this plugin's sandbox (16 MiB at its start)")
  expect(await host.getPrompt("fat01", {})).toEqual({ messages: [{ role: "user", content: { type: "text", text: "holds 20 MiB" } }] })
}, 180_000)
