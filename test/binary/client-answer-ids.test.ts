/**
 * A client's answers to our requests (a relayed `sampling/createMessage` of server-everything) are
 * matched by their exact id, through the binary on both faces. An error a client writes with id
 * null (JSON-RPC's answer to a message it could not read), or with an id of another type (`""`,
 * `false`, `[]`, `true`), used to be read as our request 0 or 1 (`Number(id)`): the tool call failed
 * with that unrelated error, and the client's real answer was then dropped as unknown.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv, startHttpBinary } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

type Msg = { jsonrpc?: string; id?: unknown; method?: string; params?: Record<string, unknown>; result?: { content?: { type: string; text?: string }[]; isError?: boolean }; error?: unknown }

const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: { sampling: {} }, clientInfo: { name: "raw", version: "1" } } }
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" }
const CALL = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "ev__trigger-sampling-request", arguments: { prompt: "hi" } } }
/** Answers that name no request of ours; Number() read each as 0 or 1. */
const STRAYS = [null, "", false, [], true].map((id) => ({ jsonrpc: "2.0", id, error: { code: -32700, message: `Parse error (stray ${JSON.stringify(id)})` } }))
const answer = (id: unknown) => ({ jsonrpc: "2.0", id, result: { role: "assistant", content: { type: "text", text: "sampled by the client" }, model: "m", stopReason: "endTurn" } })

function config(): { env: Record<string, string>; cfg: string } {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "c.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nplugins:\n  enabled: false\nservers:\n  ev:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\n`)
  return { env, cfg }
}

/** Reads JSON lines (stdio) or SSE `data:` lines (HTTP) from `stream` into `into`. */
async function readMessages(stream: ReadableStream<Uint8Array>, into: Msg[], sse: boolean): Promise<void> {
  const dec = new TextDecoder()
  let buf = ""
  for await (const chunk of stream) {
    buf += dec.decode(chunk, { stream: true })
    let nl: number
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim()
      buf = buf.slice(nl + 1)
      if (sse ? line.startsWith("data:") && line.length > 5 : line) into.push(JSON.parse(sse ? line.slice(5) : line) as Msg)
    }
  }
}

async function until<T>(f: () => T | undefined, what: string, seen: Msg[]): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const v = f()
    if (v !== undefined) return v
    await Bun.sleep(20)
  }
  throw new Error(`no ${what}; seen: ${JSON.stringify(seen).slice(0, 2000)}`)
}

const textOf = (m: Msg): string => (m.result?.content ?? []).map((c) => c.text ?? "").join("\n")

describe("a client's answer is matched to our request by its exact id", () => {
  test("stdio: stray errors (id null, \"\", false, [], true) fail no request; the real answer completes the call", async () => {
    const { env, cfg } = config()
    const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    const seen: Msg[] = []
    const reading = readMessages(p.stdout, seen, false)
    const write = async (...ms: object[]): Promise<void> => {
      p.stdin.write(ms.map((m) => JSON.stringify(m) + "\n").join(""))
      await p.stdin.flush()
    }
    try {
      await write(INIT, INITIALIZED, CALL)
      const asked = await until(() => seen.find((m) => m.method === "sampling/createMessage"), "sampling/createMessage", seen)
      expect([0, 1]).toContain(asked.id as number) // an id Number() reaches from the strays
      await write(...STRAYS)
      await write({ jsonrpc: "2.0", id: 3, method: "ping" })
      await until(() => seen.find((m) => m.id === 3), "ping answer", seen)
      expect(seen.find((m) => m.id === 2)).toBeUndefined() // still waiting for its answer
      await write(answer(asked.id))
      const done = await until(() => seen.find((m) => m.id === 2 && m.method === undefined), "tool result", seen)
      expect(done.result?.isError).toBeFalsy()
      expect(textOf(done)).toContain("sampled by the client")
    } finally {
      await p.stdin.end()
      const killer = setTimeout(() => p.kill("SIGKILL"), 10_000)
      await p.exited
      clearTimeout(killer)
      await reading.catch(() => {})
    }
  }, 60_000)

  test("HTTP session: the same strays POSTed fail no request; the real answer completes the call on its stream", async () => {
    const { env, cfg } = config()
    const token = "t".repeat(32)
    const h = await startHttpBinary(cfg, { ...env, MCPO_HTTP_TOKEN: token })
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }
    const post = (body: unknown) => fetch(h.url, { method: "POST", headers, body: JSON.stringify(body) })
    try {
      const init = await post(INIT)
      expect(init.status).toBe(200)
      headers["mcp-session-id"] = init.headers.get("mcp-session-id")!
      await init.text()
      expect((await post(INITIALIZED)).status).toBe(202)
      const call = await post(CALL)
      expect(call.headers.get("content-type")).toContain("text/event-stream")
      const seen: Msg[] = []
      const reading = readMessages(call.body!, seen, true)
      const asked = await until(() => seen.find((m) => m.method === "sampling/createMessage"), "sampling/createMessage", seen)
      expect([0, 1]).toContain(asked.id as number)
      for (const s of STRAYS) expect((await post(s)).status).toBe(202)
      const ping = await post({ jsonrpc: "2.0", id: 3, method: "ping" })
      expect(await ping.json()).toEqual({ jsonrpc: "2.0", id: 3, result: {} })
      expect(seen.find((m) => m.id === 2)).toBeUndefined()
      expect((await post(answer(asked.id))).status).toBe(202)
      const done = await until(() => seen.find((m) => m.id === 2 && m.method === undefined), "tool result", seen)
      expect(done.result?.isError).toBeFalsy()
      expect(textOf(done)).toContain("sampled by the client")
      await reading
    } finally {
      h.proc.kill("SIGTERM")
      const killer = setTimeout(() => h.proc.kill("SIGKILL"), 10_000)
      await h.proc.exited
      clearTimeout(killer)
    }
  }, 60_000)
})
