/**
 * Hostile JSON-RPC error answers from downstreams (QA round 3, qa28). A stdio server's error whose
 * code is no integer (1.5, 1e300) went out to the client as it was: the client's SDK dropped the
 * answer (its schema takes integer codes only) and the call waited for the client's own timeout. A
 * code that is no number became -32603 naming nothing. An error's `data` of 4 MB (or an object of
 * 200 000 keys), from a stdio or a remote server, reached the client whole. Now the code goes out as
 * -32603 with the message naming the code it had, and `data` over 8,000 characters of JSON is left
 * out, the message saying how large it was; the other server keeps answering. An `initialize` or
 * `tools/list` refused with a 2 MB message (or a 1 MB protocolVersion) made every refusal of the
 * server's tools 2 MB and `orchestrator_status` too large to send; a 100 000-character server name
 * went into a log line whole; a progress notification's 1 MB message and fields of its own, and a
 * log message's 1 MB logger name or level, reached the client whole. Each is bounded now.
 * Through the compiled binary: a raw stdio server (servers/error-answers-server.ts) and a raw
 * Streamable HTTP one (servers/error-answers-http.ts); the SDK v1 Client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "error-answers-server.ts")
const HTTP = join(import.meta.dir, "servers", "error-answers-http.ts")
const SECRET = "s3cr3t-value-XYZZY-123456"
const dir = tempDir("mcpo-error-answers-")
const env = sandboxEnv()
const cfg = join(dir, "config.json")
let remote: ReturnType<typeof Bun.spawn> | undefined
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  const portFile = join(dir, "port")
  remote = Bun.spawn([process.execPath, HTTP, portFile], { stdio: ["ignore", "ignore", "inherit"] })
  for (let i = 0; i < 400 && !(existsSync(portFile) && readFileSync(portFile, "utf8")); i++) await Bun.sleep(25)
  const servers = {
    r3: { command: process.execPath, args: [SERVER], env: { R3_SECRET: SECRET } },
    other: { command: process.execPath, args: [SERVER, "--name", "other"] },
    h: { url: `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`, protocol: "legacy" },
    initerr: { command: process.execPath, args: [SERVER, "--mode", "init-error"] },
    listerr: { command: process.execPath, args: [SERVER, "--mode", "list-error"] },
    bigversion: { command: process.execPath, args: [SERVER, "--mode", "big-version"] },
    biginfo: { command: process.execPath, args: [SERVER, "--mode", "big-info", "--name", "biginfo"] },
  }
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, warm: Object.keys(servers), servers }))
  c = await connectBinary(["--config", cfg], env)
}, 120_000)
afterAll(async () => {
  await c?.close()
  remote?.kill()
  rmSync(dir, { recursive: true, force: true })
})

interface Failure {
  message: string
  code: unknown
  data: unknown
}

/** The call's JSON-RPC error (a client-side timeout of 10 s stands for "the answer never arrived"). */
async function failure(tool: string): Promise<Failure> {
  try {
    const r = await c.client.callTool({ name: tool, arguments: {} }, undefined, { timeout: 10_000 })
    return { message: `(no error) ${JSON.stringify(r).slice(0, 300)}`, code: undefined, data: undefined }
  } catch (e) {
    const x = e as { message: string; code?: unknown; data?: unknown }
    return { message: x.message, code: x.code, data: x.data }
  }
}

async function otherStillAnswers(): Promise<void> {
  const r = (await c.client.callTool({ name: "other__ok", arguments: {} })) as { content: { text: string }[] }
  expect(r.content[0]!.text).toBe("ok from other")
}

describe("an error code that is no integer", () => {
  for (const [tool, shown] of [
    ["float_code", "1.5"],
    ["big_code", "1e+300"],
    ["string_code", '"oops"'],
  ] as const) {
    test(`${tool}: answered as -32603 naming the server, the tool and the code it had`, async () => {
      const f = await failure(`r3__${tool}`)
      expect(f.code).toBe(-32603)
      expect(f.message).toContain(`server r3, tool ${tool}:`)
      expect(f.message).toContain(`(the error code it came with, ${shown}, is no JSON-RPC error code: an integer; sent as -32603)`)
      await otherStillAnswers()
    }, 30_000)
  }
})

test("an error message that is an object: named as what it is", async () => {
  const f = await failure("r3__object_message")
  expect(f.code).toBe(-32000)
  expect(f.message).toBe('MCP error -32000: server r3, tool object_message: (its error message is {"text":"an object message"}, not a string)')
}, 30_000)

