/**
 * A raw JSON-RPC stdio server (run with `bun`) whose tool schemas hold `$ref` loops with no schema in
 * them, which no JSON Schema engine compiles (Ajv overflows its stack): `prop_loop` (a property
 * referring to itself), `defs_loop` (`$defs` A → B → A), `anchor_loop` (an `$anchor` referring to
 * itself), `out_loop` (its outputSchema: the SDK Client compiles it inside `listTools()`); beside
 * `tree` (a recursion through a real schema, which compiles and must stay) and `fine`.
 */
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra })
export const LOOPS = [
  { name: "prop_loop", inputSchema: obj({ x: { $ref: "#/properties/x" } }) },
  { name: "defs_loop", inputSchema: obj({ a: { $ref: "#/$defs/A" } }, { $defs: { A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A", description: "back to A" } } }) },
  { name: "anchor_loop", inputSchema: obj({ y: { $anchor: "why", $ref: "#why" } }) },
  { name: "out_loop", inputSchema: obj({}), outputSchema: obj({ v: { $ref: "#/$defs/V" } }, { $defs: { V: { $ref: "#/$defs/V" } } }) },
]
export const TREE = { name: "tree", inputSchema: obj({ root: { $ref: "#/definitions/n" } }, { definitions: { n: obj({ kids: { type: "array", items: { $ref: "#/definitions/n" } } }) } }) }

if (import.meta.main) {
  serveRawStdio({
    name: "ref-loops",
    tools: [...LOOPS, TREE, { name: "fine", inputSchema: obj({}) }],
    call: (p) => (p?.name === "out_loop" ? { content: [{ type: "text", text: '{"v":1}' }], structuredContent: { v: 1 } } : { content: [{ type: "text", text: `called ${String(p?.name)}` }] }),
  })
}
