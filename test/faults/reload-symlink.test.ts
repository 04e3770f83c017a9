/**
 * Regression (QA: a symlinked config was not live-reloaded): conf/config.yaml is a symlink to
 * dot/real.yaml (a dotfile manager's layout). Only the link's directory was watched, so editing
 * the real file (in place or by an atomic rename) reloaded nothing; only SIGHUP did. The real
 * file's directory is watched too, a re-pointed link is followed (the new target's edits reload),
 * and an env file that is a link works the same way. Through the compiled binary.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { appendFileSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "request-log-server.ts")

type Reload = { last?: string; applied: number; watching: string | null }
async function status(c: Connected): Promise<{ servers: string[]; reload?: Reload }> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: unknown; content: Array<{ text: string }> }
  return ((r.structuredContent ?? JSON.parse(r.content[0]!.text)) as { config: { servers: string[]; reload?: Reload } }).config
}

const HEAD = 'toolkit: { enabled: "off" }\nplugins: { enabled: false }\nservers:\n'

describe("a config file that is a symlink", () => {
  test("edits of the real file reload (in place and renamed over); a re-pointed link is followed", async () => {
    const dir = tempDir("mcpo-reload-link-")
    const entry = (name: string, extra = ""): string => `  ${name}: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(dir, `${name}.log`)])}${extra} }\n`
    mkdirSync(join(dir, "conf"))
    mkdirSync(join(dir, "dot"))
    const real = join(dir, "dot", "real.yaml")
    const link = join(dir, "conf", "config.yaml")
    writeFileSync(real, HEAD + entry("a"))
    symlinkSync("../dot/real.yaml", link) // relative, as stow makes them
    const c = await connectBinary(["serve", "--config", link], sandboxEnv())
    const servers = async (want: string[]): Promise<void> => {
      await waitFor(`servers [${want.join(", ")}]`, async () => (await status(c)).servers.sort().join() === want.join())
    }
    try {
      await waitFor("the config file watched", async () => (await status(c)).reload?.watching === link)
      appendFileSync(real, entry("b"))
      await servers(["a", "b"])
      expect((await c.client.callTool({ name: "b__echo", arguments: { tag: "via link" } })).content).toEqual([{ type: "text", text: "via link" }])

      // an editor's atomic save of the real file: a new file renamed over it, in dot/
      writeFileSync(join(dir, "dot", ".real.yaml.tmp"), HEAD + entry("a") + entry("c"))
      renameSync(join(dir, "dot", ".real.yaml.tmp"), real)
      await servers(["a", "c"])

      // the link re-pointed (atomically, as `ln -sfn` through a rename) to another file, in another directory
      mkdirSync(join(dir, "dot2"))
      const other = join(dir, "dot2", "other.yaml")
      writeFileSync(other, HEAD + entry("d"))
      symlinkSync("../dot2/other.yaml", join(dir, "conf", ".config.yaml.new"))
      renameSync(join(dir, "conf", ".config.yaml.new"), link)
      await servers(["d"])
      // the new target's edits reload; the old target is no longer the config
      writeFileSync(other, HEAD + entry("d") + entry("e"))
      await servers(["d", "e"])
      writeFileSync(real, HEAD + entry("zzz"))
      writeFileSync(other, HEAD + entry("e"))
      await servers(["e"])
      expect((await status(c)).reload?.last).toBe("applied")
    } finally {
      await c.close()
    }
  }, 40_000)

  test("an envFile that is a symlink: editing its real file restarts the server", async () => {
    const dir = tempDir("mcpo-reload-link-env-")
    mkdirSync(join(dir, "secrets"))
    const realEnv = join(dir, "secrets", "b.env")
    writeFileSync(realEnv, "MODE=one\n")
    symlinkSync(realEnv, join(dir, "b.env"))
    const config = join(dir, "config.yaml")
    writeFileSync(config, HEAD + `  b: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(dir, "b.log")])}, envFile: b.env }\nwarm: [b]\n`)
    const c = await connectBinary(["serve", "--config", config], sandboxEnv())
    try {
      await waitFor("the config file watched", async () => (await status(c)).reload?.watching === config)
      writeFileSync(realEnv, "MODE=two\n")
      await waitFor("b restarted for its env file", () => c.stderr().includes("b (env)"))
      expect((await status(c)).reload?.applied).toBe(1)
    } finally {
      await c.close()
    }
  }, 30_000)
})
