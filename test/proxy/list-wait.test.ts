/**
 * proxy.listWait bounds the wait for a listing once: the first list that finds a server listing
 * waits for it (at most listWait), later lists while that same listing is still under way answer at
 * once with what is known. A server added later is waited for again by the next list. The listing
 * server is a fixture that holds tools/list until a file appears, so nothing depends on timing:
 * once the first wait is over, listWait is raised to 10 minutes, and any later wait for the held
 * server would outlast the test.
 */
import { describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type ListKind } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, config, ctx, everythingStdio, MEMORY, ROOT, until } from "./helpers.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const FAIL_THEN_SERVE = join(ROOT, "test", "fixtures", "servers", "fail-then-serve.ts")
const LIST_CRASH = join(ROOT, "test", "faults", "servers", "list-crash-server.ts")
const PARTIAL_LISTS = join(ROOT, "test", "faults", "servers", "partial-lists-server.ts")
const gated = (...flags: string[]) => ({ command: BUN, args: [GATE_SERVER, ...flags] })
const TEN_MINUTES = 600_000

describe("proxy.listWait: only the first answer waits for a listing", () => {
  test("a server that never answers tools/list holds the first list only; later lists and the catalog answer at once, a call waits once within its timeout", async () => {
    const gate = join(tempDir("mcpo-gate-"), "open")
    const cfg = config({ servers: { held: gated("--gate", gate), ev: everythingStdio }, proxy: { listWait: 300 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    const events: ListKind[] = []
    proxy.onListChanged((k) => events.push(k))

    expect((await proxy.listTools()).some((t) => t.name.startsWith("held__"))).toBe(false)
    // server-everything may take longer than 300 ms to come up: lists until its tools are there
    let first: string[] = []
    expect(await until(async () => (first = (await proxy.listTools()).map((t) => t.name)).includes("ev__echo"), 15_000)).toBe(true)
    expect(first.some((n) => n.startsWith("held__"))).toBe(false)

    // the first wait is over: from here on, waiting for the held server would take 10 minutes
    cfg.proxy.listWait = TEN_MINUTES
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(first)
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(first)
    // search_tools / describe_tools / run_code see the same, without waiting either
    expect((await proxy.catalog!()).tools.map((t) => t.name)).toEqual(first)
    // a call of a tool not listed yet waits for the listing within its own timeout (here 300 ms),
    // then says why; one wait per listing: a later call (10 minutes to wait) says so at once
    const callTimeout = cfg.pool.callTimeout
    cfg.pool.callTimeout = 300
    await expect(proxy.callTool("held__held_alpha", {}, ctx())).rejects.toMatchObject({ code: "SERVER_UNAVAILABLE" })
    cfg.pool.callTimeout = TEN_MINUTES
    await expect(proxy.callTool("held__held_alpha", {}, ctx())).rejects.toMatchObject({ code: "SERVER_UNAVAILABLE", message: expect.stringContaining("has not answered its tools/list yet") })
    cfg.pool.callTimeout = callTimeout

    // the held server answers: its tools are announced and listed, and reachable
    writeFileSync(gate, "")
    expect(await until(() => events.includes("tools"), 10_000)).toBe(true)
    expect((await proxy.listTools()).map((t) => t.name)).toContain("held__held_alpha")
    expect(await proxy.callTool("held__echo", { message: "late" }, ctx())).toEqual({ content: [{ type: "text", text: "late" }] })
  }, 30_000)

  test("a server that never finishes its start costs one listWait, not one per kind of list", async () => {
    const cfg = config({ servers: { stuck: gated("--no-init"), ev: everythingStdio }, proxy: { listWait: 300 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    // the first list waits for the start (300 ms), whatever kind it is
    expect((await proxy.listTools()).some((t) => t.name.startsWith("stuck__"))).toBe(false)
    // the same start is still under way: a list of any other kind must not wait for it again (it
    // would take 10 minutes now), as a client that lists tools, prompts, resources in turn does
    cfg.proxy.listWait = TEN_MINUTES
    expect(proxy.pool.get("stuck")!.startAttempt).toBeDefined()
    await proxy.listPrompts()
    await proxy.listResources()
    await proxy.listResourceTemplates()
    expect((await proxy.listTools()).some((t) => t.name.startsWith("stuck__"))).toBe(false)
  }, 30_000)

  test("a server that starts but never answers prompts/list or resources/list costs each first list one listWait, not two", async () => {
    // the first list of a kind waited for the server's start and first listing, then (proxy
    // `pending`) for that listing again with a deadline of its own: two listWaits (10 s by default)
    const cfg = config({ servers: { mute: { command: BUN, args: [PARTIAL_LISTS, "--prompts", "hang", "--resources", "hang", "--templates", "hang"] }, mem: { command: "node", args: [MEMORY] } }, proxy: { listWait: 8000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    const prompts = proxy.listPrompts()
    const resources = proxy.listResources()
    // once the server is up, its listings were asked for (onReady) and both lists wait for them;
    // from here on, any new wait for them would take 10 minutes (listWait 8 s: a loaded machine's
    // slow start of mute is still within the first lists' wait, so they wait on its listings)
    expect(await until(() => proxy.pool.get("mute")?.state === "ready", 20_000)).toBe(true)
    cfg.proxy.listWait = TEN_MINUTES
    const hung = Bun.sleep(30_000).then(() => "still waiting" as const)
    expect(await Promise.race([prompts.then(() => "answered" as const), hung])).toBe("answered")
    expect(await Promise.race([resources.then(() => "answered" as const), hung])).toBe("answered")
    expect(await Promise.race([proxy.listResourceTemplates().then(() => "answered" as const), hung])).toBe("answered")
  }, 60_000)

  test("a server that starts and leaves prompts/list and resources/list unanswered costs a client listing one kind after the other one listWait in all", async () => {
    // each kind's first list waited its own listWait for the listing the start began: a client that
    // lists prompts, then resources (Cursor's start, the SDK's) waited two, three with tools
    const cfg = config({ servers: { mute: { command: BUN, args: [PARTIAL_LISTS, "--prompts", "hang", "--resources", "hang", "--templates", "hang"] } }, proxy: { listWait: 300 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    // the server is up before any list: its start asked for every kind (onReady)
    proxy.pool.get("mute")!.ensure().catch(() => {})
    expect(await until(() => proxy.pool.get("mute")?.state === "ready", 20_000)).toBe(true)
    expect(await proxy.listPrompts()).toEqual([])
    // the start's listings were waited for once: any new wait for them would take 10 minutes
    cfg.proxy.listWait = TEN_MINUTES
    const hung = Bun.sleep(20_000).then(() => "still waiting" as const)
    expect(await Promise.race([proxy.listResources().then(() => "answered" as const), hung])).toBe("answered")
    expect(await Promise.race([proxy.listResourceTemplates().then(() => "answered" as const), hung])).toBe("answered")
    expect(await Promise.race([proxy.listPrompts().then(() => "answered" as const), hung])).toBe("answered")
  }, 40_000)

  test("a server added later is waited for by the next list (the first answer after a change)", async () => {
    const gate = join(tempDir("mcpo-gate-"), "open")
    const cfg = config({ servers: { held: gated("--gate", gate) }, proxy: { listWait: 300 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    expect(await proxy.listTools()).toEqual([])
    cfg.proxy.listWait = TEN_MINUTES
    // a new server's listing is a new one: the next list waits for it (it answers: no 10-minute wait)
    proxy.addServer({ name: "mem", source: "config", spec: { command: "node", args: [MEMORY] } })
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names.some((n) => n.startsWith("mem__"))).toBe(true)
    expect(names.some((n) => n.startsWith("held__"))).toBe(false)
  }, 30_000)
})

describe("proxy.listWait: a server whose start failed is not waited for while it restarts", () => {
  test("lists of every kind and the catalog answer at once during its restarts; its tools are announced when a restart works", async () => {
    // the fixture's first start exits (a missing token), its next starts hang until `up` exists;
    // legacy pinned: no server/discover probe (an exit on the probe is retried within the same start)
    const dir = tempDir("mcpo-flaky-")
    const cfg = config({
      servers: { flaky: { command: BUN, args: [FAIL_THEN_SERVE, dir], protocol: "legacy" } },
      proxy: { listWait: 300 },
      pool: { restartDelay: 100, restartDelayMax: 200, connectTimeout: TEN_MINUTES },
    })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    const events: ListKind[] = []
    proxy.onListChanged((k) => events.push(k))

    // the first start is waited for (at most 300 ms; it fails at once)
    expect(await proxy.listTools()).toEqual([])

    // its restart attempt (started by its backoff timer) never finishes while `up` does not exist:
    // from here on, a list that waited for it would take 10 minutes
    const session = proxy.pool.get("flaky")!
    const starts = (): number => (existsSync(join(dir, "starts")) ? readFileSync(join(dir, "starts"), "utf8").split("\n").filter(Boolean).length : 0)
    expect(await until(() => starts() >= 2 && session.startAttempt !== undefined, 15_000)).toBe(true)
    cfg.proxy.listWait = TEN_MINUTES
    expect(await proxy.listTools()).toEqual([])
    await proxy.listPrompts()
    await proxy.listResources()
    await proxy.listResourceTemplates()
    expect((await proxy.catalog!()).tools).toEqual([])
    expect(session.startAttempt).toBeDefined()

    // the server is fixed: the hanging attempt exits, the next restart (on its schedule) lists it
    writeFileSync(join(dir, "up"), "")
    expect(await until(() => events.includes("tools"), 15_000)).toBe(true)
    expect((await proxy.listTools()).map((t) => t.name)).toContain("flaky__held_alpha")
  }, 30_000)
})

describe("proxy.listWait: a server that crashes after each handshake is not waited for through its restarts", () => {
  test.each([
    ["when asked for its tools", []],
    ["right after the handshake", ["--exit-after-init"]],
    // its stdin closed at once, its exit a moment later: the listing's write is refused (EPIPE)
    // before the exit is seen; the retried listing used to be sent again on the dead pipe, refused
    // at once, and the list stopped waiting at the first crash
    ["a moment after closing its stdin", ["--close-stdin-after-init", "150"]],
  ])("one that exits %s: the first list waits through one restart, not through every one, and still has every healthy server's tools", async (_when, flags) => {
    // the fixture answers initialize, then exits, at every start; the pool retries the listing on
    // the next connection (idempotent), so the listing goes on through the restarts: the list must
    // not. listWait is a minute (the old code waited through 3 starts, the 6 s restart delays
    // between them), the healthy server is a real npm one
    const dir = tempDir("mcpo-list-crash-")
    const startsFile = join(dir, "starts")
    const cfg = config({
      servers: { crashy: { command: BUN, args: [LIST_CRASH, "--starts", startsFile, ...flags] }, mem: { command: "node", args: [MEMORY] } },
      proxy: { listWait: 60_000 },
      pool: { restartDelay: 6000, restartDelayMax: 6000 },
    })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    const starts = (): number => (existsSync(startsFile) ? readFileSync(startsFile, "utf8").split("\n").filter(Boolean).length : 0)

    const names = (await proxy.listTools()).map((t) => t.name)
    // answered after its second crash, while it waits out a restart delay: two starts (one restart
    // waited for, as a one-off crash deserves), not one per restart attempt
    expect(starts()).toBe(2)
    expect(proxy.pool.get("crashy")!.state).toBe("backoff")
    expect(names.some((n) => n.startsWith("mem__"))).toBe(true)
    expect(names.some((n) => n.startsWith("crashy__"))).toBe(false)
    // and the lists after it do not wait for its restarts either
    cfg.proxy.listWait = TEN_MINUTES
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(names)
    await proxy.listPrompts()
    await proxy.listResources()
  }, 40_000)
})

describe("a call of a tool of a server still starting (QA 13)", () => {
  test("waits for the start within the call's timeout, not only proxy.listWait, and gets the tool's answer", async () => {
    // a first start slower than listWait (npx fetching a package): the first list answered without
    // it; a call of its tool used to fail at once with SERVER_UNAVAILABLE and "check the command"
    const gate = join(tempDir("mcpo-init-gate-"), "open")
    const cfg = config({ servers: { slowpoke: gated("--init-gate", gate), ev: everythingStdio }, proxy: { listWait: 300 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    expect((await proxy.listTools()).some((t) => t.name.startsWith("slowpoke__"))).toBe(false)
    expect(proxy.pool.get("slowpoke")!.startAttempt).toBeDefined()
    const call = proxy.callTool("slowpoke__echo", { message: "late" }, ctx())
    writeFileSync(gate, "")
    expect(await call).toEqual({ content: [{ type: "text", text: "late" }] })
  }, 30_000)

  test("a start that outlasts the call's timeout: the error says the server is still starting, not to check its command", async () => {
    const gate = join(tempDir("mcpo-init-gate-"), "never")
    const cfg = config({ servers: { slowpoke: gated("--init-gate", gate) }, proxy: { listWait: 100 }, pool: { callTimeout: 400 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    await proxy.listTools()
    const err = (await proxy.callTool("slowpoke__echo", {}, ctx()).catch((e: unknown) => e)) as { code: string; message: string; remedy?: string }
    expect(err.code).toBe("SERVER_UNAVAILABLE")
    expect(err.message).toBe("Server slowpoke is still starting, so slowpoke__echo cannot be called yet: it has not listed its tools")
    expect(err.remedy).toStartWith("Call it again in a little while")
    expect(err.remedy).not.toContain("Check the server's command")
  }, 30_000)
})

describe("a call waiting for a server's start while a config reload restarts or removes that server", () => {
  const reload = async (running: ReturnType<typeof config>, next: ReturnType<typeof config>, proxy: ReturnType<typeof createProxy>): Promise<void> => {
    const { applyDiff } = await import("../../src/app/config-apply.ts")
    const { diffConfig } = await import("../../src/app/config-diff.ts")
    const { createLogHub } = await import("../../src/core/index.ts")
    void Promise.all(applyDiff(running, next, diffConfig(running, next), { proxy, logHub: createLogHub("error", () => {}), nested: false }))
  }

  test("restarted under a changed definition: the call waits for the new start and gets the tool's answer (it was never sent)", async () => {
    // it used to fail at once with SERVER_UNAVAILABLE "has not listed its tools yet … check the
    // server's command", as if the edited server were broken
    const dir = tempDir("mcpo-reload-start-")
    const [oldGate, newGate] = [join(dir, "never"), join(dir, "open")]
    const running = config({ servers: { slowpoke: gated("--init-gate", oldGate) }, proxy: { listWait: 100 } })
    await using proxy = createProxy({ config: running, log: silentLogger, closeGraceMs: 200 })
    await proxy.listTools()
    expect(proxy.pool.get("slowpoke")!.startAttempt).toBeDefined()
    const call = proxy.callTool("slowpoke__echo", { message: "after the edit" }, ctx()).catch((e: unknown) => e)
    // the call is waiting for the start by now (on a slower machine it may not be yet: then this is
    // the case of the next test, which passes the same way)
    await Bun.sleep(300)
    await reload(running, config({ servers: { slowpoke: gated("--init-gate", newGate) }, proxy: { listWait: 100 } }), proxy)
    // the new start is slow too (npx fetching the new version): longer than the 2 s a call waits
    // for a listing after the start it waited for
    await Bun.sleep(2500)
    writeFileSync(newGate, "")
    expect(await call).toEqual({ content: [{ type: "text", text: "after the edit" }] })
  }, 30_000)

  test("restarted before the call looked at it (its new start not begun yet): the call waits for that start", async () => {
    const dir = tempDir("mcpo-reload-start-")
    const [oldGate, newGate] = [join(dir, "never"), join(dir, "open")]
    const running = config({ servers: { slowpoke: gated("--init-gate", oldGate) }, proxy: { listWait: 100 } })
    await using proxy = createProxy({ config: running, log: silentLogger, closeGraceMs: 200 })
    await proxy.listTools()
    await reload(running, config({ servers: { slowpoke: gated("--init-gate", newGate) }, proxy: { listWait: 100 } }), proxy)
    const call = proxy.callTool("slowpoke__echo", { message: "right after" }, ctx()).catch((e: unknown) => e)
    writeFileSync(newGate, "")
    expect(await call).toEqual({ content: [{ type: "text", text: "right after" }] })
  }, 30_000)

  test("removed: the call is told the server was removed from the config", async () => {
    const gate = join(tempDir("mcpo-reload-start-"), "never")
    const running = config({ servers: { slowpoke: gated("--init-gate", gate), ev: everythingStdio }, proxy: { listWait: 100 } })
    await using proxy = createProxy({ config: running, log: silentLogger, closeGraceMs: 200 })
    await proxy.listTools()
    const call = proxy.callTool("slowpoke__echo", {}, ctx()).catch((e: unknown) => e)
    await reload(running, config({ servers: { ev: everythingStdio }, proxy: { listWait: 100 } }), proxy)
    const err = (await call) as { code?: string; message?: string }
    expect(err.code).toBe("SERVER_REMOVED")
    expect(err.message).toContain("Server slowpoke was removed from the config")
  }, 30_000)
})
