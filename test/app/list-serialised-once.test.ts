/**
 * Issue #15: a tools/list answer's definitions are serialised once on its way in. Before, each was
 * serialised up to four times (the relist's reuse compared the old and new lists' texts, the list
 * fingerprint of every save and of every load stringified the whole list): ~100 ms on the event loop
 * per save of a 10 000-tool list. The real orchestrator over a real server (recorded definitions,
 * scripts/bench/_fixture-server.ts) and an on-disk cache; JSON.stringify is watched (not replaced)
 * while the server relists after a change of one tool, and while a second run replaces its stored
 * list by the live one. Counted by call, never timed.
 */
import { afterAll, afterEach, expect, test } from "bun:test"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { createOrchestrator } from "../../src/app/orchestrator.ts"
import { loadConfig } from "../../src/config/index.ts"
import { createLogHub, setConfigHint } from "../../src/core/index.ts"
import { ROOT, tempDir } from "../helpers/binary.ts"

afterAll(() => setConfigHint(undefined))

const SERVER = join(ROOT, "scripts", "bench", "_fixture-server.ts")
const DEFS = join(ROOT, "test", "fixtures", "tool-defs")
const COUNT = 300

const stringify = JSON.stringify
afterEach(() => {
  JSON.stringify = stringify
})

/** Per JSON.stringify call whose argument is a definition of the server (by name) or a whole list of them: how often. */
function watch(names: ReadonlySet<string>): { perDefinition: Map<string, number>; wholeLists: () => number; stop: () => void } {
  const perDefinition = new Map<string, number>()
  let lists = 0
  const isDef = (v: unknown): v is { name: string } => {
    if (typeof v !== "object" || v === null || Array.isArray(v) || !("inputSchema" in v)) return false
    const name = (v as { name?: unknown }).name
    return typeof name === "string" && names.has(name)
  }
  JSON.stringify = function (this: unknown, value: unknown, ...rest: unknown[]) {
    if (isDef(value)) perDefinition.set(value.name, (perDefinition.get(value.name) ?? 0) + 1)
    else if (Array.isArray(value) && value.length >= COUNT - 1 && value.every(isDef)) lists++
    else if (typeof value === "object" && value !== null && Array.isArray((value as { tools?: unknown }).tools) && (value as { tools: unknown[] }).tools.every(isDef)) lists++
    return (stringify as (...a: unknown[]) => string).call(JSON, value, ...rest)
  } as typeof JSON.stringify
  return { perDefinition, wholeLists: () => lists, stop: () => void (JSON.stringify = stringify) }
}

/** The fixture server started by this process (its pid, for SIGUSR1: rename one tool and send list_changed). */
function fixturePid(): number | undefined {
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8")
      const ppid = Number(readFileSync(`/proc/${d}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1])
      if (ppid === process.pid && cmd.includes("_fixture-server.ts")) return Number(d)
    } catch {
      // gone meanwhile
    }
  }
  return undefined
}

async function until(done: () => boolean, ms = 30_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await Bun.sleep(50)) if (done()) return true
  return done()
}

test("a relist after one tool changed, and a stored list replaced by the live one, serialise each definition at most once and the whole list only for the file", async () => {
  const dir = tempDir("mcpo-serialised-once-")
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") }
  const cfg = join(dir, "config.yaml")
  writeFileSync(cfg, ['toolkit:\n  enabled: "off"', "servers:", "  a:", `    command: ${JSON.stringify(process.execPath)}`, `    args: ${JSON.stringify([SERVER, DEFS, "--count", String(COUNT), "--seed", "3"])}`, ""].join("\n"))
  const loaded = loadConfig({ env, configPath: cfg })
  const held = (o: { proxy: { heldToolLists(): ReadonlyMap<string, readonly unknown[]> } }): readonly { name: string }[] => (o.proxy.heldToolLists().get("a") ?? []) as { name: string }[]

  // run 1: listed, then relisted after the server renamed its first tool
  let names = new Set<string>()
  {
    const o = await createOrchestrator(loaded, { logHub: createLogHub("error", () => {}) })
    try {
      o.start()
      await o.proxy.listTools()
      expect(await until(() => held(o).length === COUNT)).toBe(true)
      await o.proxy.storeReady()
      await Bun.sleep(300)
      const first = held(o)[0]!.name
      names = new Set([...held(o).map((t) => t.name), `${first}_v2`])
      const pid = fixturePid()
      expect(pid).toBeNumber()
      const w = watch(names)
      process.kill(pid!, "SIGUSR1")
      const relisted = await until(() => held(o)[0]?.name === `${first}_v2`)
      await Bun.sleep(300)
      w.stop()
      expect(relisted).toBe(true)
      // each definition of the new listing once (its size, digests): the old list's not again, the save's fingerprint from those digests
      expect(Math.max(...w.perDefinition.values())).toBe(1)
      expect(w.perDefinition.size).toBe(COUNT)
      // the save within the write interval waits (written at dispose): no whole-list serialisation now
      expect(w.wholeLists()).toBe(0)
    } finally {
      await o[Symbol.asyncDispose]()
    }
  }

  // run 2: the stored list is loaded (its fingerprint taken), then the live listing replaces it and is saved
  {
    const w = watch(names)
    const o = await createOrchestrator(loaded, { logHub: createLogHub("error", () => {}) })
    try {
      o.start()
      await o.proxy.listTools()
      expect(await until(() => held(o).length === COUNT)).toBe(true)
      await o.proxy.storeReady()
      await Bun.sleep(500)
      w.stop()
      // each definition once, whether read from the stored list or listed live (the loaded copies are
      // other objects with the same names: both counted under one name, so at most twice)
      expect(Math.max(...w.perDefinition.values())).toBeLessThanOrEqual(2)
      // the whole list only for the file written (the first save of the run), not for fingerprints
      expect(w.wholeLists()).toBeLessThanOrEqual(1)
    } finally {
      await o[Symbol.asyncDispose]()
    }
  }
}, 90_000)
