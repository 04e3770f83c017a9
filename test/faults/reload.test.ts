/**
 * Live config, through the compiled binary: the config file is edited while the orchestrator runs
 * and calls are in flight. Added servers start, removed ones close with their process group, changed
 * ones restart, unchanged ones (and their calls) are untouched; an invalid file keeps the running
 * config and is reported; SIGHUP reloads; and a burst of rapid edits leaves exactly the processes
 * of the final config. Connected clients follow the new surface (proxy.expose, toolsets over stdio
 * and HTTP) with list_changed, and plugins.dirs re-points the plugin host. Processes are counted
 * from /proc (test/helpers/proc.ts).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { PromptListChangedNotificationSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { connectBinary, ensureBuilt, sandboxEnv, startHttpBinary, tempDir, type Connected } from "../helpers/binary.ts"
import { isAlive, pidsWhere } from "../helpers/proc.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "request-log-server.ts")

interface World {
  dir: string
  config: string
  env: Record<string, string>
}

function world(): World {
  const dir = tempDir("mcpo-reload-")
  return { dir, config: join(dir, "config.yaml"), env: sandboxEnv() }
}

/** A server entry: request-log-server logging to <dir>/<name>.log; `extra` args make a changed definition. */
function entry(w: World, name: string, extra: string[] = []): string {
  return `  ${name}: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(w.dir, `${name}.log`), ...extra])} }`
}

let seq = 0
/** Writes the config as editors do: in place, or a new file renamed over the old one. */
function write(w: World, text: string, how: "in-place" | "rename" = "in-place"): void {
  if (how === "in-place") writeFileSync(w.config, text)
  else {
    const tmp = join(w.dir, `.config.yaml.${seq++}.tmp`)
    writeFileSync(tmp, text)
    renameSync(tmp, w.config)
  }
}

function configText(w: World, servers: Record<string, string[]>, extra: string[] = []): string {
  return ["servers:", ...Object.entries(servers).map(([n, a]) => entry(w, n, a)), ...extra, ""].join("\n")
}

/** The orchestrator's downstream children (alive), by server name (from their --log argument). */
function downstreams(w: World, pid: number): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const child of pidsWhere((f) => Number(f[1]) === pid && f[0] !== "Z")) {
    let argv: string[]
    try {
      argv = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0")
    } catch {
      continue
    }
    const log = argv[argv.indexOf("--log") + 1]
    if (!log?.startsWith(w.dir)) continue
    const name = log.slice(w.dir.length + 1, -".log".length)
    out.set(name, [...(out.get(name) ?? []), child])
  }
  return out
}

/** Live members of the given process groups (a downstream leads its own group). */
function groupMembers(groups: Iterable<number>): number[] {
  const g = new Set([...groups].map(String))
  return pidsWhere((f) => g.has(f[2]!) && f[0] !== "Z")
}

const until = waitFor

/** Waits until server `name` has received the call of its sleep tool for `ms` (its request log): the call is in flight there. */
const arrived = (w: World, name: string, ms: number) =>
  until(`${name}__sleep(${ms}) to reach ${name}`, () => {
    try {
      return readFileSync(join(w.dir, `${name}.log`), "utf8").includes(`"arguments":{"ms":${ms}}`)
    } catch {
      return false
    }
  })

/** The arguments a downstream was started with after its `--log FILE` (its entry's `extra`). */
function extraArgs(pid: number): string[] | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1)
    return argv.slice(argv.indexOf("--log") + 2)
  } catch {
    return undefined
  }
}

/**
 * Waits until exactly `names` run, one process each; returns their pids. Given each name's `extra`
 * arguments, until each runs that definition too (an earlier config's server of the same name is
 * not the one waited for: it is replaced once that config is applied).
 */
function running(w: World, c: Connected, names: string[] | Record<string, string[]>, ms?: number): Promise<Map<string, number>> {
  const defs = Array.isArray(names) ? undefined : names
  const want = (Array.isArray(names) ? [...names] : Object.keys(names)).sort().join(",")
  return until(
    `downstreams [${want}]`,
    () => {
      const d = downstreams(w, c.pid!)
      const got = [...d.keys()].sort().join(",")
      if (got !== want || [...d.values()].some((p) => p.length !== 1)) return undefined
      if (defs && [...d].some(([n, p]) => JSON.stringify(extraArgs(p[0]!)) !== JSON.stringify(defs[n]))) return undefined
      return new Map([...d].map(([n, p]) => [n, p[0]!]))
    },
    ms,
  )
}

