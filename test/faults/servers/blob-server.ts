/**
 * @module test/faults/servers/blob-server
 * A careless raw JSON-RPC stdio server (run with `bun`) that serves files as base64 `blob`s — a
 * project's `.env` among them, holding the very key the user configured for it (BLOB_SECRET_TOKEN,
 * and BLOB_PASSWORD with non-ASCII letters: its UTF-8 bytes). The secret never appears as text in
 * its answers, only inside the base64 of a blob.
 *
 * Resources: `file:///project/.env` (read: a standard padded blob and a URL-safe unpadded one).
 * Tools: `embedded` (an embedded resource blob), `big` (a ~600 KiB embedded blob: the large-result
 * byte path), `clean` (a blob without a secret: must arrive byte for byte). Prompt `p` holds an
 * embedded resource blob in a message.
 */

export {}

const S = process.env.BLOB_SECRET_TOKEN ?? ""
const P = process.env.BLOB_PASSWORD ?? ""
const dotenv = `# local settings\nAPI_TOKEN=${S}\nDB_PASSWORD=${P}\nDEBUG=1\n`
const b64 = (s: string): string => Buffer.from(s).toString("base64")
const b64url = (s: string): string => Buffer.from(s).toString("base64url")
const CLEAN_TEXT = "no secret here, just bytes \u0000\u00ff"

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}
const blob = (uri: string, data: string) => ({ type: "resource", resource: { uri, mimeType: "application/octet-stream", blob: data } })

for await (const line of console) {
  if (!line.trim()) continue
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string; uri?: string } }
  if (id === undefined || method === undefined) continue
  const result = (r: unknown) => send({ jsonrpc: "2.0", id, result: r })
  if (method === "initialize") result({ protocolVersion: "2025-06-18", capabilities: { tools: {}, resources: {}, prompts: {} }, serverInfo: { name: "blobs", version: "1.0.0" } })
  else if (method === "tools/list") result({ tools: ["embedded", "big", "clean"].map((name) => ({ name, description: `blob ${name}`, inputSchema: { type: "object" } })) })
  else if (method === "resources/list") result({ resources: [{ uri: "file:///project/.env", name: ".env", mimeType: "application/octet-stream" }] })
  else if (method === "resources/read")
    result({
      contents: [
        { uri: params?.uri, mimeType: "application/octet-stream", blob: b64(dotenv) },
        { uri: `${params?.uri}#url`, mimeType: "application/octet-stream", blob: b64url(`x${dotenv}`) },
      ],
    })
  else if (method === "prompts/list") result({ prompts: [{ name: "p", description: "a prompt with a file" }] })
  else if (method === "prompts/get") result({ messages: [{ role: "user", content: blob("file:///project/.env", b64(dotenv)) }] })
  else if (method === "ping") result({})
  else if (method === "tools/call") {
    const name = params?.name
    if (name === "embedded") result({ content: [{ type: "text", text: "here is the file" }, blob("file:///project/.env", b64(dotenv))] })
    else if (name === "big") result({ content: [blob("file:///project/big.log", b64("log line\n".repeat(70_000) + dotenv + "tail\n".repeat(1000)))] })
    else if (name === "clean") result({ content: [blob("file:///project/clean.bin", b64(CLEAN_TEXT))] })
    else send({ jsonrpc: "2.0", id, error: { code: -32602, message: `unknown tool ${name}` } })
  } else send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
}
