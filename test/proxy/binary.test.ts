/**
 * The pool and proxy through the compiled binary, driven by the SDK Client over stdio: real npm
 * servers, progress, cancellation, a downstream killed mid-call, shutdown without orphans, the demo,
 * and the Toolkit workflow with the fake `docker` (its gateway runs server-everything on stdio).
 * Each block runs once src/app (or src/cli) wires the part it needs; skipped before that.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"
import { BIN, childrenOf, connectBinary, ensureBuilt, isAlive, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { EVERYTHING, FILESYSTEM, MEMORY, ROOT, until } from "./helpers.ts"

/** Does any non-comment line of a .ts file under `dirs` (except `skip`) contain `needle`? */
function wired(needle: string, dirs: string[], skip = join(ROOT, "src", "app", "demo.ts")): boolean {
  const files = dirs.flatMap((d) => (readdirSync(join(ROOT, d), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).map((f) => join(ROOT, d, f))).filter((f) => f !== skip)
  return files.some((f) => readFileSync(f, "utf8").split("\n").some((l) => !/^\s*(\/\/|\*)/.test(l) && l.includes(needle)))
}
const PROXY = wired("createProxy(", ["src/app"])
const DEMO = wired("runDemo(", ["src/app", "src/cli"])
const GATEWAY = PROXY && wired("addServer(", ["src/app"])

function writeConfig(dir: string, body: Record<string, unknown>): string {
  const file = join(dir, "config.json")
  writeFileSync(file, JSON.stringify(body))
  return file
}

/** All descendants of `pid` (children, grandchildren…). */
function descendants(pid: number): number[] {
  const out: number[] = []
  for (const c of childrenOf(pid)) out.push(c, ...descendants(c))
  return out
}

describe.skipIf(!PROXY)("through the binary: real servers", () => {
  let c: Connected
  const dir = tempDir("mcpo-bin-proxy-")
  beforeAll(async () => {
    await ensureBuilt()
    mkdirSync(join(dir, "files"))
    writeFileSync(join(dir, "files", "a.txt"), "alpha\n")
    const cfg = writeConfig(dir, {
      servers: {
        ev: { command: "node", args: [EVERYTHING, "stdio"] },
        mem: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, "mem.jsonl") } },
        fs: { command: "node", args: [FILESYSTEM, join(dir, "files")] },
      },
      toolkit: { enabled: "off" },
    })
    c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
  }, 180_000)
  afterAll(() => c?.close())

  test("aggregated tools/list next to our own tools", async () => {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    for (const n of ["ev__echo", "mem__read_graph", "fs__list_directory", "orchestrator_status"]) expect(names).toContain(n)
  })

  test("calls: text, structured content, image", async () => {
    expect(await c.client.callTool({ name: "ev__echo", arguments: { message: "via binary" } })).toEqual({ content: [{ type: "text", text: "Echo: via binary" }] })
    const s = await c.client.callTool({ name: "ev__get-structured-content", arguments: { location: "New York" } })
    expect(s.structuredContent).toMatchObject({ temperature: expect.any(Number) })
    const img = await c.client.callTool({ name: "ev__get-tiny-image", arguments: {} })
    expect((img.content as { type: string }[]).some((x) => x.type === "image")).toBe(true)
    const fs = await c.client.callTool({ name: "fs__list_directory", arguments: { path: join(dir, "files") } })
    expect(JSON.stringify(fs.content)).toContain("a.txt")
  })

  test("progress reaches the client; cancellation ends the call", async () => {
    const seen: number[] = []
    await c.client.callTool({ name: "ev__trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } }, undefined, { onprogress: (p) => seen.push(p.progress) })
    // The SDK Client may drop the last progress when it arrives in the same read as the result (it
    // happens with a direct connection to server-everything too); the wire order is correct.
    expect(seen.slice(0, 2)).toEqual([1, 2])
    expect([2, 3]).toContain(seen.length)
    const ac = new AbortController()
    const p = c.client.callTool({ name: "ev__trigger-long-running-operation", arguments: { duration: 10, steps: 10 } }, undefined, { signal: ac.signal, onprogress: () => ac.abort() })
    await expect(p).rejects.toThrow()
    expect(await c.client.callTool({ name: "ev__echo", arguments: { message: "still" } })).toEqual({ content: [{ type: "text", text: "Echo: still" }] })
  })

  test("downstream killed mid-call: the call fails naming the exit (not a timeout), the next call reaches a restarted server", async () => {
    const before = descendants(c.pid!)
    // the operation is under way downstream once its first progress arrives
    let started!: () => void
    const running = new Promise<void>((r) => (started = r))
    const call = c.client.callTool({ name: "ev__trigger-long-running-operation", arguments: { duration: 10, steps: 10 } }, undefined, { onprogress: () => started() })
    await running
    // server-everything is the `node … stdio` child of the binary.
    const ev = before.find((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").includes("server-everything")
      } catch {
        return false
      }
    })
    expect(ev).toBeDefined()
    process.kill(ev!, "SIGKILL")
    // the operation would run 10 s and a lost answer would end as a timeout: the answer names the exit
    const r = await call.then(
      (x) => x,
      (e: Error) => ({ isError: true, content: [{ type: "text", text: e.message }] }),
    )
    expect(r.isError).toBe(true)
    expect(JSON.stringify(r.content)).toMatch(/exit|killed|not retried/i)
    expect(JSON.stringify(r.content)).not.toMatch(/timed out|timeout/i)
    const ok = await c.client.callTool({ name: "ev__echo", arguments: { message: "restarted" } })
    expect(ok).toEqual({ content: [{ type: "text", text: "Echo: restarted" }] })
  })

  test("shutdown on stdin EOF: exits, no child processes left", async () => {
    const pid = c.pid!
    const kids = descendants(pid)
    expect(kids.length).toBeGreaterThanOrEqual(3)
    await c.close()
    expect(await until(() => !isAlive(pid), 15_000)).toBe(true)
    expect(await until(() => kids.every((k) => !isAlive(k)), 15_000)).toBe(true)
  })
})

