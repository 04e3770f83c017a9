/**
 * @module test/faults/secrets-task-stream
 * qa333: a configured key streamed 4 characters per message (a token per message) through the
 * channels qa327's stream check did not cover:
 * - a task-required tool's progress (proxy/task-call `TaskProgress`): its task's status messages
 *   relayed as progress, and the server's own progress under our token;
 * - the orchestrator's own debug record of each downstream log message (`log message`), which
 *   logged each piece as it came, before the stream check.
 * No run of two of the key's pieces reaches the client or the stderr log.
 * Compiled binary, real SDK Client, raw JSON-RPC downstreams.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { answerText, connectBinary, ensureBuilt, listUntil, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const TASKS = join(import.meta.dir, "servers", "task-tokens-server.ts")
const SPLIT = join(import.meta.dir, "servers", "split-echo-server.ts")
// no token shape: only its name says it is a secret
const KEY = `sk${crypto.randomUUID().replace(/-/g, "").slice(0, 18)}Qz`
const PIECES = KEY.match(/.{1,4}/g)!

/** Whether `text` shows the key whole or two of its 4-character pieces in a row. */
const shows = (text: string): boolean => text.includes(KEY) || PIECES.slice(1).some((p, i) => text.includes(PIECES[i]! + p))

let c: Connected
const logs: string[] = []

beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    log: { level: "debug" },
    toolkit: { enabled: "off" },
    warm: ["tk", "sp"],
    servers: { tk: { command: process.execPath, args: [TASKS], env: { TASK_API_KEY: KEY } }, sp: { command: process.execPath, args: [SPLIT], env: { SPLIT_API_KEY: KEY } } },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
  c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(JSON.stringify(n.params)))
  await c.client.setLoggingLevel("info")
}, 120_000)

afterAll(async () => {
  await c?.close()
})

for (const tool of ["status-tokens", "progress-tokens"]) {
  test(`a task's ${tool === "status-tokens" ? "status messages" : "own progress"}, a key 4 characters per message: no run of two pieces reaches the client`, async () => {
    expect(await listUntil(c.client, `tk__${tool}`)).toContain(`tk__${tool}`)
    const progress: string[] = []
    const text = await answerText(c.client.callTool({ name: `tk__${tool}`, arguments: {} }, undefined, { onprogress: (p) => void progress.push(String(p.message)), timeout: 60_000 }))
    expect(text).toContain(`${tool} done`)
    const got = progress.join("")
    // the stream went through, its ends as written and the key's place masked
    expect({ starts: got.includes("streamed bytes "), masked: got.includes("[REDACTED]"), ends: got.includes(" HOME=/home/me") }).toEqual({ starts: true, masked: true, ends: true })
    expect(shows(got)).toBe(false)
  }, 90_000)
}

test("the debug record of each downstream log message (our stderr log) shows no run of two pieces of a key streamed in log messages", async () => {
  expect(await listUntil(c.client, "sp__streamed-tokens")).toContain("sp__streamed-tokens")
  await answerText(c.client.callTool({ name: "sp__streamed-tokens", arguments: {} }))
  for (let i = 0; i < 100 && !logs.some((l) => l.includes("HOME=/home/me") && l.includes('"tokens"')); i++) await Bun.sleep(50)
  const records = c
    .stderr()
    .split("\n")
    .filter((l) => l.includes('"log message"') && l.includes("downstream:sp"))
    .map((l) => JSON.parse(l) as { params?: { data?: unknown; logger?: unknown } })
    .filter((r) => r.params?.logger === "tokens")
  const data = records.map((r) => String(r.params?.data)).join("")
  expect({ starts: data.startsWith("streamed bytes "), masked: data.includes("[REDACTED]"), ends: data.endsWith(" HOME=/home/me") }).toEqual({ starts: true, masked: true, ends: true })
  expect(shows(data)).toBe(false)
}, 90_000)
