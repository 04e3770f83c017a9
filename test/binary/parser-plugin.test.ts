/**
 * A parser plugin for an output format no built-in parser knows (plugins/ndjson-servers.ts),
 * through the built binary: used by `parse`, and by the Toolkit driver behind `servers_list` when a
 * (fake) future Toolkit prints that format.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { copyFileSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker } from "../docker/fake.ts"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const NDJSON = join(ROOT, "test", "fixtures", "plugins", "server-ls.ndjson")

beforeAll(ensureBuilt, 120_000)

function pluginDir(home: string): string {
  const dir = join(home, "plugins")
  mkdirSync(dir, { recursive: true })
  copyFileSync(join(ROOT, "plugins", "ndjson-servers.ts"), join(dir, "ndjson-servers.ts"))
  copyFileSync(join(ROOT, "plugins", "types.d.ts"), join(dir, "types.d.ts"))
  return dir
}

describe("parser override plugin", () => {
  test("`parse` applies it; without it the error points at parser plugins", () => {
    const env = sandboxEnv()
    const without = Bun.spawnSync([BIN, "parse", "servers", NDJSON], { env, cwd: env.HOME })
    expect(without.exitCode).toBe(1)
    expect(without.stderr.toString()).toContain("parser plugin")
    const withPlugin = Bun.spawnSync([BIN, "parse", "servers", NDJSON, "--plugins", pluginDir(env.HOME!)], { env, cwd: env.HOME })
    expect(withPlugin.exitCode).toBe(0)
    const servers = JSON.parse(withPlugin.stdout.toString()) as Array<{ name: string }>
    expect(servers.map((s) => s.name)).toContain("github-official")
    expect(servers.length).toBeGreaterThan(1)
  })

  test("the driver uses it: servers_list works against a Toolkit printing the new format", async () => {
    const fake = makeFakeDocker({ version: "v0.27.0" })
    try {
      const env = sandboxEnv({ PATH: fake.env.PATH!, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
      // docker gets only an allowlisted environment from us, so the fake's switches go into its wrapper script
      const wrapper = join(fake.dir, "bin", "docker")
      const text = await Bun.file(wrapper).text()
      await Bun.write(wrapper, text.replace("\nexec ", `\nexport FAKE_DOCKER_STDOUT_FOR='server ls'\nexport FAKE_DOCKER_STDOUT_FILE='${NDJSON}'\nexec `))
      const plain = await connectBinary(["serve"], env)
      try {
        const r = await plain.client.callTool({ name: "servers_list", arguments: {} })
        expect(r.isError).toBe(true)
        expect(JSON.stringify(r.content)).toContain("parser plugin")
      } finally {
        await plain.close()
      }
      const c = await connectBinary(["serve", "--plugins", pluginDir(env.HOME!)], env)
      try {
        let r = await c.client.callTool({ name: "servers_list", arguments: {} })
        // plugins load in the background after initialize
        for (let i = 0; i < 60 && r.isError; i++) {
          await Bun.sleep(100)
          r = await c.client.callTool({ name: "servers_list", arguments: {} })
        }
        expect(r.isError).toBeFalsy()
        expect(JSON.stringify(r.structuredContent)).toContain("github-official")
      } finally {
        await c.close()
      }
    } finally {
      fake.cleanup()
    }
  }, 40_000)
})
