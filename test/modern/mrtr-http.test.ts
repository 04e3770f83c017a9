/**
 * MRTR on our HTTP face, through the compiled binary: a modern-only (2026-07-28) SDK v2 downstream
 * whose `ask` tool, `ask_prompt` prompt and `mem://ask/{topic}` resources answer `input_required`,
 * for every MRTR-capable method (`tools/call`, `prompts/get`, `resources/read`):
 * - the SDK v1 Client in a legacy session gets real `elicitation/create` requests (on the call's
 *   stream) and the result reflects its answers and the downstream's byte-exact state;
 * - the SDK v2 Client pinned to 2026-07-28 gets `input_required` back and its retry completes;
 * - raw modern POSTs: our sealed `requestState`, bound to the method and target, accepted on retry;
 * - a downstream `requestState` too long to come back in a retry under `http.bodyLimit`: the call
 *   fails at once naming the server (the client's retry was a bare 413 naming no one).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from "@modelcontextprotocol/client"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport as V1Transport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { sandboxEnv, startHttpBinary, tempDir, type HttpBinary } from "../helpers/binary.ts"
import { BUN, ROOT } from "../proxy/helpers.ts"
import { modernPost } from "./http-post.ts"

const TOKEN = "mrtr-http-" + crypto.randomUUID()
const V = "2026-07-28"
const STATE_Q1 = 'st:q1:\u00e9"'
const STATE_PROMPT = 'pst:\u00e9"'
const STATE_RESOURCE = "rst:1"
const dir = tempDir("mcpo-mrtr-http-")
let run: HttpBinary

const text = (r: unknown): string => (r as { content?: { text?: string }[] }).content?.[0]?.text ?? ""
const promptText = (r: unknown): string => (r as { messages?: { content?: { text?: string } }[] }).messages?.[0]?.content?.text ?? ""
const resourceText = (r: unknown): string => (r as { contents?: { text?: string }[] }).contents?.[0]?.text ?? ""

beforeAll(async () => {
  const cfg = join(dir, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      servers: {
        modern: { command: BUN, args: [join(ROOT, "test", "fixtures", "servers", "modern-server.ts"), "stdio"] },
        hostile: { command: BUN, args: [join(ROOT, "test", "faults", "servers", "hostile-modern-server.ts")] },
      },
      toolkit: { enabled: "off" },
      plugins: { enabled: false },
    }),
  )
  run = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
}, 120_000)

afterAll(async () => {
  run?.proc.kill("SIGTERM")
  await run?.proc.exited
  rmSync(dir, { recursive: true, force: true })
})

type Answer = { result?: Record<string, unknown> & { resultType?: string; requestState?: string; inputRequests?: Record<string, { method: string; params: { message: string } }> }; error?: { code: number; message: string } }

/** A raw modern POST (headers as the revision asks); a streamed answer is read from its events. */
async function post(method: string, params: Record<string, unknown>, caps: Record<string, unknown> = { elicitation: {} }): Promise<Answer> {
  const res = await modernPost({ url: run.url, token: TOKEN, method, params, caps })
  const body = await res.text()
  if (!res.headers.get("content-type")?.includes("text/event-stream")) return JSON.parse(body) as Answer
  const answers = body.split("\n").filter((l) => l.startsWith("data:")).map((l) => JSON.parse(l.slice(5)) as Answer & { id?: unknown })
  return answers.find((a) => a.id === 1)!
}

