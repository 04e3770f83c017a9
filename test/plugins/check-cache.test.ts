/**
 * An unchanged plugin file is not checked again at the next start: the verdict of its compile
 * estimate (and a TypeScript file's stripped JavaScript with its line map) is kept per file content
 * in the cache dir (plugin/check-cache). Counted with the host's debug line "plugin compile check"
 * (`check`: "checked" or "reused"). An edited file is checked again; an entry made for other
 * content, a corrupt one, one others may write or a FIFO is never used. A plugin whose entry says it had
 * only a route hook is evaluated on the route lane alone (not on the main lane first).
 */
import { expect, test } from "bun:test"
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { createLogHub, createLogger, silentLogger, type LogRecord } from "../../src/core/index.ts"
import { DEFAULT_PLUGIN_LIMITS, PluginHost } from "../../src/plugin/index.ts"
import { Plugin, PluginCheckCache, SandboxThread } from "../../src/plugin/loader.ts"
import { tempDir } from "../helpers/binary.ts"

const TS = (name: string): string =>
  [
    "type Tool = { name: string }",
    "interface Extra { n: number }",
    "export default {",
    `  name: "${name}",`,
    "  tools(tools: Tool[]): Tool[] {",
    "    const e: Extra = { n: 1 }",
    "",
    "    if (e.n === 1) throw new Error('boom')",
    "    return tools",
    "  },",
    "}",
  ].join("\n")
const JS = (name: string): string => `export default { name: "${name}", route(call) { return call.tool === "nope" ? { deny: "no" } : undefined } }\n`

/** One start: a host over `dir` with the cache in `cache`; what each file's compile check did. */
async function start(dir: string, cache: string): Promise<{ checks: Record<string, string>; records: LogRecord[]; states: Record<string, string>; toolsError: string | undefined }> {
  const records: LogRecord[] = []
  const hub = createLogHub("debug", () => {})
  hub.sinks.add((r) => void records.push(r))
  await using host = await PluginHost.create({ dirs: [dir], log: createLogger(hub, "plugins"), builtinPrompts: false, cacheDir: cache })
  const checks: Record<string, string> = {}
  for (const r of records) if (r.msg === "plugin compile check") checks[String((r as unknown as { file: string }).file).split("/").pop()!] = String((r as unknown as { check: string }).check)
  const states = Object.fromEntries(host.list().map((p) => [p.name, p.state]))
  const toolsError = await host.filterTools([]).then(
    () => records.find((r) => r.msg === "tools hook skipped")?.["error"] as string | undefined,
    (e: unknown) => String(e),
  )
  return { checks, records, states, toolsError }
}

const entries = (cache: string): string[] => readdirSync(join(cache, "plugin-checks")).filter((n) => n.endsWith(".json")).sort()

test("an unchanged plugin is reused at the next start, an edited one checked again; TypeScript lines still map", async () => {
  const dir = tempDir("mcpo-checks-plugins-")
  const cache = tempDir("mcpo-checks-cache-")
  writeFileSync(join(dir, "a.ts"), TS("typed"))
  writeFileSync(join(dir, "b.js"), JS("policy"))

  const first = await start(dir, cache)
  expect(first.checks).toEqual({ "a.ts": "checked", "b.js": "checked" })
  expect(first.states).toEqual({ typed: "active", policy: "active" })
  expect(entries(cache)).toHaveLength(2)

  const second = await start(dir, cache)
  expect(second.checks).toEqual({ "a.ts": "reused", "b.js": "reused" })
  expect(second.states).toEqual({ typed: "active", policy: "active" })
  // the stripped JavaScript came from the entry, with its line map: the fault names the source line
  expect(second.toolsError).toContain("a.ts:8")

  // an edit (same length: the content, not the size, decides) is checked again
  writeFileSync(join(dir, "a.ts"), TS("typee"))
  const third = await start(dir, cache)
  expect(third.checks).toEqual({ "a.ts": "checked", "b.js": "reused" })
  expect(third.states).toEqual({ typee: "active", policy: "active" })
})

test("an entry made for other content, a corrupt one or one others may write is not used", async () => {
  const dir = tempDir("mcpo-checks-plugins-")
  const cache = tempDir("mcpo-checks-cache-")
  writeFileSync(join(dir, "a.ts"), TS("first"))
  await start(dir, cache)
  const [entryA] = entries(cache)
  writeFileSync(join(dir, "b.ts"), TS("second"))
  await start(dir, cache)
  const entryB = entries(cache).find((n) => n !== entryA)!
  const path = (n: string): string => join(cache, "plugin-checks", n)

  // forged: the entry (and the JavaScript) of a.ts put where b.ts's would be
  copyFileSync(path(entryA!), path(entryB))
  chmodSync(path(entryB), 0o600)
  const forged = await start(dir, cache)
  expect(forged.checks).toEqual({ "a.ts": "reused", "b.ts": "checked" })
  expect(forged.records.find((r) => r.msg === "plugin check cache entry ignored")).toMatchObject({ why: "made for another content" })
  // b.ts ran its own code (its own name), not the JavaScript the forged entry held
  expect(forged.states).toEqual({ first: "active", second: "active" })

  // half-written: cut short
  const text = readFileSync(path(entryB), "utf8")
  writeFileSync(path(entryB), text.slice(0, Math.floor(text.length / 2)), { mode: 0o600 })
  expect((await start(dir, cache)).checks["b.ts"]).toBe("checked")

  // its JavaScript altered after its hash was taken
  writeFileSync(path(entryB), text.replace("second", "forged"), { mode: 0o600 })
  const altered = await start(dir, cache)
  expect(altered.checks["b.ts"]).toBe("checked")
  expect(altered.states).toEqual({ first: "active", second: "active" })

  // valid, but writable by others
  writeFileSync(path(entryB), text, { mode: 0o600 })
  chmodSync(path(entryB), 0o666)
  expect((await start(dir, cache)).checks["b.ts"]).toBe("checked")

  // a FIFO in its place: the load neither hangs on it nor uses it
  rmSync(path(entryB))
  expect(Bun.spawnSync(["mkfifo", "-m", "600", path(entryB)]).exitCode).toBe(0)
  const fifo = await start(dir, cache)
  expect(fifo.checks["b.ts"]).toBe("checked")
  expect(fifo.states).toEqual({ first: "active", second: "active" })
})

