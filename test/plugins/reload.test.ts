/**
 * @module test/plugins/reload
 * Hot reload: a file change (fs.watch, debounced) reloads that plugin and emits one change event
 * saying what changed; a broken edit disables only that plugin; fixing it brings it back; a
 * hook turned off after repeated faults is back after an edit; deleting a file removes it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginError, silentLogger } from "../../src/core/index.ts"
import { PluginHost, type PluginChange } from "../../src/plugin/index.ts"

let dir: string
let host: PluginHost
const events: PluginChange[] = []

/** Resolves with the next change event (or fails after 5 s). */
function nextChange(): Promise<PluginChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no change event within 5 s")), 5000)
    const off = host.onChange((e) => {
      clearTimeout(timer)
      off()
      resolve(e)
    })
  })
}

const promptPlugin = (text: string, description = "greets") =>
  `export default { name: "hello", prompts: [{ name: "hello", description: ${JSON.stringify(description)}, render: () => ${JSON.stringify(text)} }] }`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-reload-"))
  writeFileSync(join(dir, "hello.js"), promptPlugin("v1"))
  writeFileSync(
    join(dir, "router.js"),
    `export default { name: "router", route(c) { if (c.tool === "boom") throw new Error("boom"); return { tool: "v1" } }, tools(ts) { if (ts.some((t) => t.name === "boom")) throw new Error("boom list"); return ts } }`,
  )
  host = await PluginHost.create({ dirs: [dir], log: silentLogger, watch: true, builtinPrompts: false })
  host.onChange((e) => void events.push(e))
})
afterAll(async () => {
  await host[Symbol.asyncDispose]()
  rmSync(dir, { recursive: true, force: true })
})

const render = async (): Promise<string | undefined> => (await host.getPrompt("hello"))?.messages[0]?.content.text

test("editing a prompt plugin reloads it; prompts is true only when the listed prompts changed", async () => {
  expect(await render()).toBe("v1")
  let change = nextChange()
  writeFileSync(join(dir, "hello.js"), promptPlugin("v2"))
  let e = await change
  expect(e.files).toEqual([join(dir, "hello.js")])
  expect(e.prompts).toBe(false) // same name, description and arguments: no prompts/list_changed needed
  expect(e.route).toBe(false)
  expect(await render()).toBe("v2")

  change = nextChange()
  writeFileSync(join(dir, "hello.js"), promptPlugin("v2", "says hello"))
  e = await change
  expect(e.prompts).toBe(true)
  expect(host.listPrompts()[0]?.description).toBe("says hello")
})

test("a broken edit fails only that plugin, with file:line; the other keeps working; a fix restores it", async () => {
  let change = nextChange()
  writeFileSync(join(dir, "hello.js"), "export default {\n  name: 'hello',\n  prompts: [ oops ]\n}\n")
  let e = await change
  expect(e.prompts).toBe(true)
  const info = host.list().find((p) => p.file.endsWith("hello.js"))
  expect(info?.state).toBe("failed")
  expect(info?.lastError).toBe(`${join(dir, "hello.js")}:3:14: ReferenceError: 'oops' is not defined`)
  expect(host.listPrompts()).toEqual([])
  expect(await host.route({ server: "s", tool: "t", args: {} })).toEqual({ server: "s", tool: "v1", args: {}, by: expect.stringMatching(/^router \(.+:\d+\)$/) })

  change = nextChange()
  writeFileSync(join(dir, "hello.js"), promptPlugin("v3"))
  e = await change
  expect(host.list().find((p) => p.file.endsWith("hello.js"))?.state).toBe("active")
  expect(await render()).toBe("v3")
})

test("route faults fail only their call; a tools hook that faults three times in a row is turned off alone (change event); editing the file brings it back", async () => {
  const router = () => host.list().find((p) => p.name === "router")
  for (let i = 0; i < 5; i++) {
    const err = await host.route({ server: "s", tool: "boom", args: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PluginError)
    expect((err as PluginError).message).toMatch(/Plugin "router" \(.*router\.js:1:83\) failed in hook route: Error: boom/)
  }
  expect(router()?.state).toBe("active")
  expect(await host.route({ server: "s", tool: "t", args: {} })).toEqual({ server: "s", tool: "v1", args: {}, by: expect.stringMatching(/^router \(.+:\d+\)$/) })

  const off = nextChange()
  const boom = [{ name: "boom", inputSchema: { type: "object" as const } }]
  for (let i = 0; i < 3; i++) expect(await host.filterTools(boom)).toEqual(boom)
  const e = await off
  expect(e).toMatchObject({ tools: true, files: [join(dir, "router.js")] })
  expect(host.hasToolsFilter).toBe(false)
  expect(router()).toMatchObject({ state: "active", hooksOff: { tools: expect.stringContaining("boom list") } })
  // the route hook is not affected: its rules keep deciding
  expect(host.hasRoute).toBe(true)
  expect(await host.route({ server: "s", tool: "t", args: {} })).toEqual({ server: "s", tool: "v1", args: {}, by: expect.stringMatching(/^router \(.+:\d+\)$/) })

  const change = nextChange()
  writeFileSync(join(dir, "router.js"), `export default { name: "router", route(c) { return { tool: "v2" } }, tools(ts) { return ts.slice(0, 1) } }`)
  await change
  expect(host.hasToolsFilter).toBe(true)
  expect(router()?.hooksOff).toBeUndefined()
  expect(await host.filterTools([...boom, ...boom.map((t) => ({ ...t, name: "b2" }))])).toEqual(boom)
  expect(await host.route({ server: "s", tool: "t", args: {} })).toEqual({ server: "s", tool: "v2", args: {}, by: expect.stringMatching(/^router \(.+:\d+\)$/) })
})

test("deleting a file removes the plugin; a burst of writes gives one reload", async () => {
  const before = events.length
  const change = nextChange()
  unlinkSync(join(dir, "router.js"))
  writeFileSync(join(dir, "hello.js"), promptPlugin("v4"))
  writeFileSync(join(dir, "hello.js"), promptPlugin("v5"))
  const e = await change
  await Bun.sleep(400)
  expect(events.length - before).toBe(1)
  expect(e.files.sort()).toEqual([join(dir, "hello.js"), join(dir, "router.js")])
  expect(host.hasRoute).toBe(false)
  expect(host.list().map((p) => p.name)).toEqual(["hello"])
  expect(await render()).toBe("v5")
})
