/**
 * Regression (QA): a server renamed in the config while another key of its entry was edited in the
 * same save (its env, a timeout: the same command and args) was a removal and an addition, so the
 * names the client still holds (Cursor does not list again) answered "Server every was removed from
 * the config" and a call in flight "server every was removed from the config": neither named the
 * new name. Now such a pair is a rename (the server restarts, as any changed entry does): the call
 * in flight is told the name to retry it under, and a later call of an old name the new name, with
 * the keys that changed. The compiled binary, the SDK Client, server-everything.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const entry = (name: string, env: string) => `  ${name}: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(EVERYTHING)}, stdio], env: { MODE: ${env} } }`
// settle 0: the stop is applied at once (the hold before it is reload-pieces' subject)
const config = (name: string, env: string) => ["toolkit: { enabled: \"off\" }", "reload: { settle: 0 }", "servers:", entry(name, env), ""].join("\n")
const text = (r: unknown) => (r as { content: { text: string }[] }).content.map((x) => x.text).join("\n")

test("renamed and its env changed in one save: the call in flight and later calls of the old names are told the new name", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, config("every", "a"))
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("every__echo")
    let progressed = false
    const inFlight = c.client.callTool({ name: "every__trigger-long-running-operation", arguments: { duration: 60, steps: 60 } }, undefined, { timeout: 90_000, onprogress: () => void (progressed = true) })
    await waitFor("the long call to run at the server", () => progressed || undefined, 30_000)
    writeFileSync(cfg, config("ev2", "b"))
    const cut = await inFlight
    expect(cut.isError).toBe(true)
    expect(text(cut)).toContain("[CLOSED] server every was renamed to ev2 in the config (its env changed too)")
    expect(text(cut)).toContain("retry it as ev2__")
    expect(c.stderr()).toContain('"renamed":{"every":"ev2"}')
    for (const r of [
      await c.client.callTool({ name: "every__echo", arguments: { message: "x" } }),
      await c.client.callTool({ name: "call_tool", arguments: { name: "every__echo", arguments: { message: "x" } } }),
    ]) {
      expect(r.isError).toBe(true)
      expect(text(r)).toContain("[SERVER_REMOVED] Server every was renamed to ev2 in the config (its env changed too), so every__echo cannot be called; its tools are ev2__… now: call ev2__echo")
    }
    const now = await c.client.callTool({ name: "ev2__echo", arguments: { message: "x" } })
    expect(now.isError).toBeFalsy()
    expect(text(now)).toContain("Echo: x")
  } finally {
    await c.close()
  }
}, 120_000)

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const memoryAs = (name: string, home: string) =>
  ["toolkit: { enabled: \"off\" }", "reload: { settle: 0 }", "servers:", `  ${name}: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(MEMORY)}], env: { MEMORY_FILE_PATH: ${JSON.stringify(join(home, "m.json"))} } }`, ""].join("\n")

// Regression (QA): renamed twice (memory → mem → m3), a call of a name of the first list was told
// to call mem__read_graph, which answered that mem was renamed too: one hop per rename for the model.
test("renamed twice: an old name of the first list is told the name the server runs under now", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, memoryAs("memory", env.HOME!))
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("memory__read_graph")
    writeFileSync(cfg, memoryAs("mem", env.HOME!))
    await waitFor("the first rename", () => c.stderr().includes('"renamed":{"memory":"mem"}') || undefined, 30_000)
    writeFileSync(cfg, memoryAs("m3", env.HOME!))
    await waitFor("the second rename", () => c.stderr().includes('"renamed":{"mem":"m3"}') || undefined, 30_000)
    for (const old of ["memory", "mem"]) {
      const r = await c.client.callTool({ name: `${old}__read_graph`, arguments: {} })
      expect(r.isError).toBe(true)
      expect(text(r)).toContain(`so ${old}__read_graph cannot be called; its tools are m3__… now`)
      expect(text(r)).toContain("call m3__read_graph")
    }
    expect(text(await c.client.callTool({ name: "memory__read_graph", arguments: {} }))).toContain("(renamed again since: mem → m3)")
    expect((await c.client.callTool({ name: "m3__read_graph", arguments: {} })).isError).toBeFalsy()
  } finally {
    await c.close()
  }
}, 120_000)