/** Live members of the given process groups that run this world's servers (a pid the system gave again to another process is not one). */
function ownMembers(w: World, groups: Iterable<number>): number[] {
  return groupMembers(groups).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(w.dir)
    } catch {
      return false
    }
  })
}

async function status(c: Pick<Connected, "client">): Promise<{ config: { servers: string[]; logLevel: string; reload?: { last?: string; errors?: string[]; restartNeeded?: string[]; applied: number; watching: string | null } } }> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: unknown; content: Array<{ text: string }> }
  return (r.structuredContent ?? JSON.parse(r.content[0]!.text)) as never
}

function text(r: unknown): string {
  return ((r as { content: Array<{ text: string }> }).content[0]?.text ?? "") as string
}

async function start(w: World, servers: Record<string, string[]>, extra: string[] = [], flags: string[] = []): Promise<Connected> {
  write(w, configText(w, servers, extra))
  const c = await connectBinary(["serve", "--config", w.config, ...flags], w.env)
  // the watch starts once the orchestrator is up (warm servers may run before): an edit made
  // earlier would go unseen
  await until("the config file watched", async () => (await status(c)).config.reload?.watching === w.config)
  return c
}

async function toolNames(c: Connected): Promise<string[]> {
  return (await c.client.listTools()).tools.map((t) => t.name)
}

