/**
 * @module test/plugins/reload-storm
 * A plugin directory in which some file is rewritten many times a second (a status file, a build
 * in watch mode, a sync tool) still reloads: an edit of a plugin made meanwhile (a new deny rule)
 * applies while the writes go on. Before, the watch restarted its debounce at every event, so no
 * reload ran until the writes stopped and the new rule was held back for as long as they lasted.
 * Real plugin files, the real watch and sandbox.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { waitFor } from "../helpers/wait.ts"

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-reload-storm-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Rewrites `file` every few milliseconds until the returned stop() is awaited. */
function storm(file: string): { running: () => boolean; stop: () => Promise<void> } {
  let on = true
  let n = 0
  const loop = (async () => {
    while (on) {
      writeFileSync(file, String(n++))
      await Bun.sleep(5)
    }
  })()
  return {
    running: () => on,
    stop: async () => {
      on = false
      await loop
    },
  }
}

const call = { server: "s", tool: "t", args: {} }

test("a new deny rule applies while another file in the directory is rewritten without pause", async () => {
  writeFileSync(join(dir, "policy.js"), `export default { name: "policy", route() { return undefined } }`)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, watch: true, builtinPrompts: false })
  expect(await host.route(call)).toBeUndefined()
  const s = storm(join(dir, "status.txt"))
  try {
    writeFileSync(join(dir, "policy.js"), `export default { name: "policy", route() { return { deny: "new rule" } } }`)
    const d = await waitFor("the new rule while the writes go on", async () => await host.route(call), 20_000, 50)
    expect(d).toEqual({ deny: "new rule [plugin policy]" })
    expect(s.running()).toBe(true)
  } finally {
    await s.stop()
  }
}, 30_000)

test("a plugin file itself rewritten without pause is reloaded as it goes, and its last version serves once the writes stop", async () => {
  const policy = join(dir, "policy.js")
  writeFileSync(policy, `export default { name: "policy", route() { return undefined } }`)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, watch: true, builtinPrompts: false })
  let on = true
  let n = 0
  const loop = (async () => {
    while (on) {
      writeFileSync(policy, `export default { name: "policy", route() { return { deny: "v${++n}" } } }`)
      await Bun.sleep(5)
    }
  })()
  try {
    // some version of the rule applies while the file is still being rewritten
    const d = await waitFor("a rewritten version while the writes go on", async () => await host.route(call), 20_000, 50)
    expect(d).toMatchObject({ deny: expect.stringMatching(/^v\d+ \[plugin policy\]$/) })
    expect(on).toBe(true)
  } finally {
    on = false
    await loop
  }
  const last = `v${n} [plugin policy]`
  await waitFor("the last version", async () => JSON.stringify(await host.route(call)) === JSON.stringify({ deny: last }), 20_000, 50)
  expect(host.list().map((p) => p.state)).toEqual(["active"])
}, 30_000)
