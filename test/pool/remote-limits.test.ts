/**
 * `pool.maxFrameBytes` for remote downstreams (QA: a 400 MiB JSON answer, or one SSE `data:` line
 * that never ends, took the orchestrator's RSS to 2.5 GiB / 1.5 GiB, a bigger one had it OOM-killed,
 * and a start that failed so read "did not answer initialize within pool.connectTimeout"). Now a
 * body over the limit (8 MiB here) is not read further: the call fails with FRAME_TOO_LARGE (not a
 * timeout: the error names the cause, and a call left waiting fails as a test timeout) naming the server, the method, the size seen and the limit; memory stays bounded
 * (peak growth of this process < 2 × the limit + 64 MiB, VmHWM after `clear_refs`); the session
 * stays up where the protocol allows (Streamable HTTP: each answer has its own body) and the next
 * call works; legacy HTTP+SSE, whose one stream carries every answer, is reconnected. A 4 MiB result
 * still passes. Both eras, legacy HTTP+SSE, gzip, a declared Content-Length, the standalone GET
 * stream, and starts. Servers: `test/faults/servers/huge-http.ts` (bodies made as they are read).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import * as zlib from "node:zlib"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { limitBodies, type Oversize } from "../../src/pool/remote-limits.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { downstreamFailure as failure } from "../helpers/failure.ts"
import { waitFor } from "../helpers/wait.ts"
import { BIG_MIB, HUGE_MIB, startHugeHttp, type HugeHttp } from "../faults/servers/huge-http.ts"

const MiB = 1024 * 1024
const LIMIT = 8 * MiB
/** The bound the brief sets on the peak growth (coarse: the runtime's buffers, the GC's pace). */
const BOUND_MIB = (2 * LIMIT) / MiB + 64
const hasProc = process.platform === "linux"

let huge: HugeHttp
beforeAll(async () => {
  huge = await startHugeHttp()
})
afterAll(async () => {
  await huge.stop()
})

function status(key: string): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync("/proc/self/status", "utf8"))
  return m ? Number(m[1]) / 1024 : NaN
}

/** Runs `f` and returns how far this process's peak RSS rose above its RSS before (MiB; 0 without /proc). */
async function peakGrowth(f: () => Promise<void>): Promise<number> {
  if (!hasProc) {
    await f()
    return 0
  }
  Bun.gc(true)
  writeFileSync("/proc/self/clear_refs", "5")
  const before = status("VmRSS")
  await f()
  return status("VmHWM") - before
}

