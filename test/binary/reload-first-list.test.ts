/**
 * A config reload around the first tools/list (Cursor keeps that answer for the whole session):
 * a server the reload adds is waited for as any server of the config is, the one it removes is not
 * in the answer. (1) The stored lists were read before the reload (orchestrator_status, a prompts
 * list): the added server's first start ever was waited for only proxy.listWait, as its stored
 * entries were never read. (2) The reload lands while the first list waits (for a removed server's
 * slow start): the answer went as soon as the removed server's wait ended, without the added one.
 * The compiled binary with the SDK Client; the slow starts are /bin/sh wrappers that exec the npm
 * reference server once a gate file exists: nothing is timed (the log line of the first-start wait,
 * then the gate).
 * (3) A server renamed in the config (same definition, new name): Cursor still holds the old names;
 * a call of one is told the new name (it read "List the tools again", which Cursor does not do),
 * and the new names answer, directly and through call_tool.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const FILESYSTEM = join(ROOT, "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js")
const FIRST_LINE = "waiting for the first start of a server that has never listed its tools"

beforeAll(ensureBuilt, 120_000)

const node = (name: string, ...args: string[]) => [`  ${name}:`, `    command: ${JSON.stringify(process.execPath)}`, `    args: ${JSON.stringify(args)}`]
/** A server that starts (the npm reference server) only once `gate` exists. */
const gated = (name: string, gate: string) => [`  ${name}:`, "    command: /bin/sh", `    args: ${JSON.stringify(["-c", `while [ ! -e '${gate}' ]; do sleep 0.05; done; exec '${process.execPath}' '${EVERYTHING}' stdio`])}`]
// listWait bounds the listing that follows a start: generous, so a loaded machine's slow listing is still
// waited for (the first-start waits under test are seen in the log, never inferred from a clock)
const config = (servers: string[][]) => ["toolkit:", '  enabled: "off"', "proxy:", "  listWait: 20000", "servers:", ...servers.flat(), ""].join("\n")

async function until(ok: () => boolean, tries = 1500): Promise<boolean> {
  for (let i = 0; i < tries && !ok(); i++) await Bun.sleep(20)
  return ok()
}

/** The first-start wait was logged for `server` (proxy/first-start). */
const firstWaitFor = (stderr: string, server: string) => stderr.split("\n").some((l) => l.includes(FIRST_LINE) && l.includes(`"server":"${server}"`))
const prefixes = (names: string[]) => new Set(names.filter((n) => n.includes("__")).map((n) => n.split("__")[0]))

describe("a config reload around the first tools/list", () => {
  test("a server added after the stored lists were read is waited for as a first start; the removed one is absent", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    const gate = join(env.HOME!, "gate")
    writeFileSync(cfg, config([node("keep", MEMORY), node("drop", FILESYSTEM, env.HOME!)]))
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      // the stored lists are read (none yet)
      await c.client.callTool({ name: "orchestrator_status", arguments: {} })
      writeFileSync(cfg, config([node("keep", MEMORY), gated("added", gate)]))
      expect(await until(() => c.stderr().includes('"config reloaded"'))).toBe(true)
      const first = c.client.listTools()
      expect(await until(() => firstWaitFor(c.stderr(), "added"))).toBe(true)
      writeFileSync(gate, "")
      const servers = prefixes((await first).tools.map((t) => t.name))
      expect([...servers].sort()).toEqual(["added", "keep"])
    } finally {
      await c.close()
    }
  }, 90_000)

  test("a server added while the first list waits is waited for too", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    const slowGate = join(env.HOME!, "slow-gate")
    const gate = join(env.HOME!, "gate")
    writeFileSync(cfg, config([node("keep", MEMORY), gated("slow", slowGate)]))
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      // the first list waits for slow's first start (it never comes: removed by the reload)
      const first = c.client.listTools()
      expect(await until(() => firstWaitFor(c.stderr(), "slow"))).toBe(true)
      writeFileSync(cfg, config([node("keep", MEMORY), gated("added", gate)]))
      expect(await until(() => firstWaitFor(c.stderr(), "added"))).toBe(true)
      writeFileSync(gate, "")
      const servers = prefixes((await first).tools.map((t) => t.name))
      expect([...servers].sort()).toEqual(["added", "keep"])
      const status = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: { name: string; tools: number }[] }
      expect(status.servers.map((s) => s.name).sort()).toEqual(["added", "keep"])
    } finally {
      await c.close()
    }
  }, 90_000)

  test("a server renamed: a call by the old name says the new one, which answers (directly and through call_tool)", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, config([node("keep", EVERYTHING, "stdio"), node("memory", MEMORY)]))
    const c = await connectBinary(["serve", "--config", cfg], env)
    const text = (r: unknown) => (r as { content: { text: string }[] }).content.map((x) => x.text).join("\n")
    try {
      const first = (await c.client.listTools()).tools.map((t) => t.name)
      expect(first).toContain("memory__read_graph")
      writeFileSync(cfg, config([node("keep", EVERYTHING, "stdio"), node("mem", MEMORY)]))
      expect(await until(() => c.stderr().includes('"renamed":{"memory":"mem"}'))).toBe(true)
      for (const r of [
        await c.client.callTool({ name: "memory__read_graph", arguments: {} }),
        await c.client.callTool({ name: "call_tool", arguments: { name: "memory__read_graph", arguments: {} } }),
      ]) {
        expect(r.isError).toBe(true)
        expect(text(r)).toContain("[SERVER_REMOVED] Server memory was renamed to mem in the config, so memory__read_graph cannot be called; its tools are mem__… now: call mem__read_graph")
      }
      // run_code is told the same, not a bare "not reachable"
      const code = await c.client.callTool({ name: "run_code", arguments: { code: "return await tools.memory__read_graph({})" } })
      expect(code.isError).toBe(true)
      expect(text(code)).toContain("Server memory was renamed to mem in the config, so memory__read_graph cannot be called; its tools are mem__… now: call mem__read_graph")
      const direct = await c.client.callTool({ name: "mem__read_graph", arguments: {} })
      expect(direct.isError).toBeFalsy()
      expect(text(direct)).toContain("entities")
      const via = await c.client.callTool({ name: "call_tool", arguments: { name: "mem__read_graph", arguments: {} } })
      expect(via.isError).toBeFalsy()
      // a server removed (no other entry of its definition) is still "removed", not renamed
      writeFileSync(cfg, config([node("mem", MEMORY)]))
      expect(await until(() => c.stderr().includes('"removed":["keep"]'))).toBe(true)
      const gone = await c.client.callTool({ name: "keep__echo", arguments: { message: "x" } })
      expect(text(gone)).toContain("[SERVER_REMOVED] Server keep was removed from the config")
      const goneInCode = await c.client.callTool({ name: "run_code", arguments: { code: "return await tools.keep__echo({ message: 'x' })" } })
      expect(goneInCode.isError).toBe(true)
      expect(text(goneInCode)).toContain("Server keep was removed from the config, so keep__echo cannot be called")
    } finally {
      await c.close()
    }
  }, 90_000)
})