test("without a cache dir nothing is kept: every start checks", async () => {
  const dir = tempDir("mcpo-checks-plugins-")
  writeFileSync(join(dir, "b.js"), JS("policy"))
  for (let i = 0; i < 2; i++) {
    const records: LogRecord[] = []
    const hub = createLogHub("debug", () => {})
    hub.sinks.add((r) => void records.push(r))
    await using host = await PluginHost.create({ dirs: [dir], log: createLogger(hub, "plugins"), builtinPrompts: false })
    expect(host.list()[0]?.state).toBe("active")
    expect(records.filter((r) => r.msg === "plugin compile check").map((r) => (r as unknown as { check: string }).check)).toEqual(["checked"])
  }
})

/** Load `file` as the host does (a main lane and a route lane), with the check cache in `cache`. */
async function loadOnLanes(file: string, cache: string): Promise<{ plugin: Plugin; main: SandboxThread; route: SandboxThread; [Symbol.asyncDispose](): Promise<void> }> {
  const main = new SandboxThread(silentLogger)
  const route = new SandboxThread(silentLogger)
  const plugin = await Plugin.load(file, DEFAULT_PLUGIN_LIMITS, silentLogger, { thread: main, routeThread: route, checks: new PluginCheckCache(cache, silentLogger) })
  await plugin.whenLoaded()
  return {
    plugin,
    main,
    route,
    async [Symbol.asyncDispose]() {
      await plugin[Symbol.asyncDispose]()
      await main[Symbol.asyncDispose]()
      await route[Symbol.asyncDispose]()
    },
  }
}

test("a plugin with only a route hook is evaluated once, on the route lane, when its entry says so; a wrong hint still loads every hook", async () => {
  const dir = tempDir("mcpo-checks-plugins-")
  const cache = tempDir("mcpo-checks-cache-")
  const file = join(dir, "policy.js")
  writeFileSync(file, JS("policy"))
  {
    await using first = await loadOnLanes(file, cache)
    // no entry yet: evaluated on the main lane, then on the route lane
    expect(first.main.workersStarted).toBe(1)
    expect(await first.plugin.route({ server: "s", tool: "nope", args: {} })).toEqual({ deny: "no" })
  }
  {
    await using second = await loadOnLanes(file, cache)
    expect(second.plugin.state).toBe("active")
    expect(second.main.workersStarted).toBe(0)
    expect(await second.plugin.route({ server: "s", tool: "nope", args: {} })).toEqual({ deny: "no" })
  }
  // a plugin with a route and a tools hook whose entry says route only (forged, or an export that varies)
  const both = join(dir, "both.js")
  writeFileSync(both, `export default { name: "both", route(call) { return call.tool === "nope" ? { deny: "no" } : undefined }, tools(tools) { return tools.slice(1) } }\n`)
  {
    await using seed = await loadOnLanes(both, cache)
    expect(seed.plugin.state).toBe("active")
  }
  const entry = readdirSync(join(cache, "plugin-checks"))
    .map((n) => join(cache, "plugin-checks", n))
    .find((p) => (JSON.parse(readFileSync(p, "utf8")) as { routeOnly: boolean }).routeOnly === false)!
  writeFileSync(entry, readFileSync(entry, "utf8").replace(`"routeOnly":false`, `"routeOnly":true`))
  await using hinted = await loadOnLanes(both, cache)
  expect(hinted.plugin.state).toBe("active")
  expect(await hinted.plugin.route({ server: "s", tool: "nope", args: {} })).toEqual({ deny: "no" })
  const tool = (name: string): { name: string; inputSchema: { type: "object" } } => ({ name, inputSchema: { type: "object" } })
  expect((await hinted.plugin.filterTools([tool("a"), tool("b")])).map((t) => t.name)).toEqual(["b"])
  // its tools hook runs on the main lane (never queued with route calls on the route lane)
  expect(hinted.main.workersStarted).toBe(1)
})

test("a temp file a killed writer left in the check cache goes with the next entry written", async () => {
  const dir = tempDir("mcpo-checks-plugins-")
  const cache = tempDir("mcpo-checks-cache-")
  writeFileSync(join(dir, "b.js"), JS("policy"))
  await start(dir, cache)
  const left = join(cache, "plugin-checks", `${"0".repeat(64)}.json.999999.abcd1234.tmp`)
  writeFileSync(left, "half")
  const old = new Date(Date.now() - 10 * 60_000)
  utimesSync(left, old, old)
  writeFileSync(join(dir, "c.js"), JS("other"))
  expect((await start(dir, cache)).checks["c.js"]).toBe("checked")
  expect(existsSync(left)).toBe(false)
})
