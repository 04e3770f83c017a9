/**
 * A minimal stdio MCP server in front of `createProxy` (bench only): measures the proxy/pool cost
 * without the full server face. Usage: bun scripts/bench/_proxy-face.ts <config.json|yaml>
 * (also `… serve --config <file>`, the binary's argv, so it can stand in for it).
 */
import { readFileSync } from "node:fs"
import { parse } from "yaml"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { processStdio } from "../../src/pool/index.ts"
import { createProxy } from "../../src/proxy/index.ts"

const args = process.argv.slice(2)
const file = args[0] === "serve" ? args[args.indexOf("--config") + 1]! : args[0]!
const config = ConfigSchema.parse(parse(readFileSync(file, "utf8")))
const proxy = createProxy({ config, log: silentLogger, closeGraceMs: 500 })
const io = processStdio()
const out = (m: unknown): void => io.writer.write(JSON.stringify(m))
const never = new AbortController().signal
const notify = async (): Promise<void> => {}
await io.pump({
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
}, 64 << 20)
await proxy[Symbol.asyncDispose]()
process.exit(0)
