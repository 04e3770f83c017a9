/**
 * @module test/faults/secrets-every-channel
 * A hostile downstream (servers/echo-everywhere-server.ts) echoes its configured API key through
 * every channel it has, as is, `\u`-escaped, URL-encoded and as HTML entities: definitions of
 * tools, prompts, resources and templates (descriptions, titles, annotations, output schema,
 * `_meta`), its instructions, tool results (text, embedded resource, structuredContent),
 * prompts/get, resources/read (text and blob), completion/complete, JSON-RPC errors (message, data,
 * a key), isError results, log and progress notifications, and the elicitation and sampling
 * requests it sends during a call. Everything the client sees — directly, through call_tool,
 * run_code, search_tools and describe_tools — and the log hold none of those spellings; nor does
 * what a 2026-07-28 client gets. Compiled binary, real SDK Clients (v1 with elicitation and
 * sampling, v2 pinned to 2026-07-28), raw JSON-RPC downstream.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client as V2Client } from "@modelcontextprotocol/client"
import { StdioClientTransport as V2Stdio } from "@modelcontextprotocol/client/stdio"
import { CreateMessageRequestSchema, ElicitRequestSchema, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { answerText, BIN, connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "echo-everywhere-server.ts")
// no token shape: only its name (ECHO_API_KEY) says it is a secret
const KEY = `ek${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}Zq`

/** The spellings of KEY `text` shows: as is, URL-encoded, and inside any base64 run (a Basic header). */
function leaked(text: string): string[] {
  const found = [KEY, encodeURIComponent(KEY)].filter((s) => text.includes(s))
  for (const run of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? [])
    for (let k = 0; k < 4; k++) if (Buffer.from(run.slice(k), "base64").toString("latin1").includes(KEY)) found.push(`base64 ${run}`)
  return found
}

let c: Connected
let cfg = ""
const seen: string[] = []
const requests: string[] = []

beforeAll(async () => {
  await ensureBuilt()
  const dir = tempDir("mcpo-every-channel-")
  cfg = join(dir, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      log: { level: "debug" },
      toolkit: { enabled: "off" },
      warm: ["echo"],
      servers: { echo: { command: process.execPath, args: [FIXTURE], env: { ECHO_API_KEY: KEY } } },
    }),
  )
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv(), { elicitation: {}, sampling: {} })
  c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.push(JSON.stringify(n.params)))
  c.client.setRequestHandler(ElicitRequestSchema, (r) => {
    requests.push(JSON.stringify(r.params))
    return { action: "decline" }
  })
  c.client.setRequestHandler(CreateMessageRequestSchema, (r) => {
    requests.push(JSON.stringify(r.params))
    return { role: "assistant", content: { type: "text", text: "no" }, model: "m" }
  })
  await c.client.setLoggingLevel("debug")
}, 120_000)

afterAll(async () => {
  await c?.close()
})