describe("MRTR on the HTTP face: tools/call, prompts/get and resources/read", () => {
  test("legacy client (SDK v1 session): real elicitation/create requests for all three, byte-exact state", async () => {
    const client = new V1Client({ name: "v1-mrtr-http", version: "1.0.0" }, { capabilities: { elicitation: { form: {} } } })
    const asked: string[] = []
    client.setRequestHandler(ElicitRequestSchema, (req) => {
      asked.push(req.params.message)
      return { action: "accept", content: { answer: `A${asked.length}` } }
    })
    await client.connect(new V1Transport(new URL(run.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
    try {
      expect(text(await client.callTool({ name: "modern__ask", arguments: { question: "q1" } }))).toBe(`answer=A1 state=${STATE_Q1}`)
      expect(promptText(await client.getPrompt({ name: "modern__ask_prompt" }))).toBe(`prompt answer=A2 state=${STATE_PROMPT}`)
      expect(resourceText(await client.readResource({ uri: "mem://ask/x" }))).toBe(`resource answer=A3 state=${STATE_RESOURCE}`)
      expect(asked).toEqual(["[modern] q1", "[modern] topic?", "[modern] which note?"])
    } finally {
      await client.close()
    }
  }, 60_000)

  test("modern client (SDK v2 pinned): input_required comes back for all three, its retries complete them", async () => {
    const client = new V2Client({ name: "v2-mrtr-http", version: "1.0.0" }, { versionNegotiation: { mode: { pin: V } }, capabilities: { elicitation: { form: {} } } })
    const asked: string[] = []
    client.setRequestHandler("elicitation/create", (req) => {
      asked.push(String((req.params as { message?: unknown }).message))
      return { action: "accept", content: { answer: "M" } }
    })
    await client.connect(new V2Transport(new URL(run.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
    try {
      expect(client.getProtocolEra()).toBe("modern")
      expect(text(await client.callTool({ name: "modern__ask", arguments: { question: "q1" } }))).toBe(`answer=M state=${STATE_Q1}`)
      expect(promptText(await client.getPrompt({ name: "modern__ask_prompt" }))).toBe(`prompt answer=M state=${STATE_PROMPT}`)
      expect(resourceText(await client.readResource({ uri: "mem://ask/x" }))).toBe(`resource answer=M state=${STATE_RESOURCE}`)
      expect(asked).toEqual(["[modern] q1", "[modern] topic?", "[modern] which note?"])
    } finally {
      await client.close()
    }
  }, 60_000)

  test("raw modern POSTs: prompts/get and resources/read answer input_required with our sealed state; the retry completes, a moved state is -32602", async () => {
    const accept = (key: string) => ({ [key]: { action: "accept", content: { answer: "R" } } })
    const p1 = await post("prompts/get", { name: "modern__ask_prompt" })
    expect(p1.result?.resultType).toBe("input_required")
    expect(p1.result?.inputRequests?.p?.params.message).toBe("[modern] topic?")
    expect(p1.result?.requestState).toStartWith("mcpo1.")
    const r1 = await post("resources/read", { uri: "mem://ask/x" })
    expect(r1.result?.resultType).toBe("input_required")
    expect(r1.result?.requestState).toStartWith("mcpo1.")

    const moved = await post("prompts/get", { name: "modern__ask_prompt", inputResponses: accept("p"), requestState: r1.result!.requestState })
    expect(moved.error?.code).toBe(-32602)
    expect(moved.error?.message).toContain("requestState")

    const p2 = await post("prompts/get", { name: "modern__ask_prompt", inputResponses: accept("p"), requestState: p1.result!.requestState })
    expect(p2.result?.resultType).toBe("complete")
    expect(promptText(p2.result)).toBe(`prompt answer=R state=${STATE_PROMPT}`)
    const r2 = await post("resources/read", { uri: "mem://ask/x", inputResponses: accept("n"), requestState: r1.result!.requestState })
    expect(r2.result).toMatchObject({ resultType: "complete", ttlMs: 0, cacheScope: "private" })
    expect(resourceText(r2.result)).toBe(`resource answer=R state=${STATE_RESOURCE}`)
  }, 60_000)
})

describe("MRTR on the HTTP face: a requestState no client could send back", () => {
  test("over half of http.bodyLimit once sealed: the call fails naming the server, for raw POSTs and the SDK v2 client", async () => {
    const raw = await post("tools/call", { name: "hostile__huge_state", arguments: {} })
    expect(raw.result?.resultType).toBe("complete")
    expect(raw.result?.isError).toBe(true)
    const said = text(raw.result)
    expect(said).toContain("[BAD_RESPONSE] server hostile answered tools/call of huge_state with input_required whose requestState is too long")
    expect(said).toContain("http.bodyLimit")

    const client = new V2Client({ name: "v2-mrtr-huge", version: "1.0.0" }, { versionNegotiation: { mode: { pin: V } }, capabilities: { elicitation: { form: {} } } })
    client.setRequestHandler("elicitation/create", () => ({ action: "accept", content: {} }))
    await client.connect(new V2Transport(new URL(run.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
    try {
      const r = await client.callTool({ name: "hostile__huge_state", arguments: {} })
      expect(r.isError).toBe(true)
      expect(text(r)).toContain("server hostile answered tools/call of huge_state")
      // the other server is unaffected
      expect(text(await client.callTool({ name: "modern__echo", arguments: { text: "x" } }))).toBe("modern:x")
    } finally {
      await client.close()
    }
  }, 60_000)
})