describe("live config", () => {
  test("add, change and remove servers while calls run; unchanged servers and their calls are untouched", async () => {
    const w = world()
    const c = await start(w, { a: [], b: [] }, ["warm: [a, b]"])
    let listChanged = 0
    c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++)
    try {
      const first = await running(w, c, ["a", "b"])
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("a__echo")

      // a call in flight on `a` while the file changes: b changes, c is added
      const slow = c.client.callTool({ name: "a__sleep", arguments: { ms: 1500 } })
      await arrived(w, "a", 1500)
      write(w, configText(w, { a: [], b: ["--boot", "1"], c: [] }, ["warm: [a, b]"]), "rename")
      const second = await running(w, c, ["a", "b", "c"])
      expect(second.get("a")).toBe(first.get("a")!) // unchanged: same process
      expect(second.get("b")).not.toBe(first.get("b")!) // changed: restarted
      expect(groupMembers([first.get("b")!])).toEqual([]) // the old b's process group is gone
      expect(text(await slow)).toBe("slept") // the call on the unchanged server finished normally
      await until("list_changed", () => listChanged > 0)
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names).toContain("c__echo")
      expect(text(await c.client.callTool({ name: "c__echo", arguments: { tag: "hi" } }))).toBe("hi")

      // c removed while a call to it is in flight: that call ends (with an error), its group is gone
      const inFlight = c.client.callTool({ name: "c__sleep", arguments: { ms: 20_000 } }).then(
        (r) => ({ ok: !(r as { isError?: boolean }).isError, text: text(r) }),
        (e: Error) => ({ ok: false, text: e.message }),
      )
      await arrived(w, "c", 20_000)
      write(w, configText(w, { a: [], b: ["--boot", "1"] }, ["warm: [a, b]"]))
      const third = await running(w, c, ["a", "b"])
      expect(third.get("a")).toBe(first.get("a")!)
      expect(groupMembers([second.get("c")!])).toEqual([])
      expect((await inFlight).ok).toBe(false)
      // a later call names the reason, not "unknown tool"
      const late = await c.client.callTool({ name: "c__echo", arguments: { tag: "x" } }).then(
        (r) => text(r),
        (e: Error) => e.message,
      )
      expect(late).toContain("Server c was removed from the config")

      // only a's tool filter changes: same process, a call in flight on it finishes, the tool leaves the list
      const slow2 = c.client.callTool({ name: "a__sleep", arguments: { ms: 800 } })
      await arrived(w, "a", 800)
      listChanged = 0
      write(w, ["servers:", entry(w, "a").replace(/ }$/, ', tools: { deny: ["sleep"] } }'), entry(w, "b", ["--boot", "1"]), "warm: [a, b]", ""].join("\n"))
      await until("list_changed after the filter change", () => listChanged > 0)
      expect((await c.client.listTools()).tools.map((t) => t.name)).not.toContain("a__sleep")
      expect(text(await slow2)).toBe("slept")
      const hidden = await c.client.callTool({ name: "a__sleep", arguments: { ms: 1 } }).then(
        (r) => text(r),
        (e: Error) => e.message,
      )
      expect(hidden).toContain("hidden by servers.a.tools")
      expect((await running(w, c, ["a", "b"])).get("a")).toBe(first.get("a")!)

      const st = await status(c)
      expect(st.config.servers.sort()).toEqual(["a", "b"])
      expect(st.config.reload?.applied).toBe(3)
      expect(st.config.reload?.watching).toBe(w.config)
    } finally {
      await c.close()
    }
  }, 40_000)

  test("an invalid file keeps the running config: one log line per problem (key, file:line), shown in orchestrator_status", async () => {
    const w = world()
    const c = await start(w, { a: [] }, ["warm: [a]"])
    try {
      const before = await running(w, c, ["a"])
      write(w, ["servers:", entry(w, "a"), "  b: { command: x, argz: [] }", "pool: { maxInFlite: 3 }", ""].join("\n"))
      const problems = await until("reload rejected", () => {
        const lines = c.stderr().split("\n").filter((l) => l.includes("config reload rejected"))
        return lines.length >= 2 ? lines : undefined
      })
      expect(problems).toHaveLength(2)
      expect(problems.join("\n")).toContain(`servers.b.argz (${w.config}:3): unknown key`)
      expect(problems.join("\n")).toContain(`pool.maxInFlite (${w.config}:4): unknown key; did you mean \\"maxInFlight\\"?`)
      const st = await status(c)
      expect(st.config.reload?.last).toBe("rejected")
      expect(st.config.reload?.errors).toHaveLength(2)
      expect(st.config.servers).toEqual(["a"])
      expect((await running(w, c, ["a"])).get("a")).toBe(before.get("a")!) // nothing restarted
      expect(text(await c.client.callTool({ name: "a__echo", arguments: { tag: "still" } }))).toBe("still")

      // fixed: applied; the error is cleared; a setting that cannot change live says so
      write(w, configText(w, { a: [], b: [] }, ["warm: [a]", "log: { level: debug }", 'http: { listen: "127.0.0.1:9" }']), "rename")
      await running(w, c, ["a", "b"])
      await until("reload applied", async () => (await status(c)).config.reload?.last === "applied")
      const after = await status(c)
      expect(after.config.reload?.errors).toBeUndefined()
      expect(after.config.reload?.restartNeeded).toEqual(["http.listen"])
      expect(after.config.logLevel).toBe("debug")
      await until("the restart-needed warning", () => c.stderr().includes("config change needs a restart to take effect"))
    } finally {
      await c.close()
    }
  }, 30_000)

  test("an envFile change restarts its server; SIGHUP re-reads (it no longer stops a serve that has a config file)", async () => {
    const w = world()
    const envFile = join(w.dir, "b.env")
    writeFileSync(envFile, "MODE=one\n")
    const c = await start(w, { a: [] }, ["  b:", `    command: ${JSON.stringify(process.execPath)}`, `    args: ${JSON.stringify([SERVER, "--log", join(w.dir, "b.log")])}`, "    envFile: b.env", "warm: [a, b]"])
    try {
      const first = await running(w, c, ["a", "b"])
      writeFileSync(envFile, "MODE=two\n")
      const second = await until("b restarted", () => {
        const d = downstreams(w, c.pid!)
        const b = d.get("b")
        return b?.length === 1 && b[0] !== first.get("b") ? d : undefined
      })
      expect(second.get("a")).toEqual([first.get("a")!])
      await until("the reload logged", () => c.stderr().includes("b (env)")) // the changed key named

      process.kill(c.pid!, "SIGHUP")
      await until("SIGHUP reload", () => c.stderr().includes('"msg":"config reloaded: nothing changed","trigger":"SIGHUP"'))
      expect(isAlive(c.pid!)).toBe(true)
      expect(text(await c.client.callTool({ name: "b__echo", arguments: { tag: "alive" } }))).toBe("alive")
      expect([...downstreams(w, c.pid!).values()].flat().sort()).toEqual([...second.values()].flat().sort())
    } finally {
      await c.close()
    }
  }, 30_000)

  test("50 rapid edits while calls run leave exactly the processes of the final config", async () => {
    const w = world()
    const names = ["s0", "s1", "s2", "s3", "s4"]
    const c = await start(w, { s0: [], s1: [] }, ["warm: [s0, s1]"])
    let stop = false
    let caller: Promise<void> = Promise.resolve()
    try {
      await running(w, c, ["s0", "s1"])
      const seen = new Set<number>()
      // calls keep going to whatever exists (errors from servers just removed are expected)
      caller = (async () => {
        let n = 0
        while (!stop) {
          const s = names[n++ % names.length]!
          await c.client.callTool({ name: `${s}__echo`, arguments: { tag: "x" } }).catch(() => Bun.sleep(10))
          for (const p of downstreams(w, c.pid!).values()) for (const pid of p) seen.add(pid)
        }
      })()
      let rnd = 7
      const next = (): number => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648
      let final: Record<string, string[]> = {}
      for (let i = 0; i < 50; i++) {
        final = {}
        for (const n of names) if (next() < 0.5) final[n] = next() < 0.3 ? ["--boot", String(i % 3)] : []
        const warm = Object.keys(final).filter(() => next() < 0.7)
        write(w, configText(w, final, [`warm: [${warm.join(", ")}]`]), i % 2 ? "rename" : "in-place")
        await Bun.sleep(20 + Math.floor(next() * 60))
        for (const p of downstreams(w, c.pid!).values()) for (const pid of p) seen.add(pid)
      }
      // the final config, with every server warm, so each must run exactly once
      final = { s1: [], s3: ["--boot", "1"], s4: [] }
      write(w, configText(w, final, ["warm: [s1, s3, s4]"]), "rename")
      // (the final definitions: a server of the same name from an earlier config may run until the last reload)
      const last = await running(w, c, final, 15_000)
      stop = true
      await caller
      // every process group ever seen, except the final servers', is empty (of our servers: pids
      // are reused, 32768 of them go fast on a busy machine)
      const others = (): number[] => [...seen].filter((p) => ![...last.values()].includes(p))
      const stray = await until("stray groups gone", () => (ownMembers(w, others()).length === 0 ? [] : undefined), 10_000).catch(() =>
        ownMembers(w, others()).map((p) => `${p}: ${readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").join(" ")}`),
      )
      expect(stray).toEqual([])
      expect([...downstreams(w, c.pid!).keys()].sort()).toEqual(["s1", "s3", "s4"])
      expect(seen.size).toBeGreaterThan(3)
      const names2 = (await c.client.listTools()).tools.map((t) => t.name).filter((n) => n.endsWith("__echo")).sort()
      expect(names2).toEqual(["s1__echo", "s3__echo", "s4__echo"])
    } finally {
      stop = true
      await caller
      await c.close()
    }
  }, 60_000)
})

