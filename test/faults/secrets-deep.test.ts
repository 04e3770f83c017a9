/**
 * @module test/faults/secrets-deep
 * A configured secret nested deeper than a redaction walk went (servers/deep-secret-server.ts: 40
 * and 80 levels, inside the pool's 10 000-level bound) is masked on every channel: before, the walks
 * of results (64 levels), of definitions, notifications, relayed requests and own results (32) gave
 * back what lay below their bound as it came, and the key reached the client whole. Compiled binary,
 * real SDK Client with elicitation, raw JSON-RPC downstream.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { ElicitRequestSchema, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { answerText, BIN, connectBinary, ensureBuilt, listUntil, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "deep-secret-server.ts")
// no token shape: only its name (DEEP_API_KEY) says it is a secret
const KEY = `dk${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}Zq`
// a PIN and an account number echoed as JSON numbers (the account past 2^53: parsed, it is rounded)
const PIN = String(10_000_000 + Math.floor(Math.random() * 89_999_999))
const ACCOUNT = `98${String(Math.floor(Math.random() * 1e14)).padStart(14, "1")}`

let c: Connected
let cfg = ""
let env: Record<string, string> = {}
const seen: string[] = []
const requests: string[] = []

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  cfg = writeConfig(env, { log: { level: "debug" }, toolkit: { enabled: "off" }, servers: { deep: { command: process.execPath, args: [FIXTURE], env: { DEEP_API_KEY: KEY, DEEP_PIN: PIN, DEEP_ACCOUNT_SECRET: ACCOUNT } } } })
  c = await connectBinary(["serve", "--config", cfg], env, { elicitation: {} })
  c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.push(JSON.stringify(n.params)))
  c.client.setRequestHandler(ElicitRequestSchema, (r) => {
    requests.push(JSON.stringify(r))
    return { action: "decline" }
  })
  await c.client.setLoggingLevel("debug")
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("a configured secret 40 or 80 levels deep is masked in lists, results, prompts, reads, errors, notifications, relayed requests and own tools", async () => {
  await listUntil(c.client, "deep__echo")
  const got: Record<string, string> = {}
  got.tools = JSON.stringify(await c.client.listTools())
  const progress: string[] = []
  got.call = await answerText(c.client.callTool({ name: "deep__echo", arguments: {} }, undefined, { onprogress: (p) => void progress.push(JSON.stringify(p)) }))
  got.fail = await answerText(c.client.callTool({ name: "deep__fail", arguments: {} }))
  got.ask = await answerText(c.client.callTool({ name: "deep__ask", arguments: {} }))
  got.prompt = await answerText(c.client.getPrompt({ name: "deep__p" }))
  got.read = await answerText(c.client.readResource({ uri: "deep://r" }))
  got.callTool = await answerText(c.client.callTool({ name: "call_tool", arguments: { name: "deep__echo", arguments: {} } }))
  got.runCode = await answerText(c.client.callTool({ name: "run_code", arguments: { code: `return await tools["deep__echo"]({})` } }))
  got.describe = await answerText(c.client.callTool({ name: "describe_tools", arguments: { names: ["deep__echo"] } }))
  for (let i = 0; i < 100 && seen.length === 0; i++) await Bun.sleep(50)
  got.notifications = seen.join("\n")
  got.requests = requests.join("\n")
  got.progress = progress.join("\n")
  // each channel carried the deep value (masked), so a channel that dropped it does not pass for clean
  for (const k of ["tools", "call", "prompt", "read", "callTool", "runCode", "requests"]) expect({ k, carried: got[k]!.includes("DEEP_API_KEY=") }).toEqual({ k, carried: true })
  const leaks = Object.entries(got).filter(([, v]) => v.includes(KEY)).map(([k]) => k)
  expect(leaks).toEqual([])
  expect(c.stderr()).not.toContain(KEY)
}, 90_000)

test("a configured PIN and account number echoed as JSON numbers are masked in a result, call_tool, run_code and a log notification", async () => {
  await listUntil(c.client, "deep__numbers")
  const got: Record<string, string> = {}
  got.call = await answerText(c.client.callTool({ name: "deep__numbers", arguments: {} }))
  got.errorResult = await answerText(c.client.callTool({ name: "deep__numbers", arguments: { fail: true } }))
  expect(got.errorResult).toContain('"isError":true')
  got.callTool = await answerText(c.client.callTool({ name: "call_tool", arguments: { name: "deep__numbers", arguments: {} } }))
  got.runCode = await answerText(c.client.callTool({ name: "run_code", arguments: { code: `const r = await tools["deep__numbers"]({}); console.log(JSON.stringify(r)); return r` } }))
  for (let i = 0; i < 100 && !seen.some((n) => n.includes("pin=")); i++) await Bun.sleep(50)
  got.notifications = seen.filter((n) => n.includes("pin=")).join("\n")
  expect(got.notifications).toContain("pin=")
  expect(JSON.parse(got.call).structuredContent.pin).toBe("[REDACTED]")
  expect(JSON.parse(got.call).structuredContent.list).toEqual([1, "[REDACTED]"])
  const leaks = Object.entries(got).filter(([, v]) => v.includes(PIN) || v.includes(ACCOUNT)).map(([k]) => k)
  expect(leaks).toEqual([])
  expect(c.stderr()).not.toContain(PIN)
}, 90_000)

test("a configured 16-digit number (past 2^53) reaches a client reading the raw answer masked, neither as the server wrote it nor rounded", async () => {
  // a JavaScript client parses the number rounded and cannot tell: this one reads the line as sent
  const proc = Bun.spawn([BIN, "serve", "--config", cfg], { env, cwd: env.HOME, stdin: "pipe", stdout: "pipe", stderr: "ignore" })
  const lines: string[] = []
  const reader = (async () => {
    let buf = ""
    for await (const chunk of proc.stdout) {
      buf += new TextDecoder().decode(chunk)
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) (lines.push(buf.slice(0, i)), (buf = buf.slice(i + 1)))
    }
  })()
  const send = (m: unknown) => (proc.stdin.write(JSON.stringify(m) + "\n"), proc.stdin.flush())
  try {
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })
    send({ jsonrpc: "2.0", method: "notifications/initialized" })
    let answer: string | undefined
    for (let i = 0; i < 300 && answer === undefined; i++) {
      send({ jsonrpc: "2.0", id: 100 + i, method: "tools/call", params: { name: "deep__numbers", arguments: { accountOnly: true } } })
      for (let k = 0; k < 20 && !lines.some((l) => l.includes(`"id":${100 + i},`)); k++) await Bun.sleep(25)
      answer = lines.find((l) => l.includes(`"id":${100 + i},`) && l.includes("structuredContent"))
    }
    expect(answer).toBeDefined()
    // masked, not rounded: the rounded number tells the account to within its last digit (qa262)
    expect(answer).toContain('"account":"[REDACTED]"')
    expect(answer).not.toContain(ACCOUNT)
    expect(answer).not.toContain(String(Number(ACCOUNT)))
  } finally {
    proc.kill()
    await proc.exited
    await reader.catch(() => {})
  }
}, 90_000)

test("a configured 16-digit number (past 2^53) outside a result — a log notification, a JSON-RPC error's data, our log — is masked, not rounded", async () => {
  await listUntil(c.client, "deep__numbers")
  const failed = await c.client.callTool({ name: "deep__numbers", arguments: { accountElsewhere: true } }).then(
    () => undefined,
    (e: unknown) => e as { data?: { account?: unknown } },
  )
  expect(failed?.data?.account).toBe("[REDACTED]")
  for (let i = 0; i < 100 && !seen.some((n) => n.includes("acct=")); i++) await Bun.sleep(50)
  const note = seen.find((n) => n.includes("acct="))
  expect(note).toBeDefined()
  expect(JSON.parse(note!).data.account).toBe("[REDACTED]")
  // parsed anywhere, the value is a double near it: neither it nor the server's digits go out
  for (const text of [note!, JSON.stringify(failed), c.stderr()]) for (const s of [ACCOUNT, String(Number(ACCOUNT))]) expect(text).not.toContain(s)
}, 90_000)
