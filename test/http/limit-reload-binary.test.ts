/**
 * `proxy.maxMessageBytes` follows a live config reload, on both faces of one binary (stdio and
 * HTTP), like the other limits: before, it was read once at start, so a reload changed nothing
 * (and, not being a live key, was reported as needing a restart). A 200 KiB result passes under
 * 1 MiB; once the file says 64 KiB it becomes a tool error naming the limit, and passes again once
 * it says 1 MiB.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { BUN, FAULT } from "../proxy/helpers.ts"

const TOKEN = "reload-limit-" + crypto.randomUUID()
const dir = tempDir("mcpo-limit-reload-")
const cfg = join(dir, "config.json")
let c: Connected
let url = ""

const config = (maxMessageBytes: number): string =>
  JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, proxy: { maxMessageBytes }, servers: { f: { command: BUN, args: [FAULT] } } })

beforeAll(async () => {
  writeFileSync(cfg, config(1024 * 1024))
  c = await connectBinary(["serve", "--config", cfg, "--http", "127.0.0.1:0"], sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
  for (let i = 0; i < 500 && !url; i++) {
    url = /"msg":"serving Streamable HTTP","url":"([^"]+)"/.exec(c.stderr())?.[1] ?? ""
    if (!url) await Bun.sleep(20)
  }
  expect(url).not.toBe("")
}, 120_000)

afterAll(async () => {
  await c?.close()
})

const text = (r: CallToolResult): string => (r.content ?? []).map((x) => (x.type === "text" ? x.text : "")).join("")

async function viaStdio(bytes: number): Promise<CallToolResult> {
  return (await c.client.callTool({ name: "f__big", arguments: { bytes } })) as CallToolResult
}

async function viaHttp(bytes: number): Promise<CallToolResult> {
  // a 2026-07-28 request: stateless, no session to open
  const body = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "f__big", arguments: { bytes }, _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } }
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "f__big" },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { result: CallToolResult }).result
}

/** Rewrites the config and waits for the reload's log line (the n-th). */
async function reload(maxMessageBytes: number, n: number): Promise<void> {
  writeFileSync(cfg, config(maxMessageBytes))
  const count = (): number => c.stderr().split("\n").filter((l) => l.includes('"msg":"config reloaded"')).length
  for (let i = 0; i < 1000 && count() < n; i++) await Bun.sleep(20)
  expect(count()).toBe(n)
}

describe("proxy.maxMessageBytes follows a config reload", () => {
  test("stdio and HTTP: lowered, a 200 KiB result becomes a tool error naming the limit; raised again, it passes", async () => {
    const size = 200 * 1024
    expect(text(await viaStdio(size)).length).toBe(size)
    expect(text(await viaHttp(size)).length).toBe(size)
    await reload(64 * 1024, 1)
    expect(c.stderr()).not.toContain("needs a restart")
    for (const r of [await viaStdio(size), await viaHttp(size)]) {
      expect(r.isError).toBe(true)
      expect(text(r)).toContain("proxy.maxMessageBytes")
    }
    await reload(1024 * 1024, 2)
    expect(text(await viaStdio(size)).length).toBe(size)
    expect(text(await viaHttp(size)).length).toBe(size)
  }, 60_000)
})
