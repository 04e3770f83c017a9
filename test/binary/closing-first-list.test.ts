/**
 * A tools/list answered while the orchestrator stops (Cursor writes its first requests and closes
 * the window at once) is built without the plugins' tools hooks: the orchestrator is built only to
 * answer it, its plugins never load. Such an answer must not become the stored first answer: every
 * later start would list the tools a plugin hides (a policy's denied tools) until a re-list.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { restOf } from "../helpers/wait.ts"

const NAMED = join(ROOT, "test", "fixtures", "servers", "named-tools-server.ts")
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }

beforeAll(ensureBuilt, 120_000)

test("a list answered while stopping is not the next start's first answer", async () => {
  const env = sandboxEnv()
  const plugins = join(env.HOME!, "plugins")
  mkdirSync(plugins)
  writeFileSync(join(plugins, "hide.js"), `export default { name: "hide", tools: (tools) => tools.filter((t) => !t.name.endsWith("__hidden")) }\n`)
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { dirs: [plugins] }, servers: { x: { command: process.execPath, args: [NAMED, "--tools", "shown,hidden", "--label", "x"] } } })

  // a whole session: x's list is stored (the file cache), the plugin hides x__hidden
  const first = await connectBinary(["serve", "--config", cfg], env)
  expect(await listUntil(first.client, "x__shown")).not.toContain("x__hidden")
  await first.close()
  // no stored first answer: the next start's list is built by the orchestrator itself
  const cache = join(env.HOME!, "cache", "mcp-orchestrator")
  for (const f of readdirSync(cache)) if (/^(tools-.*\.snapshot|early-.*)\.json$/.test(f)) rmSync(join(cache, f))

  // requests written and stdin closed at once: the list is answered while stopping
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "ignore", env, cwd: env.HOME })
  p.stdin.write([INIT, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }].map((m) => JSON.stringify(m) + "\n").join(""))
  p.stdin.end()
  const out = await restOf(p.stdout)
  expect(await p.exited).toBe(0)
  expect(out).toContain('"id":2')

  // the next start's first answer is the plugin's list
  const next = await connectBinary(["serve", "--config", cfg], env)
  const listed = (await next.client.listTools()).tools.map((t) => t.name)
  await next.close()
  expect(listed).toContain("x__shown")
  expect(listed).not.toContain("x__hidden")
}, 60_000)
