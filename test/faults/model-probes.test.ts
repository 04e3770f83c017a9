/**
 * What a model gets when it calls what it should not be able to break (QA 18), over the binary's
 * stdio face with a raw client (an SDK client cannot even serialise the deepest arguments):
 * - arguments nested 100 000 levels deep: the engine's "Maximum call stack size exceeded." was the
 *   whole answer; now a tool error saying the data is nested too deeply, and the next call is served;
 * - a tool its server lists with an invalid definition (left out of tools/list): a call answered
 *   "Unknown tool: … (find names with search_tools)" and describe_tools "Not reachable here", as if
 *   no such tool existed; now both say the server lists it and why its definition was left out.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const BAD_TOOLS = join(ROOT, "test", "faults", "servers", "bad-tools-server.ts")

beforeAll(ensureBuilt, 120_000)

type Answer = { id: number; result?: { isError?: boolean; content?: { type: string; text?: string }[] }; error?: { code: number; message: string } }

/** The binary over stdio, spoken to in raw lines. */
class Raw {
  private readonly proc: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>
  private readonly answers = new Map<number, (a: Answer) => void>()
  private nextId = 1
  constructor(args: string[], env: Record<string, string>) {
    const proc = Bun.spawn([BIN, ...args], { env, cwd: env.HOME, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
    this.proc = proc
    void (async () => {
      const dec = new TextDecoder()
      let buf = ""
      for await (const chunk of proc.stdout) {
        buf += dec.decode(chunk, { stream: true })
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
          const m = JSON.parse(buf.slice(0, i)) as Answer
          buf = buf.slice(i + 1)
          if (typeof m.id === "number") this.answers.get(m.id)?.(m)
        }
      }
    })()
  }
  /** Sends `method` with `paramsJson` (written as given: it may be deeper than JSON.stringify goes). */
  request(method: string, paramsJson: string): Promise<Answer> {
    const id = this.nextId++
    const answered = new Promise<Answer>((r) => this.answers.set(id, r))
    this.proc.stdin.write(`{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${paramsJson}}\n`)
    this.proc.stdin.flush()
    return answered
  }
  call(name: string, argsJson: string): Promise<Answer> {
    return this.request("tools/call", `{"name":${JSON.stringify(name)},"arguments":${argsJson}}`)
  }
  async close(): Promise<void> {
    this.proc.stdin.end()
    await this.proc.exited
  }
}

const text = (a: Answer): string => a.error?.message ?? (a.result?.content ?? []).map((c) => c.text ?? "").join("\n")

describe("as the model, against hostile inputs and definitions", () => {
  let raw: Raw
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "c.json")
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { ev: { command: process.execPath, args: [EVERYTHING, "stdio"] }, bad: { command: process.execPath, args: [BAD_TOOLS] } } }))
    raw = new Raw(["serve", "--config", cfg], env)
    await raw.request("initialize", JSON.stringify({ protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } }))
    // both servers listed (the first list waits for them)
    const list = await raw.request("tools/list", "{}")
    expect(JSON.stringify(list)).toContain('"ev__echo"')
    expect(JSON.stringify(list)).toContain('"bad__good"')
  }, 60_000)
  afterAll(() => raw?.close())

  test("arguments nested 100 000 levels deep: a tool error that says so; the next call is served", async () => {
    const depth = 100_000
    const r = await raw.call("ev__echo", `{"message":"x","deep":${"[".repeat(depth)}${"]".repeat(depth)}}`)
    expect(r.result?.isError).toBe(true)
    expect(text(r)).toContain("is nested too deeply to handle (stack overflow). Send flatter data")
    const ok = await raw.call("ev__echo", `{"message":"still here"}`)
    expect(text(ok)).toBe("Echo: still here")
  })

  test("a tool listed with an invalid definition: the call and describe_tools say it was left out, and why", async () => {
    const r = await raw.call("bad__string_schema", "{}")
    expect(r.error?.code).toBe(-32602)
    expect(text(r)).toStartWith("bad__string_schema cannot be called: server bad lists it, but its definition was left out of the tool list (")
    expect(text(r)).not.toContain("Unknown tool")
    const d = await raw.call("describe_tools", `{"names":["bad__string_schema","bad__good"]}`)
    expect(text(d)).toContain('"name": "bad__good"')
    expect(text(d)).toContain("bad__string_schema: server bad lists it, but its definition was left out of the tool list (")
    expect(text(d)).not.toContain("Not reachable here")
    // a name the server does not list at all is still unknown
    const none = await raw.call("bad__nope", "{}")
    expect(text(none)).toStartWith("Unknown tool: bad__nope")
  })
})
