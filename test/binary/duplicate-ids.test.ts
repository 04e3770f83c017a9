/**
 * One rule for request ids over stdio, whatever the method: a request whose id is that of a request
 * of this client still in progress is refused -32600 naming the id and its method, and the first is
 * unaffected (answered once, with its own answer). Through the compiled binary, raw lines: the first
 * request is a prompts/list held in flight by a downstream whose lists wait for a gate file
 * (list-gate-server), so "still in progress" is a fact, not a race; then the same id comes with
 * every kind of method (the protocol layer's, the fast lane's, a 2026-07-28 one).
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const GATED = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
type Msg = { jsonrpc: "2.0"; id?: string | number | null; result?: Record<string, unknown>; error?: { code: number; message: string } }

/** The same id as the held request, with each kind of method. */
const DUPLICATES: [string, Record<string, unknown> | undefined][] = [
  ["prompts/list", undefined],
  ["prompts/get", { name: "held_prompt" }],
  ["resources/read", { uri: "held://doc" }],
  ["resources/list", undefined],
  ["resources/templates/list", undefined],
  ["completion/complete", { ref: { type: "ref/prompt", name: "held_prompt" }, argument: { name: "a", value: "" } }],
  ["tools/list", undefined],
  ["tools/call", { name: "orchestrator_status", arguments: {} }],
  ["logging/setLevel", { level: "info" }],
  ["ping", undefined],
  ["tools/list", { _meta: ENVELOPE }],
]

test("a request reusing the id of an in-flight prompts/list is refused -32600 naming the id, whatever its method; the first is answered once", async () => {
  const env = sandboxEnv()
  const home = env.HOME!
  const gate = join(home, "gate")
  const listLog = join(home, "lists.log")
  const cfg = join(home, "c.yaml")
  writeFileSync(
    cfg,
    [
      'toolkit: { enabled: "off" }',
      "plugins: { enabled: false }",
      // the held list is answered by the gate, never by this wait running out
      "proxy: { listWait: 120s }",
      "servers:",
      `  gated: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(GATED)}, "--with-lists", "--gate", ${JSON.stringify(gate)}, "--list-log", ${JSON.stringify(listLog)}] }`,
      "",
    ].join("\n"),
  )
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: home })
  const seen: Msg[] = []
  const reading = (async () => {
    let buf = ""
    for await (const chunk of p.stdout) {
      buf += new TextDecoder().decode(chunk)
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        seen.push(JSON.parse(buf.slice(0, i)) as Msg)
        buf = buf.slice(i + 1)
      }
    }
  })()
  const send = (m: Record<string, unknown>): void => {
    p.stdin.write(JSON.stringify({ jsonrpc: "2.0", ...m }) + "\n")
    p.stdin.flush()
  }
  const until = async (what: string, ok: () => boolean): Promise<void> => {
    for (let i = 0; i < 2400 && !ok(); i++) await Bun.sleep(25)
    if (!ok()) throw new Error(`never happened: ${what}; seen ${JSON.stringify(seen).slice(0, 2000)}`)
  }
  const byId = (id: unknown): Msg[] => seen.filter((m) => m.id === id)
  try {
    send(INIT)
    send({ method: "notifications/initialized" })
    send({ id: 5, method: "prompts/list" })
    // the downstream was asked for its prompts and holds the answer: our prompts/list is in flight
    await until("the downstream asked for its prompts", () => existsSync(listLog) && readFileSync(listLog, "utf8").includes("prompts/list"))
    for (const [method, params] of DUPLICATES) send({ id: 5, method, ...(params ? { params } : {}) })
    send({ id: "after", method: "ping" })
    await until("the ping after the duplicates answered", () => byId("after").length === 1)
    const refused = byId(5)
    expect(refused.map((m) => m.error?.code)).toEqual(DUPLICATES.map(() => -32600))
    refused.forEach((m, i) => expect(m.error!.message).toBe(`Invalid Request: id 5 is already in use by a prompts/list request still in progress (request ids must be unique among a client's outstanding requests); this ${DUPLICATES[i]![0]} was not served`))
    // the first, untouched by them: answered once its downstream lists, with its own answer
    writeFileSync(gate, "")
    await until("the held prompts/list answered", () => byId(5).length === DUPLICATES.length + 1)
    const first = byId(5).at(-1)!
    expect(first.error).toBeUndefined()
    expect(JSON.stringify(first.result?.prompts)).toContain("held_prompt")
    // answered, its id is free again
    send({ id: 5, method: "ping" })
    await until("id 5 reused once free", () => byId(5).length === DUPLICATES.length + 2)
    expect(byId(5).at(-1)).toEqual({ jsonrpc: "2.0", id: 5, result: {} })
    expect(byId(5)).toHaveLength(DUPLICATES.length + 2)
  } finally {
    p.kill("SIGTERM")
    await p.exited
    await reading.catch(() => {})
  }
}, 90_000)
