/**
 * @module test/plugins/closing-filter
 * A `tools` hook running when the host closes (a window closed while a list is being built) ends
 * with "sandbox disposed": that is the shutdown, not a fault of the plugin, and logs no error (an
 * ordinary window close said `tools hook skipped` at level error). A real fault still does.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"

const SPINNER = join(import.meta.dir, "..", "fixtures", "plugins", "spin-on-cue.js")
const records: LogRecord[] = []
const hub = createLogHub("debug", () => {})
hub.sinks.add((r) => void records.push(r))
const log = createLogger(hub, "test")
const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: "object" as const } })

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-closing-"))
  records.length = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const skipped = (): LogRecord[] => records.filter((r) => r.msg === "tools hook skipped")

test("a tools hook cut by the host closing logs no error", async () => {
  copyFileSync(SPINNER, join(dir, "spinner.js"))
  // the spinner's tools hook spends ~1 s in one native call on this list: the host closes meanwhile
  const host = await PluginHost.create({ dirs: [dir], log, limits: { toolsDeadline: 60_000, memoryLimit: 512 } })
  const filtering = host.filterTools([tool("s__read", "SPIN this")])
  await host[Symbol.asyncDispose]()
  await filtering
  expect(skipped().length).toBe(1)
  expect(skipped().filter((r) => r.level === "error")).toEqual([])
}, 60_000)

test("a tools hook that faults while the host runs is still an error", async () => {
  writeFileSync(join(dir, "bad.js"), `export default { name: "bad", tools() { throw new Error("boom") } }\n`)
  const host = await PluginHost.create({ dirs: [dir], log })
  await host.filterTools([tool("s__read", "Reads.")])
  await host[Symbol.asyncDispose]()
  expect(skipped().map((r) => r.level)).toEqual(["error"])
})