describe.skipIf(!PROXY)("through the binary: SIGTERM", () => {
  test("SIGTERM with a call in flight: exits, downstreams and their groups gone", async () => {
    const dir = tempDir("mcpo-bin-term-")
    const cfg = writeConfig(dir, { servers: { ev: { command: "node", args: [EVERYTHING, "stdio"] }, f: { command: process.execPath, args: [join(ROOT, "test", "fixtures", "servers", "fault-server.ts"), "--grandchild"] } }, warm: ["ev", "f"], toolkit: { enabled: "off" } })
    const c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
    const pid = c.pid!
    expect(await until(() => descendants(pid).length >= 3, 10_000)).toBe(true) // node, bun fixture, its grandchild
    const kids = descendants(pid)
    const pending = c.client.callTool({ name: "f__hang", arguments: {} }).catch((e: unknown) => e)
    await Bun.sleep(100)
    process.kill(pid, "SIGTERM")
    expect(await until(() => !isAlive(pid), 15_000)).toBe(true)
    expect(await until(() => kids.every((k) => !isAlive(k)), 15_000)).toBe(true)
    await pending
    await c.close().catch(() => {})
  }, 30_000)
})

describe.skipIf(!PROXY || !DEMO)("mcp-orchestrator demo", () => {
  test("runs the example end to end and exits 0", async () => {
    await ensureBuilt()
    const p = Bun.spawn([BIN, "demo"], { cwd: ROOT, env: sandboxEnv(), stdout: "pipe", stderr: "pipe" })
    const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited])
    expect(code).toBe(0)
    expect(out).toContain("everything__echo")
    expect(out).toContain("demo OK")
  }, 180_000)
})

describe.skipIf(!GATEWAY)("Toolkit workflow through the binary (fake docker)", () => {
  let fake: FakeDocker
  let c: Connected
  beforeAll(async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.43.3" })
    const dir = tempDir("mcpo-bin-toolkit-")
    const cfg = writeConfig(dir, { toolkit: { enabled: "on", docker: join(fake.dir, "bin", "docker") } })
    c = await connectBinary(["serve", "--config", cfg], { ...sandboxEnv(), ...fake.env })
  }, 180_000)
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  test("server_enable → gateway session → docker__ tools (list_changed) → call → server_disable → tools gone, session closed", async () => {
    let changed = 0
    c.client.setNotificationHandler((await import("@modelcontextprotocol/sdk/types.js")).ToolListChangedNotificationSchema, async () => {
      changed++
    })
    const en = await c.client.callTool({ name: "server_enable", arguments: { name: "duckduckgo" } })
    expect(en.isError).toBeFalsy()
    expect(await until(() => changed > 0, 15_000)).toBe(true)
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("docker__echo")
    expect(await c.client.callTool({ name: "docker__echo", arguments: { message: "gw" } })).toEqual({ content: [{ type: "text", text: "Echo: gw" }] })
    const gateway = descendants(c.pid!)
    expect(gateway.length).toBeGreaterThan(0)
    changed = 0
    const dis = await c.client.callTool({ name: "server_disable", arguments: { name: "duckduckgo" } })
    expect(dis.isError).toBeFalsy()
    expect(await until(() => changed > 0, 15_000)).toBe(true)
    expect((await c.client.listTools()).tools.some((t) => t.name.startsWith("docker__"))).toBe(false)
    expect(await until(() => gateway.every((p) => !isAlive(p)), 15_000)).toBe(true)
  }, 60_000)
})
