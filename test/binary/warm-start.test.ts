/**
 * Cache through the built binary: a second start answers tools/list from the file cache while the
 * downstream is still starting; the fresh list then replaces it.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")

beforeAll(ensureBuilt, 120_000)

describe("warm start from the file cache", () => {
  test("second start lists the slow server's tools before it has booted", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    // the downstream answers nothing until the gate file exists: the test decides when it has booted
    const gate = join(env.HOME!, "booted")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  slow:\n    command: ${process.execPath}\n    args: ["${FAULT}", "--boot-gate", "${gate}"]\n`)

    // First run: nothing cached; the list arrives once the server has booted.
    writeFileSync(gate, "")
    const first = await connectBinary(["serve", "--config", cfg], env)
    expect(await listUntil(first.client, "slow__echo")).toContain("slow__echo")
    await first.close()

    // Second run, same cache dir, the downstream held before its initialize for the whole test: a list
    // naming its tools can only have come from the cache (without it, the list would wait for
    // proxy.listWait and then leave the server out).
    rmSync(gate)
    const second = await connectBinary(["serve", "--config", cfg], env)
    const listed = (await second.client.listTools()).tools.map((t) => t.name)
    expect(listed).toContain("slow__echo")
    // The file cache is preloaded in the background (the list above may come from the startup
    // snapshot even sooner): it shows in the status while the downstream is still held.
    const used = await waitFor("the file cache to be used", async () => {
      const st = await second.client.callTool({ name: "orchestrator_status", arguments: {} })
      const cache = (st.structuredContent as { cache: { hits?: number; preloaded?: number } }).cache
      return (cache.preloaded ?? 0) + (cache.hits ?? 0)
    })
    expect(used).toBeGreaterThan(0)
    await second.close()
  }, 30_000)
})

const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }

/**
 * One start as Cursor does it (initialize, initialized, tools/list in one write), until the
 * orchestrator logs "ready"; then stdin closes and stdout is read to its end. Returns every id
 * answered, the tools/list answer line as written, and whether the early face answered it (the
 * "ready" line says so: timing-free evidence).
 */
async function start(cfg: string, env: Record<string, string>, args: string[] = [], until: (stdout: string) => boolean = () => true) {
  const p = Bun.spawn([BIN, "serve", "--config", cfg, ...args], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  p.stdin.write([INIT, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }].map((m) => JSON.stringify(m) + "\n").join(""))
  p.stdin.flush()
  let out = ""
  let err = ""
  const reading = Promise.all([
    (async () => {
      const dec = new TextDecoder()
      for await (const c of p.stdout) out += dec.decode(c, { stream: true })
    })(),
    (async () => {
      const dec = new TextDecoder()
      for await (const c of p.stderr) err += dec.decode(c, { stream: true })
    })(),
  ])
  const ready = (): { earlyList?: boolean } | undefined => err.split("\n").filter((l) => l.includes('"ready"')).map((l) => JSON.parse(l) as { msg: string; earlyList?: boolean }).find((r) => r.msg === "ready")
  for (let i = 0; i < 600 && !(ready() && until(out)); i++) await Bun.sleep(25)
  p.stdin.end()
  await p.exited
  await reading
  const lines = out.split("\n").filter((l) => l.length > 0)
  const msgs = lines.map((l) => JSON.parse(l) as { id?: number; method?: string })
  return { ids: msgs.filter((m) => m.id !== undefined).map((m) => m.id), methods: msgs.flatMap((m) => (m.method ? [m.method] : [])), listLine: lines.find((l, i) => msgs[i]!.id === 2), earlyList: ready()?.earlyList }
}

const listed = (out: string): boolean => out.includes('{"jsonrpc":"2.0","id":2,')

