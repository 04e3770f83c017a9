/**
 * @module test/faults/servers/half-working-server
 * A downstream that starts and lists its tools fine, then fails where a real half-working server
 * does (raw JSON-RPC over stdio, run with `bun`):
 * - its tool `search` answers an `isError` result naming a key it lacks when `EXA_API_KEY` is not in
 *   its environment (exa-mcp-server: "API key must be provided … (EXA_API_KEY)"), with "wrong" an error naming it (it got the key: no hint is due), else a result;
 *   `plain_error` always answers an error that names no variable;
 * - `--resources-fail`: declares resources, and resources/list (and resources/templates/list)
 *   answers a JSON-RPC error as server-postgres does with its database down ("connect ECONNREFUSED");
 * - `--prompts-fail`: declares prompts, and prompts/list answers an error;
 * - `--resources-hang`: declares resources, and never answers resources/list (nor its templates);
 * - `--tools-after=MS`: answers tools/list that late (a slow server).
 * Without the flags it declares only tools.
 */
import { onStdinLines, sendLine } from "../../fixtures/servers/stdin-lines.ts"

const argv = process.argv.slice(2)
const resourcesFail = argv.includes("--resources-fail")
const promptsFail = argv.includes("--prompts-fail")
const resourcesHang = argv.includes("--resources-hang")
const toolsAfter = Number(argv.find((a) => a.startsWith("--tools-after="))?.slice("--tools-after=".length) ?? 0)

const tools = [
  { name: "search", description: "Search the web", inputSchema: { type: "object", properties: { query: { type: "string" } } } },
  { name: "plain_error", description: "Fails naming no variable", inputSchema: { type: "object" } },
]

onStdinLines(
  (line) => {
    const m = JSON.parse(line) as { id?: number | string; method?: string; params?: { protocolVersion?: string; name?: string } }
    if (m.id === undefined || m.method === undefined) return
    const answer = (result: unknown): void => sendLine({ jsonrpc: "2.0", id: m.id!, result })
    const fail = (message: string): void => sendLine({ jsonrpc: "2.0", id: m.id!, error: { code: -32603, message } })
    if (m.method === "initialize") {
      const capabilities: Record<string, unknown> = { tools: {} }
      if (resourcesFail || resourcesHang) capabilities.resources = {}
      if (promptsFail) capabilities.prompts = {}
      answer({ protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities, serverInfo: { name: "half-working", version: "1.0.0" } })
    } else if (m.method === "ping") answer({})
    else if (m.method === "tools/list") setTimeout(() => answer({ tools }), toolsAfter)
    else if (resourcesHang && (m.method === "resources/list" || m.method === "resources/templates/list")) return
    else if (m.method === "tools/call" && m.params?.name === "search") {
      if (process.env.EXA_API_KEY === "wrong") answer({ isError: true, content: [{ type: "text", text: "Error: the API key was refused (EXA_API_KEY): 401" }] })
      else if (process.env.EXA_API_KEY) answer({ content: [{ type: "text", text: "results" }] })
      else answer({ isError: true, content: [{ type: "text", text: "Error: API key must be provided as an argument or set in the environment (EXA_API_KEY)" }] })
    } else if (m.method === "tools/call" && m.params?.name === "plain_error") answer({ isError: true, content: [{ type: "text", text: "Error: the query is too long" }] })
    else if (resourcesFail && (m.method === "resources/list" || m.method === "resources/templates/list")) fail("connect ECONNREFUSED 127.0.0.1:5432")
    else if (promptsFail && m.method === "prompts/list") fail("prompt store unavailable: connect ECONNREFUSED 127.0.0.1:6379")
    else sendLine({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } })
  },
  { exitOnEnd: true },
)
