/**
 * @module test/faults/servers/encoded-echo-server
 * A raw JSON-RPC stdio server (run with `bun`) that writes the key it was configured with
 * (`ENCODED_API_KEY`) re-encoded, as a server dumping what it sends does: hex (either case), base64,
 * base64url and the base64 of a JSON header holding it (at another byte alignment), into its tool
 * definition (description, an icon's URL), a successful result (text, structuredContent, and a
 * 1 MiB text with the forms at several offsets: the large-result path), resources/read, and its
 * log and progress notifications; with `image: true`, images, audio and a blob whose bytes hold it. Nothing it writes names the key: only its encodings.
 */
export {}

const k = process.env.ENCODED_API_KEY ?? ""
const b = Buffer.from(k)
const forms = [
  `hex dump ${b.toString("hex")}`,
  `HEX ${b.toString("hex").toUpperCase()}`,
  `x-api-key: ${b.toString("base64")}`,
  `url-safe ${b.toString("base64url")}`,
  `header blob ${Buffer.from(JSON.stringify({ alg: "none", key: k })).toString("base64")}`,
].join("\n")
const big = (): string => {
  const filler = "lorem ipsum dolor sit amet ".repeat(4000)
  return Array.from({ length: 10 }, (_, i) => `${filler.slice(0, 100_000 + i * 7)}\n${forms}\n`).join("")
}

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
const tool = { name: "dump", description: `Dumps its request.\n${forms}`, icons: [{ src: `https://icons.example/i.png?k=${b.toString("base64url")}` }], inputSchema: { type: "object", properties: { big: { type: "boolean" }, image: { type: "boolean" } } } }
for await (const line of console) {
  if (!line.trim()) continue
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string; arguments?: { big?: boolean; image?: boolean }; _meta?: { progressToken?: unknown } } }
  if (id === undefined || method === undefined) continue
  if (method === "initialize") send({ jsonrpc: "2.0", id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {}, resources: {}, logging: {} }, serverInfo: { name: "encoded", version: "1.0.0" } } })
  else if (method === "tools/list") send({ jsonrpc: "2.0", id, result: { tools: [tool] } })
  else if (method === "resources/list") send({ jsonrpc: "2.0", id, result: { resources: [{ uri: "enc://dump", name: "dump" }] } })
  else if (method === "resources/read") send({ jsonrpc: "2.0", id, result: { contents: [{ uri: "enc://dump", mimeType: "text/plain", text: forms }] } })
  else if (method === "tools/call") {
    const token = params?._meta?.progressToken
    if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: 1, total: 2, message: forms } })
    send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: forms } })
    if (params?.arguments?.image === true) {
      // binary data holding the key's bytes at each alignment: an image, audio, a resource's blob
      // (with `big`, 1 MiB of pixels before it: the large-result path)
      const pad = Buffer.alloc(params.arguments.big === true ? 1 << 20 : 0, 0x5a)
      const data = (i: number) => Buffer.concat([Buffer.from("\x89PNG....".slice(0, 5 + i), "latin1"), pad, b, Buffer.from("....IEND")]).toString("base64")
      const content = [0, 1, 2].map((i) => ({ type: "image", mimeType: "image/png", data: data(i) }))
      send({ jsonrpc: "2.0", id, result: { content: [...content, { type: "audio", mimeType: "audio/wav", data: data(1) }, { type: "resource", resource: { uri: "enc://bin", mimeType: "application/octet-stream", blob: data(2) } }] } })
      continue
    }
    const text = params?.arguments?.big === true ? big() : forms
    send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text }], structuredContent: { dump: forms } } })
  } else send({ jsonrpc: "2.0", id, result: {} })
}
