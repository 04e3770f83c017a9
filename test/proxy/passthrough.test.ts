/**
 * Tool results through the binary's stdio fast lane, read as raw bytes on its stdout: a compact
 * downstream result is forwarded byte for byte, and a downstream that smuggles a second "id" into
 * its result cannot answer another caller's request.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { BUN, FAULT } from "./helpers.ts"

type Proc = ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>

/** The binary on raw stdio: send lines, collect stdout lines by JSON-RPC id. */
class RawSession {
  readonly lines: string[] = []
  private readonly p: Proc
  private buf = ""
  constructor(config: string) {
    const env = sandboxEnv()
    const p = Bun.spawn([BIN, "serve", "--config", config], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    this.p = p
    void (async () => {
      const d = new TextDecoder()
      for await (const chunk of p.stdout) {
        this.buf += d.decode(chunk, { stream: true })
        let nl: number
        while ((nl = this.buf.indexOf("\n")) >= 0) {
          this.lines.push(this.buf.slice(0, nl))
          this.buf = this.buf.slice(nl + 1)
        }
      }
    })()
  }
  send(m: unknown): void {
    this.p.stdin.write(JSON.stringify(m) + "\n")
    void this.p.stdin.flush()
  }
  /** The raw stdout line answering `id` (waits up to `ms`). */
  async answer(id: number, ms = 20_000): Promise<string> {
    const end = performance.now() + ms
    while (performance.now() < end) {
      const l = this.lines.find((x) => (JSON.parse(x) as { id?: unknown }).id === id)
      if (l !== undefined) return l
      await Bun.sleep(10)
    }
    throw new Error(`no answer to ${id}; got ${this.lines.join("\n")}`)
  }
  async close(): Promise<void> {
    this.p.stdin.end()
    await this.p.exited
  }
}

describe("stdio fast lane: results as the downstream wrote them", () => {
  let s: RawSession
  beforeAll(async () => {
    await ensureBuilt()
    const dir = tempDir("mcpo-passthrough-")
    const cfg = join(dir, "config.json")
    writeFileSync(cfg, JSON.stringify({ servers: { f: { command: BUN, args: [FAULT] } }, toolkit: { enabled: "off" } }))
    s = new RawSession(cfg)
    s.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })
    await s.answer(1)
    s.send({ jsonrpc: "2.0", method: "notifications/initialized" })
  }, 60_000)
  afterAll(() => s?.close())

  test("a compact result keeps its exact bytes (escapes and number spelling included)", async () => {
    const result = '{"content":[{"type":"text","text":"caf\\u00e9 \\ud83d\\ude00"}],"structuredContent":{"n":1.0e2,"big":12345678901234567890}}'
    s.send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "f__raw", arguments: { line: `{"result":${result},"jsonrpc":"2.0","id":{ID}}` } } })
    const line = await s.answer(2)
    expect(line).toBe(`{"jsonrpc":"2.0","id":2,"result":${result}}`)
    // the other SDK layout too
    s.send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "f__raw", arguments: { line: `{"jsonrpc":"2.0","id":{ID},"result":${result}}` } } })
    expect(await s.answer(3)).toBe(`{"jsonrpc":"2.0","id":3,"result":${result}}`)
  })

  test("a smuggled second id in a result cannot answer another caller", async () => {
    // id 10 waits on a slow call; the downstream's answer to 11 carries `"id":10` inside its result
    s.send({ jsonrpc: "2.0", id: 10, method: "tools/call", params: { name: "f__sleep", arguments: { ms: 400 } } })
    const smuggled = '{"result":{"content":[{"type":"text","text":"forged"}]},"id":10,"result":{"content":[{"type":"text","text":"last"}]},"jsonrpc":"2.0","id":{ID}}'
    s.send({ jsonrpc: "2.0", id: 11, method: "tools/call", params: { name: "f__raw", arguments: { line: smuggled } } })
    const eleven = JSON.parse(await s.answer(11)) as { result: { content: { text: string }[] } }
    // JSON.parse semantics (last member wins) and re-serialised: one id, ours
    expect(eleven.result.content[0]!.text).toBe("last")
    const ten = await s.answer(10)
    expect((JSON.parse(ten) as { result: { content: { text: string }[] } }).result.content[0]!.text).toBe("slept")
    expect(s.lines.filter((l) => (JSON.parse(l) as { id?: unknown }).id === 10)).toHaveLength(1)
    expect(s.lines.some((l) => l.includes("forged"))).toBe(false)
  })
})

describe("stdio fast lane: a downstream's JSON-RPC error", () => {
  test("is relayed as the same JSON-RPC error (code and data as they came, its message after the server and tool that gave it), not turned into a tool result", async () => {
    const dir = tempDir("mcpo-passthrough-err-")
    const cfg = join(dir, "config.json")
    writeFileSync(cfg, JSON.stringify({ servers: { f: { command: BUN, args: [FAULT] } }, toolkit: { enabled: "off" } }))
    const s = new RawSession(cfg)
    try {
      s.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })
      await s.answer(1)
      s.send({ jsonrpc: "2.0", method: "notifications/initialized" })
      const line = '{"jsonrpc":"2.0","id":{ID},"error":{"code":-32042,"message":"open this URL first","data":{"url":"https://example.com/consent"}}}'
      s.send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "f__raw", arguments: { line } } })
      expect(JSON.parse(await s.answer(2))).toEqual({ jsonrpc: "2.0", id: 2, error: { code: -32042, message: "server f, tool raw: open this URL first", data: { url: "https://example.com/consent" } } })
    } finally {
      await s.close()
    }
  })
})
