/**
 * @module test/helpers/nobody-server
 * A downstream for tests that run the binary as another user (root → nobody via setpriv, where
 * chmod would not deny root): a self-contained MCP stdio server written into a home that user owns.
 * server-memory from node_modules would not do: a clean clone in a 0700 directory (mktemp -d) is
 * out of that user's reach, and the server then fails to start. It lists `read_graph` and
 * `create_entities` (server-memory's names) and answers each call with a text.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { writeFileSync } from "node:fs"
import { join } from "node:path"

const SOURCE = `
let buf = ""
const send = (m) => process.stdout.write(JSON.stringify(m) + "\\n")
const tool = (name) => ({ name, description: "a tool named " + name, inputSchema: { type: "object", properties: {} } })
process.stdin.setEncoding("utf8")
process.stdin.on("data", (d) => {
  buf += d
  for (let i = buf.indexOf("\\n"); i >= 0; i = buf.indexOf("\\n")) {
    const line = buf.slice(0, i)
    buf = buf.slice(i + 1)
    if (!line.trim()) continue
    const m = JSON.parse(line)
    if (m.id === undefined || m.method === undefined) continue
    if (m.method === "initialize") send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "nobody", version: "1.0.0" } } })
    else if (m.method === "tools/list") send({ jsonrpc: "2.0", id: m.id, result: { tools: [tool("read_graph"), tool("create_entities")] } })
    else if (m.method === "tools/call") send({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: "called " + m.params.name }] } })
    else if (m.method === "ping") send({ jsonrpc: "2.0", id: m.id, result: {} })
    else send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "no method " + m.method } })
  }
})
process.stdin.on("end", () => process.exit(0))
`

/** Writes the server into `dir` (chown it with the rest of the home) and returns its config entry. */
export function nobodyServer(dir: string): { command: string; args: string[] } {
  const file = join(dir, "nobody-server.mjs")
  writeFileSync(file, SOURCE)
  // node where there is one (in /usr/bin, open to every user), else the bun running the tests
  return { command: Bun.which("node") ?? process.execPath, args: [file] }
}

/** The uid and gid of `nobody`, as whom root runs the binary where a chmod must deny. */
export const NOBODY = 65534
/** Tests run as root here: chmod does not deny root, so the binary is run as nobody (setpriv). */
export const IS_ROOT = process.getuid?.() === 0

/**
 * The compiled binary with `argv`, connected with the SDK's real Client over stdio: as nobody when
 * this process is root (in a home nobody owns: chown it first), else as this user.
 */
export async function connectAsNobody(bin: string, argv: string[], env: Record<string, string>): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  const opts = { env, stderr: "pipe" as const, cwd: env.HOME }
  const transport = new StdioClientTransport(IS_ROOT ? { command: "setpriv", args: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", bin, ...argv], ...opts } : { command: bin, args: argv, ...opts })
  let err = ""
  transport.stderr?.on("data", (d: Buffer) => (err += d.toString()))
  const client = new Client({ name: "test-client", version: "1.0.0" })
  await client.connect(transport)
  return { client, transport, stderr: () => err }
}
