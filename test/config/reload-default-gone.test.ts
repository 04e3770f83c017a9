/**
 * Regression (QA 248): with the config in the default location ($XDG_CONFIG_HOME/mcp-orchestrator/
 * config.yaml, no --config), a reload that found the file gone — deleted, a dotfile link left
 * dangling (`stow -D`, its target moved), its folder removed — read it as "no config file" (the
 * defaults: no servers) and stopped every server; with --config the same was refused as unreadable.
 * Now the file the config was read from stays its source: its going is refused like an unreadable
 * file (the running config stays, config.reload.errors says ENOENT), and the file coming back applies.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "..", "faults", "servers", "request-log-server.ts")

type Reload = { last?: string; errors?: string[]; applied: number; watching: string | null }
async function reloadStatus(c: Connected): Promise<Reload | undefined> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: unknown; content: Array<{ text: string }> }
  const s = (r.structuredContent ?? JSON.parse(r.content[0]!.text)) as { config: { reload?: Reload } }
  return s.config.reload
}

/** A config with servers `names` (all the same echo server); settle 0 so a removal would apply at once. */
function text(dir: string, names: string[]): string {
  const entries = names.map((n) => `  ${n}: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(dir, `${n}.log`)])} }\n`).join("")
  return `toolkit: { enabled: "off" }\nreload: { settle: 0 }\nservers:\n${entries}`
}

const echo = async (c: Connected, name: string, tag: string) => (await c.client.callTool({ name, arguments: { tag } })).content

describe("the default-location config file gone is refused, not read as no servers", () => {
  for (const how of ["deleted", "its symlink's target deleted", "its folder removed"] as const) {
    test(how, async () => {
      const env = sandboxEnv()
      const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
      mkdirSync(dir, { recursive: true })
      const config = join(dir, "config.yaml")
      const real = how === "its symlink's target deleted" ? join(env.HOME!, "dotfiles-config.yaml") : config
      writeFileSync(real, text(env.HOME!, ["a"]))
      if (real !== config) symlinkSync(real, config)
      const c = await connectBinary(["serve"], env)
      try {
        await waitFor("watching", async () => (await reloadStatus(c))?.watching === config)
        expect(await echo(c, "a__echo", "before")).toEqual([{ type: "text", text: "before" }])
        if (how === "its folder removed") rmSync(dir, { recursive: true })
        else rmSync(real)
        const st = await waitFor("rejected", async () => {
          const s = await reloadStatus(c)
          return s?.last === "rejected" || s?.last === "applied" ? s : undefined
        }, 20_000)
        expect(st.last).toBe("rejected")
        expect(st.applied).toBe(0)
        expect(st.errors?.[0]).toStartWith(`${config} (default location): cannot read the config file (ENOENT`)
        if (how === "its symlink's target deleted") expect(st.errors?.[0]).toContain(`a symlink to ${real}, which does not exist`)
        // the server still runs: same config, reachable
        expect(await echo(c, "a__echo", "still")).toEqual([{ type: "text", text: "still" }])
        // the file back (with one more server): applied, both reachable
        mkdirSync(dir, { recursive: true })
        writeFileSync(real, text(env.HOME!, ["a", "b"]))
        await waitFor("applied", async () => (await reloadStatus(c))?.last === "applied", 20_000)
        expect(await echo(c, "a__echo", "after")).toEqual([{ type: "text", text: "after" }])
        expect(await echo(c, "b__echo", "new")).toEqual([{ type: "text", text: "new" }])
      } finally {
        await c.close()
      }
    }, 60_000)
  }
})
