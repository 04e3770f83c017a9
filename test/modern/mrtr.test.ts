/**
 * MRTR through the compiled binary (stdio face; the HTTP face: mrtr-http.test.ts): a modern-only
 * (2026-07-28) SDK v2 downstream whose tools, a prompt and a resource template answer
 * `input_required` (elicitation, roots) and complete on retry (tools/call, prompts/get, resources/read), with
 * - the SDK v1 Client (legacy, Cursor's way): it gets real `elicitation/create` / `roots/list`
 *   requests and the tool result reflects its answers; a client without elicitation gets a clean error;
 * - the SDK v2 Client pinned to 2026-07-28: it gets `input_required` back and retries (auto-fulfilled
 *   by its own elicitation handler) through our sealed `requestState`;
 * - raw modern JSON-RPC: a tampered, redirected or foreign `requestState` is a -32602 error;
 * - a legacy downstream pushing `elicitation/create` toward a modern client: declined with a log
 *   line, and not told of elicitation at initialize; per-request log levels of a modern client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client as V2Client } from "@modelcontextprotocol/client"
import { StdioClientTransport as V2Stdio } from "@modelcontextprotocol/client/stdio"
import { ElicitRequestSchema, ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { BUN, ROOT, until } from "../proxy/helpers.ts"

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const LEGACY_PUSH = join(ROOT, "test", "fixtures", "servers", "legacy-elicit-server.ts")
const V = "2026-07-28"
/** The state the fixture's `ask` tool mints for question "q1" (quote and non-ASCII: byte-exact or not at all). */
const STATE_Q1 = 'st:q1:\u00e9"'
/** The states the fixture's `ask_prompt` prompt and `mem://ask/{topic}` resources mint. */
const STATE_PROMPT = 'pst:\u00e9"'
const STATE_RESOURCE = "rst:1"

function promptText(r: unknown): string {
  return ((r as { messages?: { content?: { text?: string } }[] }).messages?.[0]?.content?.text ?? "") as string
}

function resourceText(r: unknown): string {
  return ((r as { contents?: { text?: string }[] }).contents?.[0]?.text ?? "") as string
}

function text(r: unknown): string {
  return ((r as { content?: { type: string; text?: string }[] }).content?.[0]?.text ?? "") as string
}

const SECRET = "mrtr-canary-5f1e9b2c7a4d8e60"

function config(dir: string): string {
  const cfg = join(dir, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      // MODERN_API_KEY: a configured secret (its value must never reach a client)
      servers: { modern: { command: BUN, args: [MODERN, "stdio"], env: { MODERN_API_KEY: SECRET } }, push: { command: BUN, args: [LEGACY_PUSH] } },
      toolkit: { enabled: "off" },
    }),
  )
  return cfg
}

/** A line-level JSON-RPC client on a fresh binary (modern requests by hand). */
class Raw {
  private readonly p: ReturnType<typeof Bun.spawn>
  private readonly waiting = new Map<unknown, (m: Record<string, unknown>) => void>()
  readonly notes: Record<string, unknown>[] = []
  private next = 1

  constructor(cfg: string, env: Record<string, string>) {
    this.p = Bun.spawn([BIN, "serve", "--config", cfg], { env, stdin: "pipe", stdout: "pipe", stderr: "ignore" })
    void this.read()
  }

  private async read(): Promise<void> {
    const reader = (this.p.stdout as ReadableStream<Uint8Array>).getReader()
    const dec = new TextDecoder()
    let buf = ""
    for (;;) {
      const r = await reader.read()
      if (r.done) return
      buf += dec.decode(r.value, { stream: true })
      let nl: number
      while ((nl = buf.indexOf("\n")) >= 0) {
        const m = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>
        buf = buf.slice(nl + 1)
        if (m.id !== undefined && m.method === undefined) this.waiting.get(m.id)?.(m)
        else this.notes.push(m)
      }
    }
  }

  request(method: string, params: Record<string, unknown>, meta: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.next++
    const envelope = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": { elicitation: {} }, ...meta }
    const stdin = this.p.stdin as import("bun").FileSink
    stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params: { ...params, _meta: envelope } }) + "\n")
    void stdin.flush()
    return new Promise((done) => this.waiting.set(id, done))
  }

  async close(): Promise<void> {
    ;(this.p.stdin as import("bun").FileSink).end()
    this.p.kill()
    await this.p.exited
  }
}

