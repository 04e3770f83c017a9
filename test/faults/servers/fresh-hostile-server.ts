/**
 * @module test/faults/servers/fresh-hostile-server
 * A raw JSON-RPC stdio server (run with `bun`, mode in argv[2]) listing hostile tool definitions
 * not tried before (QA 345), each next to plain tools that must stay listed:
 * - `defs`: schemas with `$ref` cycles, remote `$ref`s, `$dynamicRef`, 10 000 `anyOf` branches, a
 *   catastrophic `patternProperties` key, patterns that are no ECMAScript (unicode) regex, unknown
 *   formats, boolean schemas, draft-04 `id`, names with NUL, of 10 000 characters, only `__`, our
 *   own tools' names, annotations of wrong types, a 5 MB `_meta`.
 * - `loop`: `nextCursor` that never ends (always a new cursor, the same tools).
 * - `repeat`: page 2 names page 1's cursor again.
 * - `dup`: page 2 lists one of page 1's tools again.
 * - `odd_page`: its page's `nextCursor`, `ttlMs` and `cacheScope` are of the wrong type, its `_meta` a string.
 * - `many_bad`: 3 000 tools whose input is a string (dropped) next to the plain ones.
 * - `storm`: its list changes at every listing, with `notifications/tools/list_changed` after each.
 */
import { createInterface } from "node:readline"

const o = { type: "object" }

export const PLAIN = [
  { name: "plain_a", description: "Plain A.", inputSchema: { type: "object", properties: { x: { type: "string" } } } },
  { name: "plain_b", description: "Plain B.", inputSchema: o },
]

/** Hostile tools that can be made safe: each must stay listed (name may be repaired). */
export const HOSTILE: unknown[] = [
  { name: "ref_cycle", description: "A -> B -> A.", inputSchema: { type: "object", properties: { a: { $ref: "#/$defs/A" } }, $defs: { A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A" } } } },
  { name: "ref_remote", description: "Remote refs.", inputSchema: { type: "object", properties: { a: { $ref: "http://127.0.0.1:9/never.json" }, b: { $ref: "https://example.invalid/x.json#/defs/y" } } } },
  { name: "dyn_ref", description: "A $dynamicRef.", inputSchema: { type: "object", $dynamicAnchor: "node", properties: { kids: { type: "array", items: { $dynamicRef: "#node" } }, lost: { $dynamicRef: "#nowhere" } } } },
  { name: "many_any_of", description: "10 000 anyOf branches.", inputSchema: { type: "object", properties: { v: { anyOf: Array.from({ length: 10_000 }, (_, i) => ({ const: i })) } } } },
  { name: "catastrophic_pp", description: "A catastrophic patternProperties key.", inputSchema: { type: "object", patternProperties: { "^(a+)+$": { type: "string" } } } },
  { name: "bad_regex", description: "Not an ECMAScript regex.", inputSchema: { type: "object", properties: { a: { type: "string", pattern: "([a-z]" }, b: { type: "string", pattern: "^[\\w-.]+$" }, c: { type: "string", pattern: "\\p{Foo}" }, d: { type: "string", pattern: "^\\-\\d+$" } } } },
  { name: "bad_regex_out", description: "Not an ECMAScript regex in the output schema.", inputSchema: o, outputSchema: { type: "object", properties: { a: { type: "string", pattern: "^[\\w-.]+$" } } } },
  { name: "bad_pp_key", description: "A patternProperties key that is no unicode regex.", inputSchema: { type: "object", patternProperties: { "^[\\w-.]+$": { type: "string" } } } },
  { name: "unknown_format", description: "Unknown format.", inputSchema: { type: "object", properties: { a: { type: "string", format: "totally-made-up" } } } },
  { name: "bool_schemas", description: "Boolean schemas.", inputSchema: { type: "object", properties: { a: true, b: false, c: { type: "array", items: false } }, additionalProperties: false } },
  { name: "draft4_id", description: "Draft-04 id.", inputSchema: { id: "urn:x", type: "object", properties: { a: { id: "#a", type: "string" } } } },
  { name: "nullable_root", description: "Nullable root.", inputSchema: { type: ["object", "null"] } },
  { name: "bad_annotations", description: "Annotations of wrong types.", inputSchema: o, annotations: { readOnlyHint: "yes", destructiveHint: 1, title: ["x"] } },
  { name: "meta_5mb", description: "A 5 MB _meta.", inputSchema: o, _meta: { blob: "x".repeat(5_000_000) } },
  { name: "nul\u0000name", description: "A NUL in the name.", inputSchema: o },
  { name: "n".repeat(10_000), description: "A 10 000 character name.", inputSchema: o },
  { name: "__", description: "Only underscores.", inputSchema: o },
  { name: "search_tools", description: "Our own tool's name.", inputSchema: o },
  { name: "call_tool", description: "Our own tool's name.", inputSchema: o },
  { name: "run_code", description: "Our own tool's name.", inputSchema: o },
]

export const TOOLS = [...PLAIN, ...HOSTILE]

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
let listings = 0

/** The page a listing in `mode` answers for `cursor` (the stdio server's and fresh-hostile-http's). */
export function list(cursor: string | undefined, mode: string): object {
  if (mode === "loop") return { tools: PLAIN, nextCursor: `c${Number(cursor?.slice(1) ?? 0) + 1}` }
  if (mode === "repeat") return cursor === undefined ? { tools: [PLAIN[0]], nextCursor: "a" } : { tools: [PLAIN[1]], nextCursor: "a" }
  if (mode === "dup") return cursor === undefined ? { tools: PLAIN, nextCursor: "p2" } : { tools: [PLAIN[0], { name: "plain_c", inputSchema: o }] }
  if (mode === "many_bad") return { tools: [...PLAIN, ...Array.from({ length: 3000 }, (_, i) => ({ name: `bad_${i}`, inputSchema: { type: "string" } }))] }
  // a page whose other fields are of the wrong type: its tools are still read (the cursor, no string nor number, ends the listing)
  if (mode === "odd_page") return { tools: PLAIN, nextCursor: { page: 2 }, ttlMs: "soon", cacheScope: 5, _meta: "x" }
  if (mode === "storm") return { tools: [...PLAIN, { name: `gen_${++listings}`, inputSchema: o }] }
  return { tools: TOOLS }
}

if (import.meta.main) {
  const mode = process.argv[2] ?? "defs"
  const rl = createInterface({ input: process.stdin })
  rl.on("line", (line) => {
    const { id, method, params } = JSON.parse(line) as { id?: number; method?: string; params?: any }
    if (id === undefined || method === undefined) return
    if (method === "initialize") return send({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: { listChanged: true } }, serverInfo: { name: "fresh", version: "1" } } })
    if (method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
    if (method === "tools/list") {
      send({ jsonrpc: "2.0", id, result: list(params?.cursor, mode) })
      if (mode === "storm") setTimeout(() => send({ jsonrpc: "2.0", method: "notifications/tools/list_changed" }), 5)
      return
    }
    if (method === "tools/call") return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `called ${String(params?.name).slice(0, 40)}` }] } })
    send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
  })
  rl.on("close", () => process.exit(0))
}
