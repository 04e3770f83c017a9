/**
 * @module test/plugins/reload
 * Hot reload: a file change (fs.watch, debounced) reloads that plugin and emits one change event
 * saying what changed; a broken edit disables only that plugin; fixing it brings it back; a
 * plugin disabled after repeated faults is re-enabled by an edit; deleting a file removes it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
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
  writeFileSync(join(dir, "router.js"), `export default { name: "router", route(c) { if (c.tool === "boom") throw new Error("boom"); return { tool: "v1" } } }`)
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
  expect(info?.lastError).toBe(`${join(dir, "hello.js")}:3: ReferenceError: 'oops' is not defined`)
  expect(host.listPrompts()).toEqual([])
  expect(await host.route({ server: "s", tool: "t", args: {} })).toEqual({ server: "s", tool: "v1", args: {}, by: "router" })

  change = nextChange()
  writeFileSync(join(dir, "hello.js"), promptPlugin("v3"))
  e = await change
  expect(host.list().find((p) => p.file.endsWith("hello.js"))?.state).toBe("active")
  expect(await render()).toBe("v3")
})

test("three faults in a row disable a plugin (change event); editing the file re-enables it", async () => {
  const disabled = nextChange()
  for (let i = 0; i < 3; i++) await host.route({ server: "s", tool: "boom", args: {} }).catch(() => {})
  const e = await disabled
  expect(e.route).toBe(true)
  // a disabled policy fails closed: every call is refused with the file and the last fault
  expect(host.hasRoute).toBe(true)
  expect(host.list().find((p) => p.name === "router")?.state).toBe("disabled")
  expect(await host.route({ server: "s", tool: "t", args: {} })).toMatchObject({ deny: expect.stringMatching(/plugin "router" \(.*router\.js\) cannot run \(it is disabled: .*boom/) })

  const change = nextChange()
  writeFileSync(join(dir, "router.js"), `export default { name: "router", route(c) { return { tool: "v2" } } }`)
  await change
  expect(host.hasRoute).toBe(true)
  expect(await host.route({ server: "s", tool: "t", args: {} })).toEqual({ server: "s", tool: "v2", args: {}, by: "router" })
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
