/**
 * A minimal stdio MCP server in front of `createProxy` (bench only): measures the proxy/pool cost
 * without the full server face. Usage: bun scripts/bench/_proxy-face.ts <config.json|yaml>
 * (also `… serve --config <file>`, the binary's argv, so it can stand in for it).
 */
import { readFileSync } from "node:fs"
import { parse } from "yaml"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { LineFramer } from "../../src/pool/index.ts"
import { createProxy } from "../../src/proxy/index.ts"

const args = process.argv.slice(2)
const file = args[0] === "serve" ? args[args.indexOf("--config") + 1]! : args[0]!
const config = ConfigSchema.parse(parse(readFileSync(file, "utf8")))
const proxy = createProxy({ config, log: silentLogger, closeGraceMs: 500 })
// Writes are coalesced per macrotask turn: one syscall for all answers ready at the same time.
const sink = Bun.stdout.writer()
let scheduled = false
const out = (m: unknown): void => {
  sink.write(JSON.stringify(m) + "\n")
  if (!scheduled) {
    scheduled = true
    setImmediate(() => {
      scheduled = false
      sink.flush()
    })
  }
}
const never = new AbortController().signal
const notify = async (): Promise<void> => {}
const framer = new LineFramer(64 << 20, {
  onSkip: () => {},
  onOversize: () => {},
  onMessage: (m) => {
    const { id, method } = m as { id?: number; method?: string }
    const params = (m.params ?? {}) as { name?: string; arguments?: Record<string, unknown> }
    if (id === undefined) return
    if (method === "initialize") out({ jsonrpc: "2.0", id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "face", version: "0" } } })
    else if (method === "tools/list") void proxy.listTools().then((tools) => out({ jsonrpc: "2.0", id, result: { tools } }))
    else if (method === "tools/call")
      proxy.callTool(params.name!, params.arguments, { signal: never, notify }).then(
        (result) => out({ jsonrpc: "2.0", id, result }),
        (e: Error) => out({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: e.message }], isError: true } }),
      )
    else out({ jsonrpc: "2.0", id, result: {} })
  },
})
for await (const chunk of Bun.stdin.stream()) framer.push(chunk)
await proxy[Symbol.asyncDispose]()
process.exit(0)
