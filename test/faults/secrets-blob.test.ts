/**
 * Configured secrets inside base64 `blob`s never reach the client: a careless downstream
 * (servers/blob-server.ts) serves a project's `.env` — holding the very key the user configured for
 * it — as a resource blob (resources/read, standard and URL-safe base64), as an embedded resource in
 * a tool result (small: the stdio fast lane's raw text; ~800 KiB: its byte path; and through
 * call_tool) and in a prompt message. The secret is never in the answer as text, only in the blob's
 * bytes: each blob must arrive as valid base64 of the same alphabet whose decoded bytes show
 * `[REDACTED]` and no secret (a non-ASCII one by its UTF-8 bytes), and a blob without a secret byte
 * for byte. Over HTTP too (a legacy SDK client and 2026-07-28 requests). Also the HTTP face's own error pages, which quote the request's path (a 404, an unknown
 * toolset): they name no configured secret.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"

const BLOBS = join(import.meta.dir, "servers", "blob-server.ts")
const uuid = (): string => crypto.randomUUID().replace(/-/g, "")
const S = `BlobTok${uuid()}`
/** Non-ASCII: found by its UTF-8 bytes inside the decoded blob. */
const P = `pässwörd-${uuid().slice(0, 12)}`
const HTTP_TOKEN = `HttpTok${uuid()}`
const CLEAN_TEXT = "no secret here, just bytes \u0000\u00ff"
const REDACTED = "[REDACTED]"

let env: Record<string, string>
let configPath: string
let c: Connected | undefined

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  const config = {
    http: { token: HTTP_TOKEN },
    toolkit: { enabled: "off" },
    warm: ["files"],
    servers: { files: { command: process.execPath, args: [BLOBS], env: { BLOB_SECRET_TOKEN: S, BLOB_PASSWORD: P } } },
  }
  configPath = writeConfig(env, config)
})

afterAll(async () => {
  if (!c) return
  await c.close()
  const pid = c.pid
  for (let i = 0; pid !== undefined && i < 100 && isAlive(pid); i++) await Bun.sleep(100)
})

/** Every `blob` of an answer, at any depth. */
function blobs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) blobs(x, out)
  else if (v !== null && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      if (k === "blob" && typeof x === "string") out.push(x)
      else blobs(x, out)
    }
  return out
}

/** What is wrong with one answer's blobs: a secret in the decoded bytes, no redaction, not base64 of its alphabet. */
function problems(what: string, answer: unknown): string[] {
  const found = blobs(answer)
  if (found.length === 0) return [`${what}: no blob`]
  const p: string[] = []
  for (const b of found) {
    const urlSafe = /[-_]/.test(b)
    if (!(urlSafe ? /^[A-Za-z0-9_-]+$/ : /^[A-Za-z0-9+/]+={0,2}$/).test(b)) p.push(`${what}: not base64: ${b.slice(0, 40)}…`)
    const text = Buffer.from(b, urlSafe ? "base64url" : "base64").toString("utf8")
    for (const s of [S, P]) if (text.includes(s)) p.push(`${what}: leaks ${s}`)
    if (!text.includes(REDACTED)) p.push(`${what}: no ${REDACTED}`)
    if (!text.includes("DEBUG=1")) p.push(`${what}: the rest of the file is gone`)
  }
  return p
}

describe("secrets inside base64 blobs", () => {
  test("stdio: resources/read, embedded resources (fast lane, large byte path, call_tool) and prompts/get", async () => {
    c = await connectBinary(["serve", "--config", configPath, "--http", "127.0.0.1:0"], env)
    const { client } = c
    expect(await listUntil(client, "files__embedded")).toContain("files__big")
    const found: string[] = []
    const read = await client.readResource({ uri: "file:///project/.env" })
    expect(read.contents).toHaveLength(2)
    expect(blobs(read)[0]!.length % 4).toBe(0) // standard, padded
    expect(blobs(read)[1]!).toMatch(/^[A-Za-z0-9_-]+$/) // URL-safe, unpadded
    found.push(...problems("resources/read", read))
    found.push(...problems("embedded", await client.callTool({ name: "files__embedded", arguments: {} })))
    const big = await client.callTool({ name: "files__big", arguments: {} })
    expect(JSON.stringify(big).length).toBeGreaterThan(600 * 1024)
    found.push(...problems("big", big))
    found.push(...problems("call_tool", await client.callTool({ name: "call_tool", arguments: { name: "files__embedded", arguments: {} } })))
    found.push(...problems("prompts/get", await client.getPrompt({ name: "files__p" })))
    expect(found).toEqual([])
    // a blob without a secret arrives byte for byte
    const clean = blobs(await client.callTool({ name: "files__clean", arguments: {} }))
    expect(clean).toEqual([Buffer.from(CLEAN_TEXT).toString("base64")])
  }, 60_000)

  test("HTTP face: blobs over Streamable HTTP; error pages quoting the request name no configured secret", async () => {
    if (!c) throw new Error("the first test starts the binary")
    let url: string | undefined
    for (let i = 0; i < 200 && !url; i++) {
      url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/.exec(c.stderr())?.[1]
      if (!url) await Bun.sleep(50)
    }
    if (!url) throw new Error(`no HTTP URL in the log:\n${c.stderr()}`)
    const base = url.replace(/\/mcp$/, "")
    const pages = [await fetch(`${base}/nope/${S}`, { headers: { Authorization: `Bearer ${HTTP_TOKEN}` } }), await fetch(`${base}/mcp/t/${HTTP_TOKEN}`, { method: "POST", headers: { Authorization: `Bearer ${HTTP_TOKEN}`, "content-type": "application/json" }, body: "{}" })]
    for (const page of pages) {
      const body = await page.text()
      expect(page.status).toBe(404)
      expect(body).toContain(REDACTED)
      expect([S, HTTP_TOKEN].filter((s) => body.includes(s))).toEqual([])
    }
    const auth = { Authorization: `Bearer ${HTTP_TOKEN}` }
    const http = new Client({ name: "blob-secrets-test", version: "1.0.0" })
    await http.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: auth } }))
    try {
      await listUntil(http, "files__embedded")
      expect([...problems("http resources/read", await http.readResource({ uri: "file:///project/.env" })), ...problems("http embedded", await http.callTool({ name: "files__embedded", arguments: {} }))]).toEqual([])
    } finally {
      await http.close()
    }
    // 2026-07-28 requests (results written as text)
    const V = "2026-07-28"
    let id = 0
    const modern = async (method: string, params: Record<string, unknown>): Promise<unknown> => {
      const name = (params.name ?? params.uri) as string
      const res = await fetch(url!, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": V, "mcp-method": method, "mcp-name": name },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: { ...params, _meta: { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} } } }),
      })
      const text = await res.text()
      const lines = text.trimStart().startsWith("{") ? [text] : text.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5))
      const answer = lines.map((l) => JSON.parse(l) as { id?: number; result?: unknown }).find((m) => m.id === id)
      expect(answer?.result).toBeDefined()
      return answer!.result
    }
    expect([...problems("modern resources/read", await modern("resources/read", { uri: "file:///project/.env" })), ...problems("modern embedded", await modern("tools/call", { name: "files__embedded", arguments: {} })), ...problems("modern big", await modern("tools/call", { name: "files__big", arguments: {} }))]).toEqual([])
    expect([S, P, HTTP_TOKEN].filter((s) => c!.stderr().includes(s))).toEqual([])
  }, 60_000)
})
