/**
 * One stamp of the Toolkit CLI's files (docker/cli-stamp) serves the failed-version hold-off and
 * the Toolkit cache key (app/toolkit-files). They listed the plugin directories apart: the cache
 * key took only the first 16 `cliPluginsExtraDirs`, docker searches them all (docker/cli
 * getPluginDirs). A `docker-mcp` upgraded in the 17th kept the old cached Toolkit answers.
 * Real files in a temporary DOCKER_CONFIG; the plugin is a file (never run).
 */
import { expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"
import { toolkitCliStamps, toolkitStampKey } from "../../src/app/toolkit-files.ts"
import { cliFilesStamp } from "../../src/docker/cli-stamp.ts"
import { tempDir } from "../helpers/binary.ts"

test("a docker-mcp in any extra plugin directory docker searches (the 17th of 20): its change busts both stamps", () => {
  const root = tempDir("mcpo-cli-stamp-")
  const config = join(root, "config")
  mkdirSync(config)
  const extra = Array.from({ length: 20 }, (_, i) => join(root, `plugins-${i}`))
  for (const d of extra) mkdirSync(d)
  writeFileSync(join(config, "config.json"), JSON.stringify({ cliPluginsExtraDirs: extra }))
  const docker = join(root, "docker")
  writeFileSync(docker, "#!/bin/sh\n")
  const env = { HOME: root, DOCKER_CONFIG: config, PATH: process.env.PATH }
  const plugin = join(extra[16]!, process.platform === "win32" ? "docker-mcp.exe" : "docker-mcp")

  // the cache key stamps the plugin in every extra directory, in docker's order
  expect(toolkitCliStamps(env).map((s) => s.path).filter((p) => p.startsWith(join(root, "plugins-")))).toEqual(extra.map((d) => join(d, basename(plugin))))

  const before = { holdOff: cliFilesStamp(docker, env), cacheKey: toolkitStampKey(env) }
  writeFileSync(plugin, "#!/bin/sh\necho v0.44.0\n")
  const installed = { holdOff: cliFilesStamp(docker, env), cacheKey: toolkitStampKey(env) }
  expect({ holdOff: installed.holdOff === before.holdOff, cacheKey: installed.cacheKey === before.cacheKey }).toEqual({ holdOff: false, cacheKey: false })
  writeFileSync(plugin, "#!/bin/sh\necho v0.45.0 (upgraded)\n")
  const upgraded = { holdOff: cliFilesStamp(docker, env), cacheKey: toolkitStampKey(env) }
  expect({ holdOff: upgraded.holdOff === installed.holdOff, cacheKey: upgraded.cacheKey === installed.cacheKey }).toEqual({ holdOff: false, cacheKey: false })
  // nothing changed: the same stamps
  expect({ holdOff: cliFilesStamp(docker, env), cacheKey: toolkitStampKey(env) }).toEqual(upgraded)
})
