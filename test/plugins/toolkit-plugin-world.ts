/**
 * @module test/plugins/toolkit-plugin-world
 * The world of the parser/prompt secret tests: a fake Toolkit (fake docker) whose config holds
 * secrets, one plugin file in a plugins dir, and the compiled binary serving with it (`serve
 * --plugins dir`, its config and cache in the fake's dir), a real SDK Client connected.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, type Connected } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"

export interface ToolkitPluginWorld {
  fake: FakeDocker
  c: Connected
  /** The plugin file's path. */
  file: string
  /** The exit code of `docker mcp config write` (0: the Toolkit config holds `toolkitConfig`). */
  configWritten: number
  close(): Promise<void>
}

/** Writes `toolkitConfig` with `docker mcp config write`, the plugin `fileName` with `source`, and connects. */
export async function toolkitPluginWorld(toolkitConfig: string, fileName: string, source: string): Promise<ToolkitPluginWorld> {
  const fake = makeFakeDocker({ version: "v0.27.0" })
  const configWritten = Bun.spawnSync(["docker", "mcp", "config", "write", toolkitConfig], { env: fake.env }).exitCode
  const dir = join(fake.dir, "plugins")
  mkdirSync(dir)
  const file = join(dir, fileName)
  writeFileSync(file, source)
  const c = await connectBinary(["serve", "--plugins", dir], { ...fake.env, XDG_CONFIG_HOME: join(fake.dir, "config"), XDG_CACHE_HOME: join(fake.dir, "cache") })
  return {
    fake,
    c,
    file,
    configWritten,
    close: async () => {
      await c.close()
      fake.cleanup()
    },
  }
}
