/**
 * @module test/docker/toolkit-config-keys.test
 * config_set with a key the server's catalog entry does not declare (a key of another server, a
 * misspelt key) on a real driver over the fake docker. The Toolkit stores any key and the server
 * reads only its declared ones: before, the answer was "Set duckduckgo.paths." and nothing else —
 * the model took the server for configured. Expected: the change is made as asked (no refusal of
 * a key the catalog may not describe), and the answer warns that the server will not read it,
 * naming the keys it declares and the servers that declare that key; a declared key (nested too)
 * gets no warning. Both eras (profiles v0.43.3, legacy v0.27.0).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { cachedToolkit } from "../../src/app/cached-toolkit.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import type { ToolContext } from "../../src/mcp/tool-def.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
const dirs: string[] = []
const caches: AsyncDisposable[] = []
afterAll(async () => {
  for (const c of caches) await c[Symbol.asyncDispose]()
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})
const ctx = (): ToolContext => ({ signal: new AbortController().signal, log: silentLogger, progress: async () => {} })

for (const version of ["v0.43.3", "v0.27.0"]) {
  describe(`config_set with a key the server does not declare (fake docker ${version})`, () => {
    async function setup() {
      const f = fake({ version })
      f.writeState({ pulled: true, migrated: true })
      // as the app composes it: the catalog is read once (catalog_search below, not time-bounded) and
      // config_set's bounded look-up finds it in the cache, however loaded the machine
      const dir = mkdtempSync(join(tmpdir(), "qa-config-keys-"))
      dirs.push(dir)
      const cache = createCache(ConfigSchema.parse({ cache: { dir } }).cache, { maintainEvery: 0 })
      caches.push(cache)
      const tools = toolkitTools(cachedToolkit(createToolkitDriver({ env: f.env }), cache, dir, f.env))
      const call = async (name: string, args: unknown) => {
        const def = tools.find((t) => t.name === name)!
        return (await def.handler(def.input.parse(args), ctx())) as { isError?: boolean; text: string; structured?: Record<string, unknown> }
      }
      expect((await call("catalog_search", { query: "filesystem" })).isError).toBeFalsy()
      for (const name of ["duckduckgo", "filesystem"]) expect((await call("server_enable", { name })).isError).toBeFalsy()
      return call
    }

    test("a key of another server: set, and the answer says the server will not read it and whose key it is", async () => {
      const call = await setup()
      const r = await call("config_set", { server: "duckduckgo", key: "paths", value: ["/tmp"] })
      expect(r.isError).toBeFalsy()
      expect(r.text.split("\n")[0]).toBe("Set duckduckgo.paths.")
      expect(r.text).toContain("declares no config key `paths` (it declares no configuration at all), so duckduckgo will not read this value. `paths` is a key of filesystem.")
    })

    test("a misspelt key: the answer names the keys the server declares", async () => {
      const call = await setup()
      const r = await call("config_set", { server: "filesystem", key: "path", value: ["/tmp"] })
      expect(r.isError).toBeFalsy()
      expect(r.text).toContain("declares no config key `path` (its declared keys are `paths`)")
    })

    test("a declared key, nested or not, gets no warning", async () => {
      const call = await setup()
      for (const key of ["paths.extra", "paths"]) {
        const r = await call("config_set", { server: "filesystem", key, value: ["/tmp"] })
        expect(r.isError).toBeFalsy()
        expect(r.text).not.toContain("Warning")
      }
    })
  })
}
