/**
 * Large answers an HTTP client does not read count against `pool.maxResultBytesInFlight` until it
 * has them, as on stdio. Before, the HTTP face gave a large result's bytes back to the budget as soon
 * as it had built the answer, so every large answer written to a client that stopped reading stayed
 * in memory: 80 POSTs of server-memory's 6 MiB `read_graph`, never read, took the binary from 67 to
 * 285 MiB (and 12 unread 16 MiB answers to 268 MiB). Now a client that does not read holds at most
 * the budget: another large result fails at once (RESULTS_OVER_BUDGET) while it holds it, and the
 * bytes are given back when its connection goes. Both kinds of answer: a JSON body and an SSE stream.
 * Driven through the binary with raw sockets that never read (Bun takes one chunk of a response body
 * and asks for the next only once it is on the wire).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import net from "node:net"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { sandboxEnv, startHttpBinary, tempDir, type HttpBinary } from "../helpers/binary.ts"
import { BUN, FAULT } from "../proxy/helpers.ts"

const MiB = 1024 * 1024
const TOKEN = "unread-token-" + crypto.randomUUID()
let run: HttpBinary
let port = 0
let session = ""
const dir = tempDir("mcpo-http-unread-")

beforeAll(async () => {
  const cfg = join(dir, "c.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      toolkit: { enabled: "off" },
      plugins: { enabled: false },
      pool: { maxResultBytesInFlight: 4 * MiB },
      // every call logged (the test waits for the log line of the call whose answer is not read)
      log: { callLinesPerSecond: 100_000 },
      proxy: { maxMessageBytes: 32 * MiB },
      servers: { f: { command: BUN, args: [FAULT] } },
    }),
  )
  run = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
  port = Number(new URL(run.url).port)
  const init = await fetch(run.url, { method: "POST", headers: headers("application/json"), body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "unread", version: "1" } } }) })
  await init.text()
  session = init.headers.get("mcp-session-id")!
  await (await fetch(run.url, { method: "POST", headers: headers("application/json"), body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })).text()
}, 120_000)

afterAll(async () => {
  if (run && run.proc.exitCode === null) {
    run.proc.kill("SIGKILL")
    await run.proc.exited
  }
})

function headers(accept: string): Record<string, string> {
  return { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept, ...(session ? { "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" } : {}) }
}

const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

/** A POST of tools/call f__big (`bytes`) on a raw socket that never reads its answer. */
function unreadCall(id: number, bytes: number, accept: string): net.Socket {
  const body = JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "f__big", arguments: { bytes } } })
  const s = net.connect(port, "127.0.0.1")
  s.on("error", () => {})
  s.pause()
  const h = Object.entries(headers(accept)).map(([k, v]) => `${k}: ${v}\r\n`).join("")
  s.write(`POST /mcp HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${h}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  return s
}

/** Completed calls of f__big the binary logged so far. */
const bigCallsLogged = (): number => run.stderr().split("\n").filter((l) => l.includes('"msg":"tool call"') && l.includes('"tool":"f__big"')).length

/** Waits (up to 15 s) until the binary logged `n` completed calls of f__big. */
async function untilBigCallsLogged(n: number): Promise<void> {
  for (let i = 0; i < 300 && bigCallsLogged() < n; i++) await Bun.sleep(50)
  expect(bigCallsLogged()).toBeGreaterThanOrEqual(n)
}

async function call(id: number, bytes: number): Promise<CallToolResult> {
  const res = await fetch(run.url, { method: "POST", headers: headers("application/json"), body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "f__big", arguments: { bytes } } }) })
  return ((await res.json()) as { result: CallToolResult }).result
}

/** Calls until a 1 MiB result comes through (the unread answer's bytes given back), at most 100 tries. */
async function passesAgain(id: number): Promise<CallToolResult> {
  let r = await call(id, MiB)
  for (let i = 1; i < 100 && r.isError; i++) {
    await Bun.sleep(50)
    r = await call(id + i, MiB)
  }
  return r
}

let calls = 0
describe("HTTP face: a large answer the client does not read stays counted against pool.maxResultBytesInFlight (4 MiB here)", () => {
  for (const [kind, accept] of [
    ["a JSON body", "application/json"],
    ["an SSE stream", "text/event-stream"],
  ] as const) {
    test(`${kind}: while a 12 MiB answer is unread another large result fails at once; once its client is gone, it passes`, async () => {
      const base = 1000 * ++calls
      const before = bigCallsLogged()
      const unread = unreadCall(base, 12 * MiB, accept)
      // its answer was written (the call is logged as it is answered)
      await untilBigCallsLogged(before + 1)
      try {
        const other = await call(base + 1, MiB)
        expect(other.isError).toBe(true)
        expect(text(other)).toContain("pool.maxResultBytesInFlight 4.0 MiB")
        // small results go on
        expect(text(await call(base + 2, 1000)).length).toBe(1000)
      } finally {
        unread.destroy()
      }
      const again = await passesAgain(base + 10)
      expect(again.isError).toBeFalsy()
      expect(text(again).length).toBe(MiB)
    }, 60_000)
  }
})