describe("live config: surfaces and plugins of connected clients", () => {
  test("proxy.expose all → search: the same client gets list_changed and its next tools/list is the search menu", async () => {
    const w = world()
    const c = await start(w, { a: [] }, ["warm: [a]", "proxy: { expose: all }"])
    let listChanged = 0
    c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++)
    try {
      await running(w, c, ["a"])
      expect(await toolNames(c)).toContain("a__echo")
      listChanged = 0
      write(w, configText(w, { a: [] }, ["warm: [a]", "proxy: { expose: search }"]), "rename")
      await until("list_changed after proxy.expose changed", () => listChanged > 0)
      const names = await toolNames(c)
      expect(names).not.toContain("a__echo")
      expect(names).toEqual(expect.arrayContaining(["orchestrator_status", "search_tools", "describe_tools", "call_tool"]))
      expect(names).not.toContain("run_code")
      // the menu still reaches the servers' tools
      expect(text(await c.client.callTool({ name: "call_tool", arguments: { name: "a__echo", arguments: { tag: "via" } } }))).toBe("via")
      const st = await status(c)
      expect(st.config.reload?.restartNeeded).toBeUndefined()
    } finally {
      await c.close()
    }
  }, 30_000)

  test("a toolset's allow list changes while serve --toolset runs: the next tools/list follows; a removed toolset keeps serving", async () => {
    const w = world()
    const set = (allow: string) => ["warm: [a]", "toolsets:", `  t1: { tools: { allow: [${JSON.stringify(allow)}] } }`]
    const c = await start(w, { a: [] }, set("a__echo"), ["--toolset", "t1"])
    let listChanged = 0
    c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++)
    try {
      await running(w, c, ["a"])
      let names = (await toolNames(c)).filter((n) => n.startsWith("a__"))
      expect(names).toEqual(["a__echo"])
      listChanged = 0
      write(w, configText(w, { a: [] }, set("a__sleep")), "rename")
      await until("list_changed after the toolset changed", () => listChanged > 0)
      names = (await toolNames(c)).filter((n) => n.startsWith("a__"))
      expect(names).toEqual(["a__sleep"])
      const refused = await c.client.callTool({ name: "a__echo", arguments: { tag: "x" } }).then(
        (r) => text(r),
        (e: Error) => e.message,
      )
      expect(refused).toContain('not in toolset "t1"')

      // the toolset this serve was started with disappears: the file is refused, the last definition stays
      write(w, configText(w, { a: [] }, ["warm: [a]"]), "rename")
      await until("reload rejected", () => c.stderr().includes("config reload rejected"))
      expect(c.stderr()).toContain('unknown toolset \\"t1\\"')
      expect((await toolNames(c)).filter((n) => n.startsWith("a__"))).toEqual(["a__sleep"])
    } finally {
      await c.close()
    }
  }, 30_000)

  test("plugins.dirs gains a directory with a prompt plugin: prompts/list_changed, prompts/list shows it; removed, it goes", async () => {
    const w = world()
    const d1 = join(w.dir, "plugins1")
    const d2 = join(w.dir, "plugins2")
    mkdirSync(d1)
    mkdirSync(d2)
    writeFileSync(join(d2, "extra.js"), "export default { name: 'extra', prompts: [{ name: 'live_prompt', description: 'from a new dir', render: () => 'hello' }] }\n")
    const dirs = (...d: string[]) => [`plugins: { dirs: ${JSON.stringify(d)} }`]
    const c = await start(w, { a: [] }, dirs(d1))
    let changed = 0
    c.client.setNotificationHandler(PromptListChangedNotificationSchema, () => void changed++)
    try {
      const prompts = async () => (await c.client.listPrompts()).prompts.map((p) => p.name)
      expect(await prompts()).not.toContain("live_prompt")
      write(w, configText(w, { a: [] }, dirs(d1, d2)), "rename")
      await until("prompts list_changed", () => changed > 0)
      expect(await prompts()).toContain("live_prompt")
      changed = 0
      write(w, configText(w, { a: [] }, dirs(d1)), "rename")
      await until("prompts list_changed after the dir was removed", () => changed > 0)
      expect(await prompts()).not.toContain("live_prompt")
    } finally {
      await c.close()
    }
  }, 30_000)

  test("HTTP: a toolset added by a reload gets its /mcp/t path; a session on a removed one keeps its last definition", async () => {
    const w = world()
    const TOKEN = "reload-token-" + crypto.randomUUID()
    const sets = (lines: string[]) => ["warm: [a]", "toolkit: { enabled: \"off\" }", "toolsets:", ...lines]
    write(w, configText(w, { a: [] }, sets(['  t1: { tools: { allow: ["a__echo"] } }'])))
    const started = await startHttpBinary(w.config, { ...w.env, MCPO_HTTP_TOKEN: TOKEN })
    const base = started.url.replace(/\/mcp$/, "")
    const clients: Client[] = []
    const connect = async (path: string): Promise<Client> => {
      const client = new Client({ name: "reload-http", version: "1.0.0" }, { capabilities: {} })
      await client.connect(new StreamableHTTPClientTransport(new URL(base + path), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
      clients.push(client)
      return client
    }
    const scoped = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("a__"))
    try {
      const t1 = await connect("/mcp/t/t1")
      await until("the config file watched", async () => (await status({ client: t1 })).config.reload?.watching === w.config)
      expect(await scoped(t1)).toEqual(["a__echo"])
      write(w, configText(w, { a: [] }, sets(['  t2: { tools: { allow: ["a__sleep"] } }'])), "rename")
      await until("reload applied", async () => (await status({ client: t1 })).config.reload?.last === "applied")
      expect(await scoped(await connect("/mcp/t/t2"))).toEqual(["a__sleep"])
      // the open t1 session goes on with t1's last definition (logged); a new one is refused
      expect(await scoped(t1)).toEqual(["a__echo"])
      expect(text(await t1.callTool({ name: "a__echo", arguments: { tag: "kept" } }))).toBe("kept")
      await until("the removed toolset logged", () => started.stderr().includes("toolset removed from the config"))
      const fresh = await fetch(`${base}/mcp/t/t1`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" })
      expect(fresh.status).toBe(404)
    } finally {
      for (const c of clients) await c.close().catch(() => {})
      started.proc.kill("SIGTERM")
      await started.proc.exited
    }
  }, 30_000)
})