describe("MRTR: a modern downstream's input_required, to legacy and modern clients", () => {
  const dir = tempDir("mcpo-mrtr-")
  const env = sandboxEnv()
  let cfg: string
  let legacy: Connected
  const asked: { message?: string; meta?: unknown }[] = []

  beforeAll(async () => {
    await ensureBuilt()
    cfg = config(dir)
    legacy = await connectBinary(["serve", "--config", cfg], env, { elicitation: { form: {} }, roots: {} })
    legacy.client.setRequestHandler(ElicitRequestSchema, (req) => {
      asked.push({ message: req.params.message, meta: req.params._meta })
      return { action: "accept", content: { answer: `A${asked.length}` } }
    })
    legacy.client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: "file:///work/here" }] }))
  }, 120_000)
  afterAll(async () => {
    await legacy?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test("legacy client: the elicitation reaches it as elicitation/create; its answer and the byte-exact state go back", async () => {
    const r = await legacy.client.callTool({ name: "modern__ask", arguments: { question: "q1" } })
    expect(r.isError).toBeFalsy()
    expect(text(r)).toBe(`answer=A1 state=${STATE_Q1}`)
    // relayed like any server request: the asking server is named
    expect(asked[0]!.message).toBe("[modern] q1")
    expect(asked[0]!.meta).toMatchObject({ "mcp-orchestrator/server": "modern" })
  }, 60_000)

  test("legacy client: two rounds, and a roots request", async () => {
    asked.length = 0
    expect(text(await legacy.client.callTool({ name: "modern__ask_twice", arguments: {} }))).toBe("A1+A2")
    expect(asked.map((a) => a.message)).toEqual(["[modern] first?", "[modern] second?"])
    expect(text(await legacy.client.callTool({ name: "modern__where", arguments: {} }))).toBe("roots=file:///work/here")
  }, 60_000)

  test("legacy client: prompts/get and resources/read get the same rounds (elicitation/create, byte-exact state)", async () => {
    asked.length = 0
    expect(promptText(await legacy.client.getPrompt({ name: "modern__ask_prompt" }))).toBe(`prompt answer=A1 state=${STATE_PROMPT}`)
    expect(resourceText(await legacy.client.readResource({ uri: "mem://ask/x" }))).toBe(`resource answer=A2 state=${STATE_RESOURCE}`)
    expect(asked.map((a) => a.message)).toEqual(["[modern] topic?", "[modern] which note?"])
    expect(asked[1]!.meta).toMatchObject({ "mcp-orchestrator/server": "modern" })
  }, 60_000)

  test("legacy client without elicitation: a clean error naming what is missing", async () => {
    const bare = await connectBinary(["serve", "--config", cfg], env)
    try {
      const r = await bare.client.callTool({ name: "modern__ask", arguments: { question: "q" } })
      expect(r.isError).toBe(true)
      expect(text(r)).toContain("elicitation")
      expect(text(r)).toContain("modern")
      // prompts/get and resources/read: a JSON-RPC error saying the same
      for (const get of [() => bare.client.getPrompt({ name: "modern__ask_prompt" }), () => bare.client.readResource({ uri: "mem://ask/x" })]) {
        const e = (await get().then(() => undefined, (err: unknown) => err)) as Error | undefined
        expect(e?.message).toContain("INPUT_UNAVAILABLE")
        expect(e?.message).toContain("elicitation")
      }
    } finally {
      await bare.close()
    }
  }, 60_000)

  test("modern client (SDK v2 pinned): input_required comes back to it, its retry completes the call", async () => {
    const client = new V2Client({ name: "v2-mrtr", version: "1.0.0" }, { versionNegotiation: { mode: { pin: V } }, capabilities: { elicitation: { form: {} } } })
    const prompts: string[] = []
    client.setRequestHandler("elicitation/create", (req) => {
      prompts.push(String((req.params as { message?: unknown }).message))
      return { action: "accept", content: { answer: "M" } }
    })
    await client.connect(new V2Stdio({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" }))
    try {
      expect(client.getProtocolEra()).toBe("modern")
      const r = await client.callTool({ name: "modern__ask", arguments: { question: "q1" } })
      expect(text(r)).toBe(`answer=M state=${STATE_Q1}`)
      expect(text(await client.callTool({ name: "modern__ask_twice", arguments: {} }))).toBe("M+M")
      // the same for prompts/get and resources/read
      expect(promptText(await client.getPrompt({ name: "modern__ask_prompt" }))).toBe(`prompt answer=M state=${STATE_PROMPT}`)
      expect(resourceText(await client.readResource({ uri: "mem://ask/x" }))).toBe(`resource answer=M state=${STATE_RESOURCE}`)
      expect(prompts).toEqual(["[modern] q1", "[modern] first?", "[modern] second?", "[modern] topic?", "[modern] which note?"])
    } finally {
      await client.close()
    }
  }, 60_000)

  test("modern client, raw: our requestState is sealed; tampered, redirected, foreign or replayed with other arguments is -32602", async () => {
    const raw = new Raw(cfg, env)
    try {
      const first = (await raw.request("tools/call", { name: "modern__ask", arguments: { question: "q1" } })) as { result: { resultType: string; inputRequests: Record<string, { method: string }>; requestState: string } }
      expect(first.result.resultType).toBe("input_required")
      expect(first.result.inputRequests.q!.method).toBe("elicitation/create")
      const state = first.result.requestState
      // the downstream's own state is not handed out, not even encoded (it is encrypted, not only signed)
      expect(state).not.toContain("st:q1")
      for (const part of state.slice("mcpo1.".length).split(".")) expect(Buffer.from(part, "base64url").toString("latin1")).not.toContain("st:q1")
      const answer = { q: { action: "accept", content: { answer: "R" } } }
      const retry = (s: string, name = "modern__ask") => raw.request("tools/call", { name, arguments: { question: "q1" }, inputResponses: answer, requestState: s })

      const flipped = state.slice(0, -2) + (state.at(-2) === "A" ? "B" : "A") + state.at(-1)
      for (const bad of [flipped, `${state}x`, "mcpo1.e30.AAAA", "st:q1"]) {
        const e = (await retry(bad)) as { error?: { code: number; message: string } }
        expect(e.error?.code).toBe(-32602)
        expect(e.error?.message).toContain("requestState")
      }
      // a valid state sent with another tool: refused, not forwarded there
      const moved = (await retry(state, "modern__ask_twice")) as { error?: { code: number; message: string } }
      expect(moved.error?.code).toBe(-32602)
      expect(moved.error?.message).toContain("another request")
      // a valid state replayed into the same tool with other arguments (what the server's state was minted for differs): refused
      for (const args of [{ question: "q2" }, { question: "q1", extra: true }, {}]) {
        const replayed = (await raw.request("tools/call", { name: "modern__ask", arguments: args, inputResponses: answer, requestState: state })) as { error?: { code: number; message: string } }
        expect(replayed.error?.code).toBe(-32602)
        expect(replayed.error?.message).toContain("other arguments")
      }

      const ok = (await retry(state)) as { result: { resultType: string; content: { text: string }[] } }
      expect(ok.result.resultType).toBe("complete")
      expect(ok.result.content[0]!.text).toBe(`answer=R state=${STATE_Q1}`)
    } finally {
      await raw.close()
    }
  }, 60_000)

  test("modern client, raw: a configured secret in the server's input request is redacted, as in a relayed elicitation", async () => {
    const raw = new Raw(cfg, env)
    try {
      const r = (await raw.request("tools/call", { name: "modern__ask", arguments: { question: `key is ${SECRET}?` } })) as { result: { resultType: string; inputRequests: Record<string, { params: { message: string } }> } }
      expect(r.result.resultType).toBe("input_required")
      const message = r.result.inputRequests.q!.params.message
      expect(message).not.toContain(SECRET)
      expect(message).toContain("key is ")
    } finally {
      await raw.close()
    }
  }, 60_000)

  test("modern client, raw: prompts/get and resources/read answer input_required with our sealed state, bound to the prompt or URI", async () => {
    const raw = new Raw(cfg, env)
    try {
      type Ir = { result?: { resultType: string; inputRequests?: Record<string, { method: string; params: { message: string } }>; requestState: string }; error?: { code: number; message: string } }
      const p1 = (await raw.request("prompts/get", { name: "modern__ask_prompt" })) as Ir
      expect(p1.result?.resultType).toBe("input_required")
      expect(p1.result?.inputRequests?.p?.method).toBe("elicitation/create")
      expect(p1.result?.inputRequests?.p?.params.message).toBe("[modern] topic?")
      expect(p1.result?.requestState).not.toContain("pst:")
      const r1 = (await raw.request("resources/read", { uri: "mem://ask/x" })) as Ir
      expect(r1.result?.resultType).toBe("input_required")
      expect(r1.result?.inputRequests?.n?.method).toBe("elicitation/create")
      expect(r1.result?.requestState).not.toContain("rst:")

      const accept = (key: string) => ({ [key]: { action: "accept", content: { answer: "R" } } })
      // a prompt's state sent with a resource read, and a resource's with another URI: refused
      const swapped = (await raw.request("resources/read", { uri: "mem://ask/x", inputResponses: accept("n"), requestState: p1.result!.requestState })) as Ir
      expect(swapped.error?.code).toBe(-32602)
      expect(swapped.error?.message).toContain("another request")
      const moved = (await raw.request("resources/read", { uri: "mem://ask/y", inputResponses: accept("n"), requestState: r1.result!.requestState })) as Ir
      expect(moved.error?.code).toBe(-32602)

      const p2 = (await raw.request("prompts/get", { name: "modern__ask_prompt", inputResponses: accept("p"), requestState: p1.result!.requestState })) as { result: Record<string, unknown> }
      expect(p2.result.resultType).toBe("complete")
      expect(promptText(p2.result)).toBe(`prompt answer=R state=${STATE_PROMPT}`)
      const r2 = (await raw.request("resources/read", { uri: "mem://ask/x", inputResponses: accept("n"), requestState: r1.result!.requestState })) as { result: Record<string, unknown> }
      expect(r2.result).toMatchObject({ resultType: "complete", ttlMs: 0, cacheScope: "private" })
      expect(resourceText(r2.result)).toBe(`resource answer=R state=${STATE_RESOURCE}`)

      // a client that declared no elicitation: an error (the downstream's own: its envelope said so), not a question it cannot answer
      const bare = (await raw.request("prompts/get", { name: "modern__ask_prompt" }, { "io.modelcontextprotocol/clientCapabilities": {} })) as Ir
      expect(bare.result).toBeUndefined()
      expect(bare.error?.message).toContain("elicitation")
      // params checked before anything is called; an unknown resource is -32602 in this era
      expect(((await raw.request("resources/read", {})) as Ir).error?.code).toBe(-32602)
      expect(((await raw.request("prompts/get", { name: "modern__greet", arguments: { n: 1 } })) as Ir).error?.code).toBe(-32602)
      const unknown = (await raw.request("resources/read", { uri: "nowhere://x" })) as Ir
      expect(unknown.error?.code).toBe(-32602)
      expect(unknown.error?.message).toContain("nowhere://x")
    } finally {
      await raw.close()
    }
  }, 60_000)

  test("modern client, raw: the log level of its request reaches the modern downstream, and the logs come back", async () => {
    const raw = new Raw(cfg, env)
    try {
      const logs = () => raw.notes.filter((n) => n.method === "notifications/message").map((n) => JSON.stringify(n.params))
      const quiet = (await raw.request("tools/call", { name: "modern__chatty", arguments: {} })) as { result?: unknown }
      expect(quiet.result).toBeDefined()
      const loud = (await raw.request("tools/call", { name: "modern__chatty", arguments: {} }, { "io.modelcontextprotocol/logLevel": "info" })) as { result?: unknown }
      expect(loud.result).toBeDefined()
      expect(await until(() => logs().some((l) => l.includes("hello log")), 15_000)).toBe(true)
      expect(logs().filter((l) => l.includes("hello log"))).toHaveLength(1) // none for the request that asked for none
      expect(logs().find((l) => l.includes("hello log"))).toContain('"logger":"modern')
      // a level above the message's: nothing
      await raw.request("tools/call", { name: "modern__chatty", arguments: {} }, { "io.modelcontextprotocol/logLevel": "error" })
      await Bun.sleep(300)
      expect(logs().filter((l) => l.includes("hello log"))).toHaveLength(1)
    } finally {
      await raw.close()
    }
  }, 60_000)
})

describe("a legacy downstream's server→client request toward a modern client", () => {
  const dir = tempDir("mcpo-mrtr-push-")
  const env = sandboxEnv()

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test("relayed as input_required, the call parked: the SDK v2 client's handler answers, its retry completes the same call (the downstream was told of elicitation at initialize, as for any client: its list must not depend on who came first)", async () => {
    const cfg = config(dir)
    const client = new V2Client({ name: "v2-push", version: "1.0.0" }, { versionNegotiation: { mode: { pin: V } }, capabilities: { elicitation: { form: {} } } })
    let elicited = 0
    client.setRequestHandler("elicitation/create", () => {
      elicited++
      return { action: "accept", content: { ok: true } }
    })
    const transport = new V2Stdio({ command: BIN, args: ["serve", "--config", cfg], env: { ...env, MCPO_LOG_LEVEL: "info" }, stderr: "pipe" })
    let stderr = ""
    transport.stderr?.on("data", (d: Buffer) => void (stderr += d.toString()))
    await client.connect(transport)
    try {
      const caps = JSON.parse(text(await client.callTool({ name: "push__caps", arguments: {} }))) as Record<string, unknown> | null
      expect(caps?.elicitation).toBeDefined()
      expect(caps?.sampling).toBeDefined()
      const r = await client.callTool({ name: "push__confirm", arguments: {} })
      // before: declined ("refused: … 2026-07-28 …"), the handler never called
      expect(text(r)).toBe('elicited:{"action":"accept","content":{"ok":true}}')
      expect(elicited).toBe(1)
      expect(await until(() => stderr.includes("relayed to the client as input_required"), 15_000)).toBe(true)
    } finally {
      await client.close()
    }
  }, 60_000)
})
