/**
 * Regression (QA): a Toolkit gateway that could not be set up showed `toolkit.gatewayError` in
 * orchestrator_status without a word on what to do. The gateway keeps a remedy with its last error
 * (the driver's, else how to find out why), cleared when it starts. Real proxy and cached driver,
 * the fake `docker` (its `server ls` made to fail).
 */
import { afterAll, expect, test } from "bun:test"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { ToolkitGateway } from "../../src/app/toolkit-gateway.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { tempDir } from "../helpers/binary.ts"
import { config } from "../proxy/helpers.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

test("a gateway sync that fails keeps a remedy with its error", async () => {
  const f = makeFakeDocker({ version: "v0.40.0" })
  fakes.push(f)
  f.setOutput("server ls", { stdout: "", stderr: "Error: something unexpected went wrong\n", exit: 1 })
  await using cache = createCache(ConfigSchema.parse({ cache: { dir: tempDir("mcpo-tk-remedy-") } }).cache, { maintainEvery: 0 })
  const docker = join(f.dir, "bin", "docker")
  const toolkit = cachedToolkit(createToolkitDriver({ env: f.env, docker, log: silentLogger }), cache, toolkitScope(docker, undefined, f.env))
  await using proxy = createProxy({ config: config({}), log: silentLogger, closeGraceMs: 500 })
  await using gateway = new ToolkitGateway(proxy, toolkit, silentLogger)
  await gateway.sync("start")
  expect(gateway.lastError).toContain("server ls")
  // the driver's remedy for its error
  expect(gateway.lastRemedy).toContain("docker mcp version")
})
