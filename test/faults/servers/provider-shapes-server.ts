/**
 * @module test/faults/servers/provider-shapes-server
 * A raw JSON-RPC stdio server (run with `bun`) listing valid tool schemas that model APIs refuse
 * (a provider refuses the whole request for one of them): `$ref`s into `$defs` (pydantic's nested
 * models), a recursive `$ref`, a `$ref` to the root and to a sibling property (zod-to-json-schema),
 * `propertyNames` (zod 4's `z.record`), a top-level `anyOf`/`oneOf`, `const`; next to a plain tool.
 * Every call answers its tool's name and its arguments as JSON text, so a test sees what arrived.
 */
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

export const SHAPES: Record<string, Record<string, unknown>> = {
  plain: { type: "object", properties: { q: { type: "string", format: "uri" } }, required: ["q"], additionalProperties: false },
  ref_defs: { type: "object", properties: { user: { $ref: "#/$defs/User" } }, required: ["user"], $defs: { User: { type: "object", properties: { id: { type: "string" }, tags: { type: "array", items: { $ref: "#/$defs/Tag" } } }, required: ["id"] }, Tag: { type: "string", enum: ["a", "b"] } } },
  ref_recursive: { type: "object", properties: { tree: { $ref: "#/$defs/node" } }, $defs: { node: { type: "object", description: "A node.", properties: { value: { type: "number" }, kids: { type: "array", items: { $ref: "#/$defs/node" } } } } } },
  ref_root: { type: "object", properties: { x: { type: "string" }, again: { $ref: "#" } } },
  ref_sibling: { type: "object", properties: { from: { type: "object", properties: { city: { type: "string" } } }, to: { $ref: "#/properties/from", description: "Where to." } } },
  record: { type: "object", properties: { labels: { type: "object", propertyNames: { type: "string" }, additionalProperties: { type: "string" } } } },
  root_any_of: { type: "object", anyOf: [{ properties: { path: { type: "string" } }, required: ["path"] }, { properties: { url: { type: "string" } }, required: ["url"] }] },
  // Gemini refuses a required name its properties do not define ("required[0]: property is not defined")
  required_undefined: { type: "object", properties: { a: { type: "string" }, nested: { type: "object", properties: { b: { type: "string" } }, required: ["b", "ghost"] } }, required: ["a", "missing"] },
  required_no_props: { type: "object", required: ["x"] },
  root_one_of: { type: "object", properties: { mode: { type: "string" } }, oneOf: [{ properties: { mode: { const: "fast" }, n: { type: "integer" } } }, { properties: { mode: { const: "slow" }, delay: { type: "number" } } }] },
}

if (import.meta.main)
  serveRawStdio({
    name: "provider-shapes",
    tools: Object.entries(SHAPES).map(([name, inputSchema]) => ({ name, description: `The ${name} tool.`, inputSchema })),
    call: (params) => ({ content: [{ type: "text", text: JSON.stringify({ name: params?.name, arguments: params?.arguments ?? null }) }] }),
  })
