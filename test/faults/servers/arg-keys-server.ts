/**
 * @module test/faults/servers/arg-keys-server
 * A raw JSON-RPC stdio server (run with `bun`) whose tool argument names Anthropic's API refuses
 * (top-level property keys must match `^[a-zA-Z0-9_.-]{1,64}$`): OpenAPI-generated `StartTime<`,
 * `DateCreated>`, a space, CJK, 80 characters, `a b` beside `a_b`. Each tool answers with the
 * arguments it got, as JSON text.
 */
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

const s = { type: "string" }
const LONG = "x".repeat(80)

serveRawStdio({
  name: "arg-keys",
  tools: [
    { name: "list_calls", description: "OpenAPI-style filters.", inputSchema: { type: "object", properties: { "StartTime<": s, "StartTime>": s, "user name": s, 検索: s, [LONG]: s, a_b: s, "a b": s, "ok.key": s }, required: ["StartTime<", "a b", "a_b"] } },
    { name: "plain", description: "Valid names.", inputSchema: { type: "object", properties: { q: s }, required: ["q"] } },
  ],
  call: (p) => ({ content: [{ type: "text", text: JSON.stringify(p?.arguments ?? null) }] }),
})
