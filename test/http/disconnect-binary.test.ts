/**
 * Requests in flight when an HTTP client goes away, against the compiled binary (`serve --http`) and
 * a downstream that holds one call at a time (`maxInFlight: 1`): the client's connection closed
 * (a JSON answer awaited, a resumable stream not resumed, a 2026-07-28 request), its session deleted
 * (`DELETE /mcp` while a call runs) or its HTTP+SSE stream closed. Each time the downstream is sent
 * `notifications/cancelled`, the server's one slot is free again (the next call is served, not
 * queued behind a call nobody waits for), and the log says so once. A DELETE answers the POST still
 * waiting (SESSION_CLOSED) instead of leaving it open.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js"
import { ROOT, sandboxEnv, startHttpBinary, tempDir, type HttpBinary } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"
import { modernPost } from "../modern/http-post.ts"

const TOKEN = "gone-token-" + crypto.randomUUID()
const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const dir = tempDir("mcpo-http-gone-")
const cancelLog = join(dir, "cancel.log")
const callLog = join(dir, "call.log")
const GONE = "http client disconnected with requests in flight: cancelled downstream, not answered"
const CLOSED = "http session closed with requests in flight: cancelled downstream, answered SESSION_CLOSED"

let run: HttpBinary

beforeAll(async () => {
  const cfg = join(dir, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      servers: { fault: { command: process.execPath, args: [FAULT, "--cancel-log", cancelLog, "--call-log", callLog], maxInFlight: 1 } },
      warm: ["fault"],
      toolkit: { enabled: "off" },
      plugins: { enabled: false },
    }),
  )
  run = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
}, 120_000)

afterAll(async () => {
  if (run && run.proc.exitCode === null) {
    run.proc.kill("SIGKILL")
    await run.proc.exited
  }
})

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []
}

/** The serve's JSON log lines with message `msg`. */
function logged(msg: string): Record<string, unknown>[] {
  return run
    .stderr()
    .split("\n")
    .filter((l) => l.includes(`"msg":"${msg}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", ...extra }
}

/** A new 2025-11-25 session (initialized): its id. */
async function session(): Promise<string> {
  const res = await fetch(run.url, {
    method: "POST",
    headers: headers(),
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "gone", version: "1" } } }),
  })
  expect(res.status).toBe(200)
  await res.text()
  const sid = res.headers.get("mcp-session-id")!
  const ok = await fetch(run.url, { method: "POST", headers: headers({ "mcp-session-id": sid }), body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })
  expect(ok.status).toBe(202)
  return sid
}

/** POSTs `fault__hang` in session `sid` and resolves once the fault server holds it. */
async function hang(sid: string, accept: string, signal?: AbortSignal): Promise<{ answer: Promise<Response> }> {
  const before = lines(callLog).length
  const answer = fetch(run.url, {
    method: "POST",
    headers: headers({ "mcp-session-id": sid, accept }),
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "fault__hang", arguments: {} } }),
    ...(signal ? { signal } : {}),
  })
  answer.catch(() => {})
  await waitFor("the fault server to hold the call", () => lines(callLog).length > before, 20_000)
  return { answer }
}

/** The fault server's one slot is free: a call on it is served (it would queue behind a call still held). */
async function slotFree(sid: string): Promise<void> {
  const res = await fetch(run.url, {
    method: "POST",
    headers: headers({ "mcp-session-id": sid }),
    body: JSON.stringify({ jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "fault__echo", arguments: { message: "after" } } }),
  })
  expect(await res.text()).toContain("after")
}

/**
 * After a legacy session's client went away with `fault__hang` in flight: the downstream was sent
 * notifications/cancelled, the disconnect logged once for the session, the call counted
 * `cancelled` in the usage log, and the server's one slot is free again.
 */
async function goneAndFreed(sid: string, cancels: number, hangsLogged: number, cancelWait: number): Promise<void> {
  await waitFor("the downstream to be sent notifications/cancelled", () => lines(cancelLog).length > cancels, cancelWait)
  const said = await waitFor("the disconnect in the log", () => {
    const l = logged(GONE).filter((r) => r.session === sid.slice(0, 8))
    return l.length !== 0 && l
  })
  expect(said).toEqual([expect.objectContaining({ cancelled: 1, methods: ["tools/call"] })])
  // the usage log counts it as cancelled by the client, not as the tool's failure
  const usage = await waitFor("the call's usage line", () => {
    const l = logged("tool call").filter((r) => r.tool === "fault__hang").slice(hangsLogged)
    return l.length !== 0 && l
  })
  expect(usage.map((r) => r.outcome)).toEqual(["cancelled"])
  await slotFree(sid)
  expect(logged(GONE).filter((r) => r.session === sid.slice(0, 8))).toHaveLength(1)
}

describe("requests in flight when the HTTP client goes away", () => {
  test("a client waiting for a JSON answer disconnects: cancelled downstream, slot freed, logged once", async () => {
    const hangsLogged = logged("tool call").filter((r) => r.tool === "fault__hang").length
    const sid = await session()
    const cancels = lines(cancelLog).length
    const ac = new AbortController()
    const { answer } = await hang(sid, "application/json", ac.signal)
    ac.abort()
    expect(await answer.then(() => "answered", () => "aborted")).toBe("aborted")
    await goneAndFreed(sid, cancels, hangsLogged, 20_000)
  }, 60_000)

  test("a client whose call's stream dropped and was not resumed: cancelled after the grace, slot freed, logged once", async () => {
    const hangsLogged = logged("tool call").filter((r) => r.tool === "fault__hang").length
    const sid = await session()
    const cancels = lines(cancelLog).length
    const ac = new AbortController()
    const { answer } = await hang(sid, "application/json, text/event-stream", ac.signal)
    // the stream is open (priming event): then the client goes
    const res = await answer
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    const reader = res.body!.getReader()
    await reader.read()
    ac.abort()
    await goneAndFreed(sid, cancels, hangsLogged, 30_000)
  }, 60_000)

  test("a 2026-07-28 request whose client disconnects: cancelled downstream, slot freed, logged", async () => {
    const before = lines(callLog).length
    const cancels = lines(cancelLog).length
    const gone = logged(GONE).filter((r) => r.session === undefined).length
    const ac = new AbortController()
    const call = modernPost({ url: run.url, token: TOKEN, method: "tools/call", params: { name: "fault__hang", arguments: {} }, signal: ac.signal })
    call.catch(() => {})
    await waitFor("the fault server to hold the call", () => lines(callLog).length > before, 20_000)
    ac.abort()
    await waitFor("the downstream to be sent notifications/cancelled", () => lines(cancelLog).length > cancels, 20_000)
    await waitFor("the disconnect in the log", () => logged(GONE).filter((r) => r.session === undefined).length > gone)
    const echo = await modernPost({ url: run.url, token: TOKEN, method: "tools/call", params: { name: "fault__echo", arguments: { message: "modern after" } } })
    expect(await echo.text()).toContain("modern after")
  }, 60_000)

  for (const accept of ["application/json", "application/json, text/event-stream"]) {
    test(`DELETE of a session with a call in flight (Accept: ${accept}): its POST is answered SESSION_CLOSED, the call cancelled downstream, slot freed`, async () => {
      const sid = await session()
      const cancels = lines(cancelLog).length
      const { answer } = await hang(sid, accept)
      const del = await fetch(run.url, { method: "DELETE", headers: headers({ "mcp-session-id": sid }) })
      expect(del.status).toBe(200)
      // before: the JSON POST stayed open with no answer until its client gave up
      const text = await (await answer).text()
      expect(text).toContain('"id":7')
      expect(text).toContain('"isError":true')
      expect(text).toContain("[SESSION_CLOSED]")
      await waitFor("the downstream to be sent notifications/cancelled", () => lines(cancelLog).length > cancels, 20_000)
      const said = await waitFor("the closed session in the log", () => {
        const l = logged(CLOSED).filter((r) => r.session === sid.slice(0, 8))
        return l.length !== 0 && l
      })
      expect(said).toEqual([expect.objectContaining({ requests: 1 })])
      await slotFree(await session())
    }, 60_000)
  }

  test("an HTTP+SSE client closes its stream with a call in flight: cancelled downstream, slot freed", async () => {
    const transport = new SSEClientTransport(new URL(`${new URL(run.url).origin}/sse`), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } })
    const client = new Client({ name: "sse-gone", version: "1.0.0" }, { capabilities: {} })
    await client.connect(transport)
    const before = lines(callLog).length
    const cancels = lines(cancelLog).length
    const call = client.callTool({ name: "fault__hang", arguments: {} }).catch(() => "closed")
    await waitFor("the fault server to hold the call", () => lines(callLog).length > before, 20_000)
    await client.close()
    expect(await call).toBe("closed")
    await waitFor("the downstream to be sent notifications/cancelled", () => lines(cancelLog).length > cancels, 20_000)
    await slotFree(await session())
  }, 60_000)
})