describe("warm start: the first tools/list from the early face", () => {
  test("a stale early answer is corrected: list_changed once the real list differs", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nproxy:\n  listWait: 10s\nservers:\n  fault:\n    command: ${process.execPath}\n    args: ["${FAULT}"]\n`)
    const first = await start(cfg, env, [], listed)
    expect(first.listLine).toContain('"name":"fault__echo"')
    // a snapshot that no longer matches the servers (with its index kept consistent): one tool more
    const cache = join(env.HOME!, "cache", "mcp-orchestrator")
    const snapPath = join(cache, readdirSync(cache).find((f) => f.endsWith(".snapshot.json"))!)
    const ixPath = join(cache, readdirSync(cache).find((f) => f.startsWith("early-"))!)
    const file = readFileSync(snapPath, "utf8")
    const at = file.indexOf(',"answer":')
    const answer = file.slice(at + 10, -1).replace('{"tools":[', '{"tools":[{"name":"ghost__tool","inputSchema":{"type":"object"}},')
    const bytes = Buffer.byteLength(answer)
    const hash = Bun.hash(answer).toString(16)
    const header = { ...(JSON.parse(file.slice(0, at) + "}") as Record<string, unknown>), hash, bytes }
    const head = JSON.stringify(header).slice(0, -1) + ',"answer":'
    writeFileSync(snapPath, head + answer + "}")
    const ix = JSON.parse(readFileSync(ixPath, "utf8")) as { snapshot: Record<string, unknown> }
    ix.snapshot = { ...ix.snapshot, size: Buffer.byteLength(head) + bytes + 1, offset: Buffer.byteLength(head), bytes, hash }
    writeFileSync(ixPath, JSON.stringify(ix))

    const warm = await start(cfg, env, [], (out) => out.includes("notifications/tools/list_changed"))
    expect(warm.earlyList).toBe(true)
    expect(warm.listLine).toContain('"name":"ghost__tool"')
    expect(warm.ids).toEqual([1, 2])
    expect(warm.methods).toContain("notifications/tools/list_changed")
  }, 30_000)

  test("answered before anything loads, once, byte for byte the real face's; any change of the key makes it stand down", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    const envFile = join(env.HOME!, "slow.env")
    writeFileSync(envFile, "GREETING=hello\n")
    const cfgText = `toolkit:\n  enabled: "off"\nproxy:\n  listWait: 10s\nservers:\n  slow:\n    command: ${process.execPath}\n    args: ["${FAULT}", "--slow-boot", "3000"]\n    envFile: slow.env\n`
    writeFileSync(cfg, cfgText)
    // first run: the real list (after the boot) is stored with its early index on the way out; the
    // boot is long enough that no later start here sees the real list (and stores its own index)
    const first = await start(cfg, env, [], listed)
    expect(first.earlyList).toBe(false)
    expect(first.listLine).toContain('"name":"slow__echo"')
    const cache = join(env.HOME!, "cache", "mcp-orchestrator")
    const index = readdirSync(cache).find((f) => f.startsWith("early-"))
    expect(index).toBeDefined()

    const ixPath = join(cache, index!)
    const ix = readFileSync(ixPath, "utf8")
    const warm = await start(cfg, env)
    expect(warm.earlyList).toBe(true)
    expect(warm.ids).toEqual([1, 2])
    expect((JSON.parse(warm.listLine!) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name)).toContain("slow__echo")

    // what the real face answers from the same snapshot when the early face stands down: the same bytes
    const otherEnv = await start(cfg, { ...env, SOMETHING_ELSE: "1" })
    expect(otherEnv.earlyList).toBe(false)
    expect(otherEnv.ids).toEqual([1, 2])
    expect(otherEnv.listLine).toBe(warm.listLine)

    const otherArgv = await start(cfg, env, ["--log-level", "info"])
    expect(otherArgv.earlyList).toBe(false)
    expect(otherArgv.listLine).toBe(warm.listLine)

    writeFileSync(cfg, cfgText + "# a comment\n")
    const edited = await start(cfg, env)
    expect(edited.earlyList).toBe(false)
    expect(edited.listLine).toBe(warm.listLine)
    writeFileSync(cfg, cfgText)

    writeFileSync(ixPath, ix.replace('"hash":"', '"hash":"0'))
    const damaged = await start(cfg, env)
    expect(damaged.earlyList).toBe(false)
    expect(damaged.listLine).toBe(warm.listLine)

    // everything as it was: the early face answers again (the index restored: a start whose real
    // list matched the snapshot has stored its own, for its environment, under the same argv)
    writeFileSync(ixPath, ix)
    const again = await start(cfg, env)
    expect(again.earlyList).toBe(true)
    expect(again.listLine).toBe(warm.listLine)

    // an envFile (last: a start whose list arrives stores its own index, under the same argv)
    writeFileSync(envFile, "GREETING=bonjour\n")
    expect((await start(cfg, env)).earlyList).toBe(false)
  }, 60_000)

  test("a plugin added, edited or removed since the answer was stored makes it stand down: the first answer is the plugins' list", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    const plugins = join(env.HOME!, "plugins")
    mkdirSync(plugins)
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nproxy:\n  listWait: 10s\nplugins:\n  dirs: ["${plugins}"]\nservers:\n  slow:\n    command: ${process.execPath}\n    args: ["${FAULT}", "--slow-boot", "1500"]\n`)
    const names = (r: { listLine?: string }): string[] => (JSON.parse(r.listLine!) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name)
    // stored with no plugin, and answered early from it
    expect(names(await start(cfg, env, [], listed))).toContain("slow__echo")
    expect((await start(cfg, env, [], listed)).earlyList).toBe(true)

    // a tools hook dropped in: the stored answer (with slow__echo) is not this start's answer
    const hide = join(plugins, "hide.js")
    writeFileSync(hide, `export default { name: "hide", tools(tools) { return tools.filter((t) => !t.name.startsWith("slow__")) } }\n`)
    const added = await start(cfg, env, [], listed)
    expect(added.earlyList).toBe(false)
    expect(names(added)).not.toContain("slow__echo")
    expect(names(added)).toContain("orchestrator_status")
    // and that answer is stored in turn: the next start gives it early
    const again = await start(cfg, env, [], listed)
    expect(again.earlyList).toBe(true)
    expect(names(again)).not.toContain("slow__echo")

    // the plugin edited to hide something else
    writeFileSync(hide, `export default { name: "hide", tools(tools) { return tools.filter((t) => t.name !== "slow__sleep") } }\n`)
    const edited = await start(cfg, env, [], listed)
    expect(edited.earlyList).toBe(false)
    expect(names(edited)).toContain("slow__echo")
    expect(names(edited)).not.toContain("slow__sleep")

    // removed (and a file that is no plugin added: the listing changed, the answer is rebuilt the same)
    rmSync(hide)
    const removed = await start(cfg, env, [], listed)
    expect(removed.earlyList).toBe(false)
    expect(names(removed)).toContain("slow__sleep")
  }, 60_000)
})
