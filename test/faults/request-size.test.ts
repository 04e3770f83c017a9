/**
 * A tool call whose arguments are larger than a stdio server can read (QA 18). server-everything
 * (the MCP SDK's stdio server) reads at most 10 MiB per message: a 20 MiB argument killed it and
 * the model read "cannot write to downstream: EPIPE: broken pipe, write" (10.5 MiB: "server ev
 * exited with code 0"), with no word of the size. Now a request over pool.maxRequestBytes is
 * refused before it is written (the server lives on), and a server that ends while a large request
 * is unanswered is said to have likely refused its size, naming the size and the limit; the
 * supervisor restarts it and the next calls are served.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("\n")
const MiB = 1024 * 1024

async function start(pool: Record<string, unknown>): Promise<Connected> {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "c.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, pool: { restartDelay: "50ms", restartDelayMax: "100ms", ...pool }, servers: { ev: { command: process.execPath, args: [EVERYTHING, "stdio"] } } }))
  const c = await connectBinary(["serve", "--config", cfg], env)
  expect(await listUntil(c.client, "ev__echo")).toContain("ev__echo")
  return c
}

/** ev__echo("hi") once the server is back (the supervisor restarts it). */
async function echoesAgain(c: Connected): Promise<CallToolResult> {
  let r: CallToolResult | undefined
  for (let i = 0; i < 200; i++) {
    r = (await c.client.callTool({ name: "ev__echo", arguments: { message: "hi" } })) as CallToolResult
    if (!r.isError) break
    await Bun.sleep(50)
  }
  return r!
}

describe("a request over pool.maxRequestBytes (default 8 MiB) is not sent", () => {
  let c: Connected
  beforeAll(async () => void (c = await start({})), 60_000)
  afterAll(() => c?.close())

  test("the call fails naming the server, the size and the limit; the server lives on", async () => {
    const r = (await c.client.callTool({ name: "ev__echo", arguments: { message: "x".repeat(20 * MiB) } }, undefined, { timeout: 60_000 })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[REQUEST_TOO_LARGE]")
    expect(text(r)).toContain("the tools/call echo request is 20.0 MiB of JSON, over pool.maxRequestBytes (8.0 MiB): it was not sent to server ev")
    expect(text(r)).not.toContain("EPIPE")
    const ok = (await c.client.callTool({ name: "ev__echo", arguments: { message: "hi" } })) as CallToolResult
    expect(text(ok)).toBe("Echo: hi")
    // not restarted: it never saw the request
    expect(c.stderr()).not.toContain("downstream ended unexpectedly")
  })
})

describe("a server that ends on a large request it was sent (pool.maxRequestBytes raised above its limit)", () => {
  let c: Connected
  beforeAll(async () => void (c = await start({ maxRequestBytes: 64 * MiB })), 60_000)
  afterAll(() => c?.close())

  test("20 MiB (its stdin closes mid-write): the size and the likely cause, not a bare EPIPE; then it is served again", async () => {
    const r = (await c.client.callTool({ name: "ev__echo", arguments: { message: "x".repeat(20 * MiB) } }, undefined, { timeout: 60_000 })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("server ev")
    expect(text(r)).toContain("was sent a 20.0 MiB tools/call echo request and ended before answering it: likely over the server's own message size limit")
    expect(text(r)).toContain("pool.maxRequestBytes (64.0 MiB)")
    expect(text(await echoesAgain(c))).toBe("Echo: hi")
  })

  test("10.5 MiB (it reads the line, then exits): the same words", async () => {
    const r = (await c.client.callTool({ name: "ev__echo", arguments: { message: "x".repeat(10.5 * MiB) } }, undefined, { timeout: 60_000 })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("server ev")
    expect(text(r)).toContain("was sent a 10.5 MiB tools/call echo request and ended before answering it")
    expect(text(await echoesAgain(c))).toBe("Echo: hi")
  })
})
