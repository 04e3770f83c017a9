/**
 * Regression (QA 248): `serve` started without a config file (nothing in the default location yet:
 * a new user adds the orchestrator to Cursor, then writes ~/.config/mcp-orchestrator/config.yaml)
 * never read the file written afterwards: no watch, nothing said, the servers were missing until
 * Cursor restarted it. Now the default location is watched (its folder too, while it does not
 * exist): a file written there is applied like any reload, and from then on it is the config's
 * source (its deletion is refused, as for a file found at start; SIGHUP reloads it); another
 * default name (config.json once config.yaml is gone) is seen too.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "..", "faults", "servers", "request-log-server.ts")

type Reload = { last?: string; errors?: string[]; applied: number; watching: string | null }
async function status(c: Connected): Promise<{ file: string | null; reload?: Reload }> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: unknown; content: Array<{ text: string }> }
  const s = (r.structuredContent ?? JSON.parse(r.content[0]!.text)) as { config: { file: string | null; reload?: Reload } }
  return s.config
}

const entry = (home: string, n: string) => ({ command: process.execPath, args: [SERVER, "--log", join(home, `${n}.log`)] })
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
const echo = async (c: Connected, name: string, tag: string) => (await c.client.callTool({ name, arguments: { tag } })).content

describe("a config file written in the default location after a start without one", () => {
  for (const folder of ["exists", "made later"] as const) {
    test(`its folder ${folder}: applied; then its deletion is refused`, async () => {
      const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
      const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
      if (folder === "exists") mkdirSync(dir, { recursive: true })
      const c = await connectBinary(["serve"], env)
      try {
        const config = join(dir, "config.yaml")
        const st = await waitFor("watching", async () => ((await status(c)).reload?.watching === config ? status(c) : undefined))
        expect(st.file).toBeNull()
        mkdirSync(dir, { recursive: true })
        writeFileSync(config, `reload: { settle: 0 }\nservers:\n  a: ${JSON.stringify(entry(env.HOME!, "a"))}\n`)
        await waitFor("applied", async () => (await status(c)).reload?.last === "applied", 20_000)
        expect(await echo(c, "a__echo", "new")).toEqual([{ type: "text", text: "new" }])
        expect((await status(c)).file).toBe(config)
        // SIGHUP now reloads that file (without a file it stops the orchestrator, like SIGTERM)
        process.kill(c.pid!, "SIGHUP")
        await waitFor("SIGHUP reload", () => c.stderr().includes('"trigger":"SIGHUP"'), 20_000)
        expect(await echo(c, "a__echo", "after hup")).toEqual([{ type: "text", text: "after hup" }])
        // from now on the file is the config's source: gone, it is refused (settle 0: no hold)
        rmSync(config)
        const gone = await waitFor("rejected", async () => {
          const r = (await status(c)).reload
          return r?.last === "rejected" || (r?.applied ?? 0) > 1 ? r : undefined
        }, 20_000)
        expect(gone.last).toBe("rejected")
        expect(gone.errors?.[0]).toContain("cannot read the config file (ENOENT")
        expect(await echo(c, "a__echo", "still")).toEqual([{ type: "text", text: "still" }])
        // another default name written instead is read
        writeFileSync(join(dir, "config.json"), JSON.stringify({ reload: { settle: 0 }, servers: { a: entry(env.HOME!, "a"), b: entry(env.HOME!, "b") } }))
        await waitFor("applied again", async () => (await status(c)).reload?.applied === 2, 20_000)
        expect(await echo(c, "b__echo", "json")).toEqual([{ type: "text", text: "json" }])
        expect((await status(c)).file).toBe(join(dir, "config.json"))
      } finally {
        await c.close()
      }
    }, 60_000)
  }
})

describe("SIGHUP right after a config file is written in the default location", () => {
  // it stopped the orchestrator like SIGTERM when it came before the watch had applied the file:
  // the user wrote the file and sent SIGHUP to apply it, and lost every server until the next start
  test("applies the file; the orchestrator stays", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
    mkdirSync(dir, { recursive: true })
    const c = await connectBinary(["serve"], env)
    try {
      expect((await status(c)).file).toBe(null)
      writeFileSync(join(dir, "config.yaml"), `servers:\n  a: ${JSON.stringify(entry(env.HOME!, "a"))}\n`)
      process.kill(c.pid!, "SIGHUP")
      await waitFor("applied", async () => (await status(c)).reload?.last === "applied", 20_000)
      expect(await echo(c, "a__echo", "hup")).toEqual([{ type: "text", text: "hup" }])
      expect(c.stderr()).not.toContain('"reason":"SIGHUP"')
    } finally {
      await c.close()
    }
  }, 60_000)

  test("with nothing written, SIGHUP still stops it, like SIGTERM", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    const c = await connectBinary(["serve"], env)
    try {
      expect((await status(c)).file).toBe(null)
      process.kill(c.pid!, "SIGHUP")
      await waitFor("exit", () => !alive(c.pid!), 20_000)
      expect(c.stderr()).toContain('"reason":"SIGHUP"')
    } finally {
      await c.close()
    }
  }, 60_000)
})
