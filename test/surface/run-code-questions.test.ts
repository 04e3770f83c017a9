/**
 * A tool called from a run_code script whose server asks a question mid-call: a legacy server's
 * `elicitation/create` or `sampling/createMessage`, or a 2026-07-28 server's `input_required` (or
 * its -32021 naming the capability it lacks). Nobody can answer there: the sandbox answers no
 * questions, and the client's own request is run_code. The question is refused toward the server
 * and the script's call fails saying so and what to do — never a fake result, never a question
 * shown to the client (a legacy client's elicitation handler, possibly another connection's), and
 * never the misleading "outside of any call a client made" / "the client did not declare" (it did).
 * Through the compiled binary, server-everything and an SDK v2 2026-07-28 server behind it.
 */
import { afterEach, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { ElicitRequestSchema, CreateMessageRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")

function config() {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    toolkit: { enabled: "off" },
    plugins: { enabled: false },
    proxy: { expose: "code" },
    codeMode: { timeout: "20s" },
    servers: { ev: { command: process.execPath, args: [EVERYTHING, "stdio"] }, mo: { command: process.execPath, args: [MODERN] } },
  })
  return { env, cfg }
}

const SCRIPTS = {
  elicit: 'return await tools["ev__trigger-elicitation-request"]({})',
  sample: 'return await tools["ev__trigger-sampling-request"]({ prompt: "hi" })',
  mrtr: 'return await tools["mo__ask"]({ question: "which?" })',
}

/** The run's answer is a clear failure of the call, saying a script cannot answer and what to do. */
function expectRefused(text: string, isError: unknown, asked: string): void {
  expect(isError).toBe(true)
  expect(text).toContain("failed and the script did not catch it")
  expect(text).toContain(asked)
  expect(text).toContain("run_code script")
  expect(text).toContain("cannot answer")
  expect(text).toContain("call the tool outside run_code")
  expect(text).not.toContain("outside of any call a client made")
  expect(text).not.toContain("did not declare")
  expect(text).not.toContain("input_required")
}

let conn: Connected | undefined
let proc: ReturnType<typeof Bun.spawn> | undefined
afterEach(async () => {
  await conn?.close()
  conn = undefined
  proc?.kill("SIGTERM")
  await proc?.exited
  proc = undefined
})

describe("a question asked during a run_code script's call", () => {
  test("a legacy client that could answer is never asked: the script's call fails saying why", async () => {
    const { env, cfg } = config()
    conn = await connectBinary(["serve", "--config", cfg], env, { elicitation: {}, sampling: {} })
    let asked = 0
    conn.client.setRequestHandler(ElicitRequestSchema, async () => {
      asked++
      return { action: "accept", content: { name: "fake" } }
    })
    conn.client.setRequestHandler(CreateMessageRequestSchema, async () => {
      asked++
      return { role: "assistant", content: { type: "text", text: "fake-sample" }, model: "m" }
    })
    for (const [code, what] of [[SCRIPTS.elicit, "elicitation/create"], [SCRIPTS.sample, "sampling/createMessage"], [SCRIPTS.mrtr, "elicitation"]] as const) {
      const r = (await conn.client.callTool({ name: "run_code", arguments: { code } })) as CallToolResult
      const text = (r.content[0] as { text: string }).text
      expectRefused(text, r.isError, what)
      expect(text).not.toContain("fake")
    }
    expect(asked).toBe(0)
    // caught, the failure is the script's to handle; the server and the run go on
    const caught = (await conn.client.callTool({ name: "run_code", arguments: { code: `try { await tools["ev__trigger-elicitation-request"]({}); return "no" } catch (e) { return String(e.message).includes("cannot answer") }` } })) as CallToolResult
    expect((caught.structuredContent as { result: unknown }).result).toBe(true)
  }, 90_000)

  test("a 2026-07-28 client that declared elicitation and sampling: no input_required handed to the script", async () => {
    const { env, cfg } = config()
    const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    proc = p
    const msgs: { id?: unknown; result?: { content?: { text?: string }[]; isError?: boolean; resultType?: string } }[] = []
    void (async () => {
      let buf = ""
      const d = new TextDecoder()
      for await (const c of p.stdout) {
        buf += d.decode(c)
        let i
        while ((i = buf.indexOf("\n")) >= 0) {
          msgs.push(JSON.parse(buf.slice(0, i)))
          buf = buf.slice(i + 1)
        }
      }
    })()
    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, sampling: {} } }
    for (const [i, [code, what]] of ([[SCRIPTS.elicit, "elicitation/create"], [SCRIPTS.sample, "sampling/createMessage"], [SCRIPTS.mrtr, "elicitation"]] as const).entries()) {
      p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "run_code", arguments: { code }, _meta: meta } }) + "\n")
      void p.stdin.flush()
      const r = await waitFor(`run_code answer ${i}`, () => msgs.find((m) => m.id === i), 60_000)
      expect(r.result?.resultType).toBe("complete")
      expectRefused(r.result?.content?.[0]?.text ?? "", r.result?.isError, what)
    }
  }, 90_000)
})
