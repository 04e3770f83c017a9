/**
 * Protocol eras toward downstreams, in process: the spec's stdio probe (`server/discover` first, on
 * the session's own process) against a modern-only, a dual-era, an SDK v1 (-32601), a non-standard
 * error, a silent and an exiting legacy server; the on-disk verdict (a warm start does not probe
 * again: the downstream's received methods are counted), config pins, a stale verdict either way,
 * and a modern session's calls (tool error, timeout, prompts, resources, health check). Real
 * servers: SDK v1 and v2 fixtures and raw JSON-RPC ones.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { FileEraStore, Pool } from "../../src/pool/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, captureLog, config, ROOT, until } from "../proxy/helpers.ts"

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const STRICT = join(ROOT, "test", "fixtures", "servers", "strict-legacy-server.ts")
const PROBE = join(ROOT, "test", "fixtures", "servers", "probe-server.ts")
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function scratch(): string {
  const d = tempDir("mcpo-era-")
  dirs.push(d)
  return d
}

function methods(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []
}

function modernSpec(log: string, extra: Partial<ServerSpec> = {}, ...flags: string[]): ServerSpec {
  return { command: BUN, args: [MODERN, "stdio", ...flags], env: { MODERN_LOG: log }, ...extra } as ServerSpec
}

function pool(stateDir: string, notes: { method: string; params?: Record<string, unknown> }[] = []): Pool {
  return new Pool({ config: config({}), log: captureLog().log, eras: new FileEraStore(stateDir), closeGraceMs: 200, onNotification: (_s, method, params) => void notes.push({ method, ...(params ? { params } : {}) }) })
}

const echo = (text: string) => ({ name: "echo", arguments: { text } })

describe("modern-only stdio downstream", () => {
  test("auto: detected on first contact, remembered, and a warm start goes straight to the modern protocol", async () => {
    const state = scratch()
    const log = join(scratch(), "m.log")
    const spec = modernSpec(log)
    {
      await using p = pool(state)
      p.add({ name: "m", source: "config", spec })
      const r = (await p.call("m", "tools/call", echo("a"), {})) as { content: { text: string }[]; resultType?: string }
      expect(r.content[0]!.text).toBe("modern:a")
      expect(r.resultType).toBeUndefined() // modern-only keys are not passed to legacy clients
      expect(p.get("m")!.era).toEqual({ era: "modern", via: "probed" })
      expect(p.get("m")!.info?.protocolVersion).toBe("2026-07-28")
    }
    // the probe found it: no initialize ever, one discover (the probe's answer is the session's)
    expect(methods(log)[0]).toBe("server/discover")
    expect(methods(log)).not.toContain("initialize")
    expect(methods(log).filter((m) => m === "server/discover")).toHaveLength(1)
    expect(JSON.parse(readFileSync(join(state, "protocol-eras.json"), "utf8"))).toSatisfy((o: Record<string, { era: string; at: number }>) => Object.values(o).some((v) => v.era === "modern" && v.at > 0))
    rmSync(log)
    {
      await using p = pool(state)
      p.add({ name: "m", source: "config", spec })
      expect(((await p.call("m", "tools/call", echo("b"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:b")
      expect(p.get("m")!.era).toEqual({ era: "modern", via: "cached" })
    }
    expect(methods(log)).not.toContain("initialize")
    expect(methods(log)[0]).toBe("server/discover")
  }, 30_000)

  test("a stale legacy verdict for a now modern-only server: recognised from the refused initialize, on the same process", async () => {
    const state = scratch()
    const log = join(scratch(), "m.log")
    const spec = modernSpec(log)
    new FileEraStore(state).set(spec, "legacy")
    await using p = pool(state)
    p.add({ name: "m", source: "config", spec })
    expect(((await p.call("m", "tools/call", echo("s"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:s")
    expect(p.get("m")!.era).toEqual({ era: "modern", via: "probed" })
    expect(methods(log).slice(0, 2)).toEqual(["initialize", "server/discover"])
    expect(new FileEraStore(state).get(spec)).toBe("modern")
  }, 30_000)

  test("a stale legacy verdict for a modern-only server that exits after refusing initialize: started afresh in the modern era", async () => {
    const state = scratch()
    const log = join(scratch(), "m.log")
    const spec = modernSpec(log, {}, "--exit-after-refusal")
    new FileEraStore(state).set(spec, "legacy")
    await using p = pool(state)
    p.add({ name: "m", source: "config", spec })
    expect(((await p.call("m", "tools/call", echo("c"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:c")
    expect(p.get("m")!.era).toEqual({ era: "modern", via: "probed" })
    expect(methods(log).slice(0, 3)).toEqual(["initialize", "server/discover", "server/discover"])
  }, 30_000)

  test("pinned modern never sends initialize; pinned legacy is honoured (and fails against a modern-only server)", async () => {
    const log = join(scratch(), "m.log")
    {
      await using p = pool(scratch())
      p.add({ name: "m", source: "config", spec: modernSpec(log, { protocol: "modern" }) })
      await p.get("m")!.ensure()
      expect(p.get("m")!.era).toEqual({ era: "modern", via: "pinned" })
    }
    expect(methods(log)).toEqual(["server/discover", "subscriptions/listen"])
    await using p = pool(scratch())
    p.add({ name: "l", source: "config", spec: modernSpec(join(scratch(), "l.log"), { protocol: "legacy" }) })
    const e = await p.get("l")!.ensure().then(() => undefined, (x: unknown) => x as Error)
    expect(e?.message).toContain("pinned to protocol: legacy")
    expect(p.get("l")!.era).toBeUndefined()
  }, 30_000)

  test("a modern session: tool error, timeout, prompts, resources, health check, removed methods, log level", async () => {
    const log = join(scratch(), "m.log")
    const notes: { method: string; params?: Record<string, unknown> }[] = []
    await using p = pool(scratch(), notes)
    p.add({ name: "m", source: "config", spec: modernSpec(log, { protocol: "modern" }) })
    const fail = (await p.call("m", "tools/call", { name: "fail", arguments: {} }, {})) as { isError?: boolean; content: { text: string }[] }
    expect(fail.isError).toBe(true)
    expect(fail.content[0]!.text).toBe("modern failure")
    const slow = await p.call("m", "tools/call", { name: "slow", arguments: { ms: 5000 } }, { timeoutMs: 300 }).then(() => undefined, (x: unknown) => x as { code?: string })
    expect(slow?.code).toBe("TIMEOUT")
    const prompt = (await p.call("m", "prompts/get", { name: "greet" }, {})) as { messages: { content: { text: string } }[] }
    expect(prompt.messages[0]!.content.text).toBe("hello from modern")
    const list = (await p.call("m", "resources/list", undefined, {})) as { resources: { uri: string }[] }
    expect(list.resources.map((r) => r.uri)).toEqual(["mem://note"])
    const read = (await p.call("m", "resources/read", { uri: "mem://note" }, {})) as { contents: { text: string }[] }
    expect(read.contents[0]!.text).toBe("modern note")
    const live = await p.get("m")!.ensure()
    expect(await live.check(2000)).toMatchObject({ supportedVersions: ["2026-07-28"] })
    const ping = await p.call("m", "ping", undefined, {}).then(() => undefined, (x: unknown) => x as { rpcCode?: number })
    expect(ping?.rpcCode).toBe(-32601)
    expect(methods(log)).not.toContain("ping") // removed in 2026-07-28: answered here, never sent
    // log messages only when a level was set, which then travels in each request's _meta
    const logs = () => notes.filter((n) => n.method === "notifications/message").map((n) => n.params?.data)
    await p.call("m", "tools/call", { name: "chatty", arguments: {} }, {})
    expect(logs()).toEqual([])
    expect(await p.call("m", "logging/setLevel", { level: "debug" }, {})).toEqual({})
    await p.call("m", "tools/call", { name: "chatty", arguments: {} }, {})
    expect(await until(() => logs().length > 0, 5000)).toBe(true)
    expect(logs()).toEqual(["hello log"])
    expect(methods(log)).not.toContain("logging/setLevel")
    expect(methods(log).filter((m) => m === "tools/call")).toHaveLength(4) // the timed-out call was not re-sent
  }, 30_000)
})

describe("legacy downstreams", () => {
  test("a server that exits on the pre-initialize probe (twice: one exit is no verdict) is started again with initialize, once: the verdict is remembered", async () => {
    const state = scratch()
    const log = join(scratch(), "s.log")
    const spec = { command: BUN, args: [STRICT], env: { STRICT_LOG: log } } as ServerSpec
    for (const via of ["probed", "cached"] as const) {
      await using p = pool(state)
      p.add({ name: "s", source: "config", spec })
      expect(((await p.call("s", "tools/call", { name: "ping_tool", arguments: {} }, {})) as { content: { text: string }[] }).content[0]!.text).toBe("pong")
      expect(p.get("s")!.era).toEqual({ era: "legacy", via })
    }
    expect(methods(log).filter((m) => m !== "notifications/initialized")).toEqual(["server/discover", "server/discover", "initialize", "tools/call", "initialize", "tools/call"])
    expect(new FileEraStore(state).get(spec)).toBe("legacy")
  }, 30_000)

  test("a dual-era server that crashes once at start, on the probe: probed again and spoken modern (no legacy verdict from one exit)", async () => {
    const state = scratch()
    const log = join(scratch(), "c.log")
    const spec = { command: BUN, args: [MODERN, "stdio", "--dual"], env: { MODERN_LOG: log, MODERN_CRASH_ONCE: join(scratch(), "crashed") } } as ServerSpec
    await using p = pool(state)
    p.add({ name: "c", source: "config", spec })
    expect(((await p.call("c", "tools/call", echo("c"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:c")
    expect(p.get("c")!.era).toEqual({ era: "modern", via: "probed" })
    expect(methods(log)).not.toContain("initialize")
    expect(new FileEraStore(state).get(spec)).toBe("modern")
  }, 30_000)

  test("a stale modern verdict for a server that now exits on server/discover: detected again, works as legacy", async () => {
    const state = scratch()
    const log = join(scratch(), "s.log")
    const spec = { command: BUN, args: [STRICT], env: { STRICT_LOG: log } } as ServerSpec
    new FileEraStore(state).set(spec, "modern")
    await using p = pool(state)
    p.add({ name: "s", source: "config", spec })
    expect(((await p.call("s", "tools/call", { name: "ping_tool", arguments: {} }, {})) as { content: { text: string }[] }).content[0]!.text).toBe("pong")
    expect(p.get("s")!.era).toEqual({ era: "legacy", via: "probed" })
    expect(methods(log).filter((m) => m !== "notifications/initialized")).toEqual(["server/discover", "initialize", "tools/call"])
    expect(new FileEraStore(state).get(spec)).toBe("legacy")
  }, 30_000)

  // a remembered modern verdict is checked as a first contact is (the probe's rules and timeout): before, only an
  // error answer fell back; a server now silent before initialize failed every start after the whole connect
  // timeout, one answering `null` at once, and both kept the modern verdict (every later start failed the same way)
  for (const [name, args] of [
    ["silent before initialize", ["silent"]],
    ["answering null before initialize", ["result", "null"]],
    ["answering a non-standard error (-32000)", ["code", "-32000"]],
  ] as const) {
    test(`a stale modern verdict for a server now ${name}: initialize on the same process, said once, legacy remembered`, async () => {
      const state = scratch()
      const log = join(scratch(), "p.log")
      const spec = { command: BUN, args: [PROBE, ...args], env: { PROBE_LOG: log } } as ServerSpec
      new FileEraStore(state).set(spec, "modern")
      const { log: logger, records } = captureLog()
      // a connect timeout the test outlives: the old wait ended in a failed call, not in the test's timeout
      await using p = new Pool({ config: config({ pool: { connectTimeout: 10_000 } }), log: logger, eras: new FileEraStore(state), closeGraceMs: 200 })
      p.add({ name: "l", source: "config", spec })
      expect(((await p.call("l", "tools/call", { name: "echo", arguments: { text: "now" } }, {})) as { content: { text: string }[] }).content[0]!.text).toBe("legacy:now")
      expect(p.get("l")!.era).toEqual({ era: "legacy", via: "probed" })
      expect(methods(log).filter((m) => m !== "notifications/initialized" && m !== "notifications/cancelled")).toEqual(["server/discover", "initialize", "tools/call"])
      expect(records.filter((r) => r.msg.includes("remembered verdict"))).toHaveLength(1)
      expect(new FileEraStore(state).get(spec)).toBe("legacy")
    }, 30_000)
  }

  test("a server claiming 2026-07-28 in server/discover that refuses requests until initialize: its first list is answered, reconnected legacy, remembered", async () => {
    const state = scratch()
    const log = join(scratch(), "p.log")
    const spec = { command: BUN, args: [PROBE, "liar"], env: { PROBE_LOG: log } } as ServerSpec
    const { log: logger, records } = captureLog()
    for (const via of ["probed", "cached"] as const) {
      await using p = new Pool({ config: config({}), log: logger, eras: new FileEraStore(state), closeGraceMs: 200 })
      p.add({ name: "l", source: "config", spec })
      // a list (idempotent) as the proxy asks it: retried on the reconnected session, so the first answer holds the tools
      const list = (await p.call("l", "tools/list", undefined, { idempotent: true, listing: true })) as { tools: { name: string }[] }
      expect(list.tools.map((t) => t.name)).toEqual(["echo"])
      expect(((await p.call("l", "tools/call", { name: "echo", arguments: { text: via } }, {})) as { content: { text: string }[] }).content[0]!.text).toBe(`legacy:${via}`)
      expect(p.get("l")!.era).toEqual({ era: "legacy", via })
    }
    // before: read as a process restarted on its pipes, restarted in the 2026-07-28 era again and again, the verdict kept
    expect(records.filter((r) => r.msg.includes("refuses requests until initialize"))).toHaveLength(1)
    expect(records.filter((r) => r.msg.includes("never initialized; restarting"))).toHaveLength(0)
    expect(new FileEraStore(state).get(spec)).toBe("legacy")
  }, 30_000)

  test("an initialize answered with a version we never offered fails that server only, naming the versions both sides speak and the pin to try", async () => {
    for (const [v, hint] of [
      ['"2027-01-01"', "servers.b.protocol: modern"],
      ['"2026-07-28"', "servers.b.protocol: modern"],
      ['""', "2025-11-25, 2025-06-18"],
      ["5", "2025-11-25, 2025-06-18"],
    ] as const) {
      await using p = pool(scratch())
      p.add({ name: "b", source: "config", spec: { command: BUN, args: [PROBE, "init-version", v], protocol: "legacy" } as ServerSpec })
      const e = await p.get("b")!.ensure().then(() => undefined, (x: unknown) => x as { message: string; remedy?: string })
      expect(e?.message).toStartWith("server b failed to start: downstream answered initialize with ")
      expect(e?.message).toContain("we asked for 2025-11-25 and accept 2025-11-25, 2025-06-18")
      // before: "Check the server definition (command/url, env) and run it by hand", which shows nothing wrong
      expect(e?.remedy).toContain(hint)
    }
  }, 30_000)

  for (const [name, args] of [
    ["an SDK v1 server (-32601)", ["v1"]],
    ["a server answering a non-standard error code (-32000)", ["code", "-32000"]],
    ["a server answering a null result (a hand-written server's answer to any method)", ["result", "null"]],
    ["a server answering a result that is not an object (a string)", ["result", '"ok"']],
    ["a server answering an array result", ["result", "[]"]],
    ["a silent server (no answer before initialize: the probe times out)", ["silent"]],
  ] as const) {
    test(`${name}: legacy after one probe on the same process, and a warm start sends no server/discover`, async () => {
      const state = scratch()
      const log = join(scratch(), "p.log")
      const spec = { command: BUN, args: [PROBE, ...args], env: { PROBE_LOG: log } } as ServerSpec
      for (const via of ["probed", "cached"] as const) {
        await using p = pool(state)
        p.add({ name: "l", source: "config", spec })
        expect(((await p.call("l", "tools/call", { name: "echo", arguments: { text: via } }, {})) as { content: { text: string }[] }).content[0]!.text).toBe(`legacy:${via}`)
        expect(p.get("l")!.era).toEqual({ era: "legacy", via })
        expect(p.get("l")!.info?.protocolVersion).toBe("2025-11-25")
        const got = methods(log).filter((m) => m !== "notifications/initialized" && m !== "notifications/cancelled")
        // one process: the probe, then initialize on it (a late answer would be dropped)
        expect(got).toEqual(via === "probed" ? ["server/discover", "initialize", "tools/call"] : ["initialize", "tools/call"])
        rmSync(log, { force: true })
      }
      expect(new FileEraStore(state).get(spec)).toBe("legacy")
    }, 30_000)
  }
})

describe("a server slow to start (its probe answer comes after the probe timeout)", () => {
  // MODERN_START_DELAY_MS is twice the probe timeout (1.5 s): the probe always goes unanswered in time
  const slow = { MODERN_START_DELAY_MS: "3000" }

  test("dual-era: this session speaks legacy (initialize), the late answer is remembered as modern; a warm start, as slow, probes as the first did and keeps the verdict", async () => {
    const state = scratch()
    const log = join(scratch(), "d.log")
    const spec = { command: BUN, args: [MODERN, "stdio", "--dual"], env: { MODERN_LOG: log, ...slow } } as ServerSpec
    {
      await using p = pool(state)
      p.add({ name: "d", source: "config", spec })
      expect(((await p.call("d", "tools/call", echo("slow"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:slow")
      expect(p.get("d")!.era).toEqual({ era: "legacy", via: "probed" })
    }
    // not a legacy verdict: the probe was answered (a DiscoverResult) before initialize
    expect(new FileEraStore(state).get(spec)).toBe("modern")
    rmSync(log, { force: true })
    {
      await using p = pool(state)
      p.add({ name: "d", source: "config", spec })
      expect(((await p.call("d", "tools/call", echo("warm"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:warm")
      // a remembered modern verdict is probed within the probe timeout as a first contact is (a server now silent
      // before initialize waited the whole connect timeout and failed): a server slow again is spoken legacy again
      expect(p.get("d")!.era).toEqual({ era: "legacy", via: "probed" })
    }
    expect(methods(log).slice(0, 2)).toEqual(["server/discover", "initialize"])
    expect(new FileEraStore(state).get(spec)).toBe("modern")
  }, 60_000)

  test("modern-only: the refused initialize after the unanswered probe finds it modern, on the same process", async () => {
    const state = scratch()
    const log = join(scratch(), "m.log")
    const spec = { command: BUN, args: [MODERN, "stdio"], env: { MODERN_LOG: log, ...slow } } as ServerSpec
    await using p = pool(state)
    p.add({ name: "m", source: "config", spec })
    expect(((await p.call("m", "tools/call", echo("slow"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:slow")
    expect(p.get("m")!.era).toEqual({ era: "modern", via: "probed" })
    expect(new FileEraStore(state).get(spec)).toBe("modern")
    // the probe's late answer is the session's DiscoverResult: server/discover is not asked again
    expect(methods(log).slice(0, 2)).toEqual(["server/discover", "initialize"])
    expect(methods(log).filter((m) => m === "server/discover")).toEqual(["server/discover"])
  }, 60_000)
})

describe("a modern error to the probe", () => {
  test("-32022 (no shared version) is modern evidence: no fallback to initialize, a PROTOCOL_ERA error, nothing remembered", async () => {
    const state = scratch()
    const log = join(scratch(), "p.log")
    const spec = { command: BUN, args: [PROBE, "code", "-32022"], env: { PROBE_LOG: log } } as ServerSpec
    await using p = pool(state)
    p.add({ name: "x", source: "config", spec })
    const e = await p.get("x")!.ensure().then(() => undefined, (x: unknown) => x as { code?: string; message?: string })
    expect(e?.code).toBe("PROTOCOL_ERA")
    expect(methods(log)).toEqual(["server/discover"])
    expect(new FileEraStore(state).get(spec)).toBeUndefined()
  }, 30_000)
})

describe("dual-era downstreams", () => {
  test("a dual-era server in auto is spoken to in the modern era (server/discover first, never initialize)", async () => {
    const log = join(scratch(), "d.log")
    await using p = pool(scratch())
    p.add({ name: "d", source: "config", spec: modernSpec(log, {}, "--dual") })
    expect(((await p.call("d", "tools/call", echo("x"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:x")
    expect(p.get("d")!.era).toEqual({ era: "modern", via: "probed" })
    expect(methods(log)[0]).toBe("server/discover")
    expect(methods(log)).not.toContain("initialize")
  }, 30_000)

  test("a dual-era server that asks with server-to-client requests (2025 style) is reconnected in the 2025-11-25 era, remembered; pinned modern stays", async () => {
    const state = scratch()
    const log = join(scratch(), "d.log")
    const spec = modernSpec(log, {}, "--dual")
    const asked: string[] = []
    const onRequest = async (_s: string, method: string, params: Record<string, unknown> | undefined) => {
      asked.push(`${method}:${String(params?.message)}`)
      return { action: "accept", content: { answer: "yes" } }
    }
    const ask = { name: "push_ask", arguments: { question: "ok?" } }
    {
      await using p = new Pool({ config: config({}), log: captureLog().log, eras: new FileEraStore(state), closeGraceMs: 200, onRequest })
      p.add({ name: "d", source: "config", spec })
      // the modern session's call fails where the handler asked (the SDK refused the push), naming the server and what to do
      const first = await p.call("d", "tools/call", ask, {}).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message: string; remedy?: string },
      )
      expect(first?.code).toBe("PROTOCOL_ERA")
      expect(first?.message).toContain("server d asked the client for input with elicitation/create")
      expect(first?.remedy).toContain("Call again")
      // the next call goes to the same server spoken to in the 2025-11-25 era: its request reaches the client
      const r = (await p.call("d", "tools/call", ask, {})) as { content: { text: string }[] }
      expect(p.get("d")!.era?.era).toBe("legacy")
      expect(r.content[0]!.text).toBe("pushed:accept:yes")
      expect(asked).toEqual(["elicitation/create:ok?"])
      expect(methods(log)).toContain("initialize")
    }
    // remembered: a later start opens with initialize, no modern session first
    expect(new FileEraStore(state).get(spec)).toBe("legacy")
    // pinned modern: the refusal is the tool's result, the era kept
    const pinnedLog = join(scratch(), "p.log")
    await using p = new Pool({ config: config({}), log: captureLog().log, eras: new FileEraStore(scratch()), closeGraceMs: 200, onRequest })
    p.add({ name: "m", source: "config", spec: modernSpec(pinnedLog, { protocol: "modern" }, "--dual") })
    const pinned = (await p.call("m", "tools/call", ask, {})) as { content: { text: string }[]; isError?: boolean }
    expect(pinned.isError).toBe(true)
    expect(pinned.content[0]!.text).toContain("Server-to-client requests are not available")
    expect(p.get("m")!.era).toEqual({ era: "modern", via: "pinned" })
  }, 30_000)

  test("a dual-era server pinned legacy is spoken to with initialize (no probe)", async () => {
    const log = join(scratch(), "d.log")
    await using p = pool(scratch())
    p.add({ name: "d", source: "config", spec: modernSpec(log, { protocol: "legacy" }, "--dual") })
    expect(((await p.call("d", "tools/call", echo("y"), {})) as { content: { text: string }[] }).content[0]!.text).toBe("modern:y")
    expect(p.get("d")!.era).toEqual({ era: "legacy", via: "pinned" })
    expect(methods(log)[0]).toBe("initialize")
    expect(methods(log)).not.toContain("server/discover")
  }, 30_000)
})
