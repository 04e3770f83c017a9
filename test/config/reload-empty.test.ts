/**
 * Regression (QA defect 4): live reload read a config file that had become empty (0 bytes,
 * whitespace or comments only: editors truncate before they write) as "no servers" and killed
 * every server. Such a reload is rejected like a broken file: the running config stays and the
 * reason is logged and shown in orchestrator_status (config.reload.errors). A file that was empty
 * at start may be empty again.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "..", "faults", "servers", "request-log-server.ts")

type Reload = { last?: string; errors?: string[]; applied: number; watching: string | null }
async function reloadStatus(c: Connected): Promise<Reload | undefined> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: unknown; content: Array<{ text: string }> }
  const s = (r.structuredContent ?? JSON.parse(r.content[0]!.text)) as { config: { reload?: Reload } }
  return s.config.reload
}

const until = waitFor

function setup(ext: "yaml" | "json"): { dir: string; config: string; servers: string } {
  const dir = tempDir("mcpo-reload-empty-")
  const args = JSON.stringify([SERVER, "--log", join(dir, "a.log")])
  const servers =
    ext === "yaml"
      ? `toolkit: { enabled: "off" }\nservers:\n  a: { command: ${JSON.stringify(process.execPath)}, args: ${args} }\nwarm: [a]\n`
      : JSON.stringify({ toolkit: { enabled: "off" }, servers: { a: { command: process.execPath, args: JSON.parse(args) } }, warm: ["a"] })
  return { dir, config: join(dir, `config.${ext}`), servers }
}

describe("a config file that became empty is not applied", () => {
  for (const ext of ["yaml", "json"] as const) {
    test(`.${ext}: truncated, whitespace, comments only: rejected each time; the servers keep running`, async () => {
      const w = setup(ext)
      writeFileSync(w.config, w.servers)
      const c = await connectBinary(["serve", "--config", w.config], sandboxEnv())
      try {
        await until("watching", async () => (await reloadStatus(c))?.watching === w.config)
        expect((await c.client.callTool({ name: "a__echo", arguments: { tag: "before" } })).content).toEqual([{ type: "text", text: "before" }])
        const comment = ext === "yaml" ? "# being edited\n" : "// being edited\n"
        let seen = 0
        for (const text of ["", "  \n\n", comment]) {
          writeFileSync(w.config, text)
          const st = await until("rejected", async () => {
            const s = await reloadStatus(c)
            const n = c.stderr().split("\n").filter((l) => l.includes("config file is empty")).length
            return s?.last === "rejected" && n > seen ? s : undefined
          })
          seen++
          expect(st.errors).toEqual([`${w.config}: the config file is empty (no value, only whitespace or comments; an editor may be half-way through writing it); refusing to remove every server. To run without servers, write \`servers: {}\` (JSON: {"servers": {}})`])
          expect(st.applied).toBe(0)
          // the server is still there, same session
          expect((await c.client.callTool({ name: "a__echo", arguments: { tag: "still" } })).content).toEqual([{ type: "text", text: "still" }])
          // a valid file in between, so the next empty one is a change
          writeFileSync(w.config, w.servers + (ext === "yaml" ? `# ${seen}\n` : " "))
          await until("unchanged", async () => (await reloadStatus(c))?.last === "unchanged")
        }
        const log = c.stderr().split("\n").find((l) => l.includes("config file is empty"))!
        expect(JSON.parse(log)).toMatchObject({ level: "error", msg: "config reload rejected; the running config stays" })
        // an explicit empty server list is applied
        writeFileSync(w.config, ext === "yaml" ? "toolkit: { enabled: \"off\" }\nservers: {}\n" : '{"toolkit": {"enabled": "off"}, "servers": {}}')
        await until("applied", async () => (await reloadStatus(c))?.last === "applied")
        const names = (await c.client.listTools()).tools.map((t) => t.name)
        expect(names).not.toContain("a__echo")
      } finally {
        await c.close()
      }
    }, 30_000)
  }

  test("a file that was empty at start may become empty again", async () => {
    const w = setup("yaml")
    writeFileSync(w.config, "")
    const c = await connectBinary(["serve", "--config", w.config], sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" }))
    try {
      await until("watching", async () => (await reloadStatus(c))?.watching === w.config)
      writeFileSync(w.config, w.servers)
      await until("applied", async () => (await reloadStatus(c))?.last === "applied")
      writeFileSync(w.config, "# emptied again\n")
      const st = await until("applied twice", async () => {
        const s = await reloadStatus(c)
        return s?.applied === 2 ? s : undefined
      })
      expect(st.last).toBe("applied")
      expect(st.errors).toBeUndefined()
    } finally {
      await c.close()
    }
  }, 30_000)
})