describe("error data over 8,000 characters of JSON", () => {
  for (const [tool, size] of [
    ["r3__huge_data", "4,194,306"],
    ["r3__wide_data", "3,177,781"],
    ["h__huge_data", "4,194,306"],
  ] as const) {
    test(`${tool}: left out, the message says how large it was`, async () => {
      const f = await failure(tool)
      expect(f.code).toBe(-32000)
      expect(f.data).toBeUndefined()
      expect(f.message).toContain(`(its error data, ${size} characters of JSON, was left out: at most 8,000 are relayed)`)
      expect(f.message.length).toBeLessThan(500)
      await otherStillAnswers()
    }, 30_000)
  }
})

describe("a failed start or list whose words are megabytes", () => {
  const text = (r: unknown) => (r as { content: { text: string }[] }).content.map((b) => b.text).join("\n")

  for (const [server, says] of [
    ["initerr", "server initerr failed to start: init refused MMMM"],
    ["listerr", "tools/list failed: list refused MMMM"],
    ["bigversion", 'server bigversion failed to start: downstream answered initialize with unsupported protocol version "VVVV'],
  ] as const) {
    test(`${server}: its tools' refusal and orchestrator_status stay small; the other server answers`, async () => {
      // the refusal names the server's last error once its start (list) has failed
      let refusal = ""
      for (let n = 0; n < 200 && !refusal.includes(says); n++) {
        refusal = text(await c.client.callTool({ name: `${server}__ok`, arguments: {} }))
        if (!refusal.includes(says)) await Bun.sleep(50)
      }
      expect(refusal).toContain(says)
      expect(refusal.length).toBeLessThan(9000)
      const status = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
      expect(status.isError).toBeFalsy()
      expect(text(status)).toContain(`${server} [config, stdio`)
      await otherStillAnswers()
    }, 30_000)
  }

  test("a server name and version of 100 000 characters: its log line stays small", async () => {
    const r = await c.client.callTool({ name: "biginfo__ok", arguments: {} })
    expect(text(r)).toBe("ok from biginfo")
    const ready = c
      .stderr()
      .split("\n")
      .find((l) => l.includes('"downstream ready"') && l.includes("NNNN"))
    expect(ready).toBeDefined()
    expect(ready!.length).toBeLessThan(1000)
  }, 30_000)
})

test("a progress notification with a 1 MB message and fields of its own: relayed bounded, only its fields; one whose progress is no number is dropped", async () => {
  const seen: Record<string, unknown>[] = []
  const r = await c.client.callTool({ name: "r3__huge_progress", arguments: {} }, undefined, { onprogress: (p) => void seen.push(p as Record<string, unknown>) })
  expect((r as { content: { text: string }[] }).content[0]!.text).toBe("progressed")
  expect(seen.length).toBe(1)
  expect(Object.keys(seen[0]!).sort()).toEqual(["message", "progress", "total"])
  expect(seen[0]!.progress).toBe(1)
  expect(seen[0]!.total).toBe(2)
  expect(seen[0]!.message).toBe(`${"P".repeat(1000)}… (cut: 1,048,576 characters)`)
}, 30_000)

test("a log message whose logger name is 1 MB goes on with it cut; one whose level is no MCP level is not forwarded; a common other spelling (WARN) is read as its level", async () => {
  const seen: { level: string; logger?: string; data: unknown }[] = []
  c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.push(n.params as never))
  await c.client.callTool({ name: "r3__huge_logger", arguments: {} })
  // both notifications were written before the answer (the one with no level first: once the other is here, it would be too)
  for (let n = 0; n < 200 && !seen.some((p) => p.data === "logged"); n++) await Bun.sleep(25)
  await c.client.ping()
  const ours = seen.filter((p) => p.data === "logged" || p.data === "no level" || p.data === "warned")
  expect(ours.map((p) => p.data)).toEqual(["warned", "logged"])
  expect(ours[0]!.level).toBe("warning")
  expect(ours[1]!.level).toBe("error")
  ours.shift()
  expect(ours[0]!.logger!.length).toBeLessThan(300)
  expect(ours[0]!.logger).toContain("LLLL")
}, 30_000)

// guards: these held before this change too
describe("guards", () => {
  test("secrets in an error's message and data are redacted; small data stays", async () => {
    const f = await failure("r3__secret_data")
    expect(JSON.stringify(f)).not.toContain(SECRET)
    expect(JSON.stringify(f)).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz")
    expect(f.data).toEqual({ env: "GITHUB_TOKEN=[REDACTED]", key: "[REDACTED]" })
  }, 30_000)

  test("data nested 200 000 levels: its depth is cut, the orchestrator stays up", async () => {
    const f = await failure("r3__deep_data")
    expect(f.message).toContain("server r3, tool deep_data: deep data")
    expect(JSON.stringify(f.data).length).toBeLessThan(8000)
    await otherStillAnswers()
  }, 30_000)
})