function pool(servers: Record<string, ServerSpec>, log = captureLog(), connectTimeout = 20_000): Pool {
  const p = new Pool({ config: config({ pool: { restartDelay: 50, maxFrameBytes: LIMIT, connectTimeout } }), log: log.log })
  for (const [name, spec] of Object.entries(servers)) p.add({ name, source: "config", spec: { timeout: 30_000, ...spec } as ServerSpec })
  return p
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text
const call = (p: Pool, server: string, name: string, args: Record<string, unknown> = {}) => p.call(server, "tools/call", { name, arguments: args }, {})

/** "server web sent a message of at least 8.1 MiB in answer to tools/call, over the 8.0 MiB limit; the rest was not read". */
function tooLarge(server: string, method: string, rest = "the rest was not read"): RegExp {
  return new RegExp(`^server ${server} sent a message of at least 8\\.\\d+ MiB in answer to ${method.replace("/", "\\/")}, over the 8\\.0 MiB limit; ${rest}$`)
}

/** The call fails with FRAME_TOO_LARGE (its cause named: not a timeout), and the memory it took stays bounded. */
async function refused(p: Pool, server: string, tool: string, rest?: string): Promise<void> {
  const grew = await peakGrowth(async () => {
    const e = await failure(call(p, server, tool))
    expect(e.code).toBe("FRAME_TOO_LARGE")
    expect(e.message).toMatch(tooLarge(server, "tools/call", rest))
    expect(e.remedy).toBe("Ask the tool for less data, or raise pool.maxFrameBytes.")
    expect(e.details).toMatchObject({ server, method: "tools/call", limit: LIMIT })
    // the size seen: over the limit, and shown so
    expect(e.details?.bytes as number).toBeGreaterThan(LIMIT)
    expect(Number(/at least ([\d.]+) MiB/.exec(e.message)![1])).toBeGreaterThan(8)
  })
  expect(grew).toBeLessThan(BOUND_MIB)
}

describe("a remote answer over pool.maxFrameBytes", () => {
  test("legacy Streamable HTTP session: a 100 MiB JSON answer, a gzip one and an endless SSE data line each fail the call; the session stays up; a 4 MiB result passes", async () => {
    const log = captureLog()
    await using p = pool({ web: { url: huge.legacy, protocol: "legacy" } as ServerSpec, other: { url: huge.modern, protocol: "modern" } as ServerSpec }, log)
    expect(text(await call(p, "web", "echo", { text: "a" }))).toBe("echo:a")
    for (const tool of ["json-huge", "gzip-huge", "sse-endless"]) {
      await refused(p, "web", tool)
      // the session is the same one: nothing failed, nothing reconnected; the next call and the other server work
      expect(p.get("web")!.failures).toBe(0)
      expect(text(await call(p, "web", "echo", { text: tool }))).toBe(`echo:${tool}`)
      expect(text(await call(p, "other", "echo", { text: tool }))).toBe(`modern:${tool}`)
    }
    expect(log.records.filter((r) => r.level === "error" && r.msg === "oversize message from downstream dropped").length).toBe(3)
    expect(text(await call(p, "web", "big"))).toHaveLength(BIG_MIB * MiB)
    expect(text(await call(p, "web", "big-sse"))).toHaveLength(BIG_MIB * MiB)
    expect(text(await call(p, "web", "big-gzip"))).toHaveLength(BIG_MIB * MiB)
  })

  test("2026-07-28 server: the same, each call fails within seconds; the next call works; a 4 MiB result passes", async () => {
    const log = captureLog()
    await using p = pool({ v2: { url: huge.modern, protocol: "modern" } as ServerSpec }, log)
    expect(text(await call(p, "v2", "echo", { text: "a" }))).toBe("modern:a")
    for (const tool of ["json-huge", "gzip-huge", "sse-endless"]) {
      await refused(p, "v2", tool)
      expect(p.get("v2")!.failures).toBe(0)
      expect(text(await call(p, "v2", "echo", { text: tool }))).toBe(`modern:${tool}`)
    }
    expect(log.records.filter((r) => r.level === "error" && r.msg === "oversize message from downstream dropped").length).toBe(3)
    expect(text(await call(p, "v2", "big"))).toHaveLength(BIG_MIB * MiB)
  })

  test("legacy HTTP+SSE: an event that never ends fails the call it answers, the stream is closed and the connection made again; a 4 MiB event passes", async () => {
    await using p = pool({ old: { url: huge.sse, transport: "sse" } as ServerSpec, other: { url: huge.modern, protocol: "modern" } as ServerSpec })
    expect(text(await call(p, "old", "echo", { text: "a" }))).toBe("sse:a")
    await refused(p, "old", "sse-endless", "the stream was closed \\(the connection is made again\\)")
    expect(text(await call(p, "other", "echo", { text: "b" }))).toBe("modern:b")
    // its one stream is gone: a new connection (after the backoff), and the next call works on it
    expect(text(await call(p, "old", "echo", { text: "c" }))).toBe("sse:c")
    expect(text(await call(p, "old", "big"))).toHaveLength(BIG_MIB * MiB)
  })

  test("the standalone GET stream of a Streamable HTTP session: an endless event is cut off and logged; calls go on", async () => {
    const log = captureLog()
    let r: unknown
    const grew = await peakGrowth(async () => {
      await using p = pool({ web: { url: huge.plain.replace(/\/mcp$/, "/get-endless"), protocol: "legacy" } as ServerSpec }, log)
      expect(text(await call(p, "web", "echo", { text: "a" }))).toBe("plain:a")
      await waitFor("the oversize event logged", () => log.records.some((x) => x.msg === "oversize event on a downstream SSE stream; the stream was closed"), 15_000, 20)
      r = await call(p, "web", "echo", { text: "b" })
    })
    expect(log.records.find((x) => x.msg === "oversize event on a downstream SSE stream; the stream was closed")).toMatchObject({ level: "warn" })
    expect(text(r)).toBe("plain:b")
    expect(grew).toBeLessThan(BOUND_MIB)
  })
})

describe("a start whose answer is over pool.maxFrameBytes names that cause, not a timeout", () => {
  const cases: [string, () => string, RegExp][] = [
    ["a 100 MiB JSON answer", () => huge.initJson, tooLarge("s", "initialize")],
    ["a gzip answer of 100 MiB decoded", () => huge.initGzip, tooLarge("s", "initialize")],
    ["an endless SSE data line", () => huge.initSse, tooLarge("s", "initialize")],
    ["a declared Content-Length of 100 MiB (not read at all)", () => huge.initDeclared, new RegExp(`^server s sent a ${HUGE_MIB}\\.0 MiB message in answer to initialize, over the 8\\.0 MiB limit; it was not read$`)],
  ]
  for (const [what, url, cause] of cases) {
    test(`${what}: CONNECT_FAILED with the cause (not a timeout) and its remedy`, async () => {
      const written = huge.declaredWritten()
      let e!: Awaited<ReturnType<typeof failure>>
      const grew = await peakGrowth(async () => {
        // protocol auto: the era probe reads the same answer first (bounded too)
        await using p = pool({ s: { url: url() } as ServerSpec }, captureLog(), 30_000)
        e = await failure(call(p, "s", "echo", { text: "a" }))
      })
      expect(e.code).toBe("CONNECT_FAILED")
      expect(e.message).not.toMatch(/connectTimeout|did not answer/)
      const [head, reason] = [e.message.slice(0, "server s failed to start: ".length), e.message.slice("server s failed to start: ".length)]
      expect(head).toBe("server s failed to start: ")
      expect(reason).toMatch(cause)
      expect(e.remedy).toBe("Ask the tool for less data, or raise pool.maxFrameBytes.")
      expect(grew).toBeLessThan(BOUND_MIB)
      // a declared length over the limit is not read: at most what the sockets buffer was written
      if (url() === huge.initDeclared) expect(huge.declaredWritten() - written).toBeLessThan(3 * 8 * MiB)
    })
  }

  test("legacy HTTP+SSE: an endless event before the `endpoint` event fails the start with that cause", async () => {
    await using p = pool({ s: { url: huge.plain.replace(/\/mcp$/, "/get-endless"), transport: "sse" } as ServerSpec })
    const e = await failure(call(p, "s", "echo", { text: "a" }))
    expect(e.code).toBe("CONNECT_FAILED")
    expect(e.message).toMatch(/^server s failed to start: server s sent a message of at least 8\.\d+ MiB on its SSE stream, over the 8\.0 MiB limit; the stream was closed \(the connection is made again\)$/)
  })

  test("2026-07-28 connect: the server/discover answer over the limit is named", async () => {
    await using p = pool({ s: { url: huge.initSse, protocol: "modern" } as ServerSpec })
    const e = await failure(call(p, "s", "echo", { text: "a" }))
    expect(e.code).toBe("CONNECT_FAILED")
    expect(e.message).toMatch(/^server s failed the 2026-07-28 connect: server s sent a message of at least 8\.\d+ MiB in answer to server\/discover, over the 8\.0 MiB limit; the rest was not read$/)
  })
})

describe("limitBodies", () => {
  test("an answer of the MCP endpoint in gzip, deflate, br or zstd is decoded here and counted decoded; other urls are left to the runtime", async () => {
    const json = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { text: "z".repeat(5000) } })
    const coded: Record<string, Uint8Array> = {
      gzip: zlib.gzipSync(json),
      deflate: zlib.deflateSync(json),
      br: zlib.brotliCompressSync(json),
      zstd: Bun.zstdCompressSync(new TextEncoder().encode(json)),
    }
    for (const [coding, bytes] of Object.entries(coded)) {
      let asked: RequestInit | undefined
      const base = async (_u: string | URL, init?: RequestInit): Promise<Response> => {
        asked = init
        return new Response(bytes, { headers: { "content-type": "application/json", "content-encoding": coding, "content-length": String(bytes.byteLength) } })
      }
      const ok = limitBodies(base, 10_000, () => new Error("over"), "http://x/mcp")
      const res = await ok("http://x/mcp?key=1", { method: "POST" })
      expect((asked as { decompress?: unknown }).decompress).toBe(false)
      expect(res.headers.get("content-encoding")).toBeNull()
      expect(await res.json()).toEqual(JSON.parse(json))
      // over the limit once decoded (it is far under it on the wire)
      const small = limitBodies(base, 1000, () => new Error("over"), "http://x/mcp")
      expect(bytes.byteLength).toBeLessThan(1000)
      await expect((await small("http://x/mcp", { method: "POST" })).text()).rejects.toThrow("over")
      // another url (an authorization server): the runtime decodes, as before
      await ok("http://x/token", { method: "POST" })
      expect((asked as { decompress?: unknown } | undefined)?.decompress).toBeUndefined()
    }
  })

  const enc = new TextEncoder()
  async function read(chunks: string[], limit: number, type = "text/event-stream", headers: Record<string, string> = {}): Promise<{ out: string[]; over?: Oversize; pulled: number }> {
    let pulled = 0
    let over: Oversize | undefined
    const base = async (): Promise<Response> =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(c) {
            if (pulled === chunks.length) return c.close()
            c.enqueue(enc.encode(chunks[pulled++]!))
          },
        }),
        { headers: { "content-type": type, ...headers } },
      )
    const f = limitBodies(base, limit, (o) => {
      over = o
      return new Error("over")
    })
    const res = await f("http://x/mcp", { method: "POST", body: '{"jsonrpc":"2.0","id":7,"method":"tools/call"}' })
    const out: string[] = []
    const reader = res.body!.getReader()
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        out.push(new TextDecoder().decode(value))
      }
    } catch (e) {
      out.push(`error: ${(e as Error).message}`)
    }
    return { out, ...(over ? { over } : {}), pulled }
  }

  test("SSE: counted per event (CR, LF, CRLF ends, across chunks); events are handed on whole", async () => {
    expect((await read(["data: a\n\nda", "ta: b\n", "\n"], 12)).out).toEqual(["data: a\n\n", "data: b\n\n"])
    expect((await read(["data: aaaa\r", "\ndata: b\r", "\n\r\n"], 100)).out.join("")).toBe("data: aaaa\r\ndata: b\r\n\r\n")
    expect((await read(["data: a\r\rdata: b\r\r"], 12)).out).toEqual(["data: a\r\rdata: b\r\r"])
    // many small events, each under the limit, far more than it together
    const many = Array.from({ length: 100 }, (_, i) => `data: ${i}\n\n`)
    expect((await read(many, 12)).out.join("")).toBe(many.join(""))
  })

  test("SSE: an event over the limit (one endless line, or many data lines without an end) errors, with its first bytes; the rest is not read", async () => {
    const endless = await read(["data: {\"jsonrpc\":\"2.0\",\"id\":5,", ..."x".repeat(50).split("")].map((c) => c.padEnd(10, "x")), 64)
    expect(endless.out).toEqual(["error: over"])
    expect(endless.over).toMatchObject({ sse: true, declared: false, httpMethod: "POST", limit: 64 })
    expect(endless.over!.bytes).toBeGreaterThan(64)
    expect(endless.over!.head).toStartWith('data: {"jsonrpc":"2.0","id":5,')
    expect(endless.pulled).toBeLessThan(12)
    const lines = await read(["data: a\n\n", ...Array.from({ length: 50 }, () => "data: xxxxxxxx\n")], 64)
    expect(lines.out).toEqual(["data: a\n\n", "error: over"])
    expect(lines.pulled).toBeLessThan(12)
    // ended in the chunk that takes it over: still too large
    expect((await read(["data: a\n\n" + "data: " + "x".repeat(100) + "\n\n"], 64)).out).toEqual(["error: over"])
  })

  test("JSON: the whole body is counted; a declared Content-Length over the limit is not read", async () => {
    expect((await read(["{", "}"], 64, "application/json")).out).toEqual(["{", "}"])
    const big = await read(Array.from({ length: 50 }, () => "x".repeat(10)), 64, "application/json")
    expect(big.out.at(-1)).toBe("error: over")
    expect(big.out.join("")).toHaveLength(60 + "error: over".length)
    expect(big.pulled).toBeLessThan(12)
    const declared = await read(["{}"], 64, "application/json", { "content-length": "1000" })
    expect(declared.out).toEqual(["error: over"])
    expect(declared.over).toMatchObject({ bytes: 1000, declared: true })
    expect(declared.pulled).toBeLessThanOrEqual(1)
    // a content coding: Content-Length is the coded size, the decoded bytes are what counts
    expect((await read(["{}"], 64, "application/json", { "content-length": "1000", "content-encoding": "gzip" })).out).toEqual(["{}"])
  })
})
