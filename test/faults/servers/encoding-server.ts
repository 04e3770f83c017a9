/**
 * @module test/faults/servers/encoding-server
 * A raw JSON-RPC stdio server (run with `bun`) that quotes the password it was configured with
 * (`ENC_PASSWORD`) the way other programs spell it: a form body (URLSearchParams, as an OAuth token
 * request sends a client secret), a URL made with encodeURI, RFC 3986 percent-encoding (Python's
 * quote with safe='', Go, curl) and Python's default quote (`/` kept), an HTML error page
 * (Bun.escapeHTML: `&amp;`, `&#x27;`, `&quot;`), JSON quoted inside a JSON string, and a URL holding
 * it put in a redirect's `Location` parameter (percent-encoded twice), upper-cased, every character
 * escaped (`%xx`, `&#NN;`), and a short `ENC_PASSCODE` as base64 (errors and stderr only). Into a
 * successful result (`ok`), an isError result (`fail`), a JSON-RPC error (`rpc`) and stderr.
 */
export {}

const p = process.env.ENC_PASSWORD ?? ""
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
const lines = [
  `POST /oauth/token body: ${new URLSearchParams({ grant_type: "client_credentials", client_secret: p })}`,
  `GET ${encodeURI(`https://api.example/v1/login?pw=${p}`)} failed`,
  `quoted ${rfc3986(p)} and ${rfc3986(p).replaceAll("%2F", "/")}`,
  `<html><body><p>Bad credential: ${Bun.escapeHTML(p)}</p></body></html>`,
  `request ${JSON.stringify(JSON.stringify({ pw: p }))}`,
  // a URL holding it, put in a redirect's parameter: encoded twice
  `Location: https://login.example/?return_to=${encodeURIComponent(`https://app.example/cb?ref=${encodeURIComponent(p)}`)}`,
  // qa222: upper-cased, and every character escaped (an encoder that escapes all of it)
  `ENV DUMP: upper ${p.toUpperCase()}`,
  `every char ${[...Buffer.from(p)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")} and ${[...p].map((c) => `&#${c.codePointAt(0)};`).join("")}`,
].join("\n")
/** qa222: a short configured passcode written as base64, as an error quotes a header it sent (errors and stderr only). */
const pin = `auth header ${Buffer.from(process.env.ENC_PASSCODE ?? "").toString("base64")} refused`

process.stderr.write(`encoding-server starting\n${lines}\n${pin}\n`)
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
const tools = ["ok", "fail", "rpc"].map((name) => ({ name, description: `encoding ${name}`, inputSchema: { type: "object", properties: {} } }))
for await (const line of console) {
  if (!line.trim()) continue
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string } }
  if (id === undefined || method === undefined) continue
  if (method === "initialize") send({ jsonrpc: "2.0", id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "encoding", version: "1.0.0" } } })
  else if (method === "tools/list") send({ jsonrpc: "2.0", id, result: { tools } })
  else if (method === "tools/call") {
    if (params?.name === "fail") send({ jsonrpc: "2.0", id, result: { isError: true, content: [{ type: "text", text: `failed:\n${lines}\n${pin}` }] } })
    else if (params?.name === "rpc") send({ jsonrpc: "2.0", id, error: { code: -32000, message: `cannot:\n${lines}\n${pin}`, data: { note: lines } } })
    else send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `ok:\n${lines}` }] } })
  } else send({ jsonrpc: "2.0", id, result: {} })
}