/** A call's answer as the client sees it: a result, or a JSON-RPC error's message and data. */
test("lists, instructions, results, prompts, resources, completions, errors, notifications and server requests show no spelling of the key", async () => {
  for (let i = 0; i < 200; i++) {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    if (names.includes("echo__echo")) break
    await Bun.sleep(50)
  }
  const got: Record<string, string> = {}
  got.instructions = c.client.getInstructions() ?? ""
  got.tools = JSON.stringify(await c.client.listTools())
  expect(got.tools).toContain("echo__echo")
  got.prompts = await answerText(c.client.listPrompts())
  got.resources = await answerText(c.client.listResources())
  got.templates = await answerText(c.client.listResourceTemplates())
  const prompt = JSON.parse(got.prompts).prompts.find((p: { name: string }) => p.name.endsWith("p"))?.name ?? "echo__p"
  got.prompt = await answerText(c.client.getPrompt({ name: prompt, arguments: { a: "x" } }))
  const uri = JSON.parse(got.resources).resources?.[0]?.uri ?? "echo://r"
  got.read = await answerText(c.client.readResource({ uri }))
  got.complete = await answerText(c.client.complete({ ref: { type: "ref/prompt", name: prompt }, argument: { name: "a", value: "" } }))
  const progress: string[] = []
  got.call = await answerText(c.client.callTool({ name: "echo__echo", arguments: {} }, undefined, { onprogress: (p) => void progress.push(JSON.stringify(p)) }))
  got.progress = progress.join("\n")
  got.fail = await answerText(c.client.callTool({ name: "echo__fail", arguments: {} }))
  got.errorResult = await answerText(c.client.callTool({ name: "echo__error-result", arguments: {} }))
  got.ask = await answerText(c.client.callTool({ name: "echo__ask", arguments: {} }))
  got.requests = requests.join("\n")
  for (const name of ["echo__echo", "echo__fail", "echo__error-result"]) {
    got[`call_tool ${name}`] = await answerText(c.client.callTool({ name: "call_tool", arguments: { name, arguments: {} } }))
    got[`run_code ${name}`] = await answerText(c.client.callTool({ name: "run_code", arguments: { code: `const r = await tools[${JSON.stringify(name)}]({}).catch((e) => String(e)); console.log(JSON.stringify(r)); return r` } }))
  }
  got.search = await answerText(c.client.callTool({ name: "search_tools", arguments: { query: "echo" } }))
  got.describe = await answerText(c.client.callTool({ name: "describe_tools", arguments: { names: ["echo__echo", "echo__fail"] } }))
  for (let i = 0; i < 100 && !seen.some((n) => n.includes("env ECHO_API_KEY")); i++) await Bun.sleep(50)
  got.notifications = seen.join("\n")
  got.log = c.stderr()
  // each channel carried the echo (masked), so a channel that went silent does not pass for clean
  for (const k of ["tools", "prompts", "resources", "templates", "prompt", "read", "call", "progress", "fail", "errorResult", "requests", "describe", "notifications"]) expect({ k, echoed: got[k]!.includes("env ECHO_API_KEY=") }).toEqual({ k, echoed: true })
  // a Basic credential of the key is masked in the downstream's own data; one of no configured value stays
  expect(got.call).toContain("Authorization: Basic [REDACTED]")
  expect(got.call).toContain(`own Basic ${btoa("reader:public-data-123")}`)
  expect(got.requests).toContain("systemPrompt")
  expect(got.requests).toContain("requestedSchema")
  const leaks = Object.entries(got).flatMap(([k, v]) => leaked(v).map((s) => `${k}: ${s}`))
  expect(leaks).toEqual([])
}, 90_000)

test("a 2026-07-28 client: lists, results, prompts, reads, completions and errors show no spelling of the key", async () => {
  const client = new V2Client({ name: "v2-every-channel", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
  await client.connect(new V2Stdio({ command: BIN, args: ["serve", "--config", cfg], env: sandboxEnv(), stderr: "ignore" }))
  try {
    const got: Record<string, string> = {}
    for (let i = 0; i < 200; i++) {
      got.tools = JSON.stringify(await client.listTools())
      if (got.tools.includes("echo__echo")) break
      await Bun.sleep(50)
    }
    got.prompts = await answerText(client.listPrompts())
    got.resources = await answerText(client.listResources())
    got.templates = await answerText(client.listResourceTemplates())
    got.prompt = await answerText(client.getPrompt({ name: "echo__p", arguments: { a: "x" } }))
    got.read = await answerText(client.readResource({ uri: JSON.parse(got.resources).resources?.[0]?.uri ?? "echo://r" }))
    got.complete = await answerText(client.complete({ ref: { type: "ref/prompt", name: "echo__p" }, argument: { name: "a", value: "" } }))
    got.call = await answerText(client.callTool({ name: "echo__echo", arguments: {} }))
    got.fail = await answerText(client.callTool({ name: "echo__fail", arguments: {} }))
    got.errorResult = await answerText(client.callTool({ name: "echo__error-result", arguments: {} }))
    got.callTool = await answerText(client.callTool({ name: "call_tool", arguments: { name: "echo__echo", arguments: {} } }))
    for (const k of ["tools", "prompts", "resources", "templates", "prompt", "read", "call", "fail", "errorResult", "callTool"]) expect({ k, echoed: got[k]!.includes("env ECHO_API_KEY=") }).toEqual({ k, echoed: true })
    expect(got.call).toContain("Authorization: Basic [REDACTED]")
    const leaks = Object.entries(got).flatMap(([k, v]) => leaked(v).map((s) => `${k}: ${s}`))
    expect(leaks).toEqual([])
  } finally {
    await client.close()
  }
}, 90_000)
