/**
 * @module test/faults/servers/odd-definitions-server
 * A raw JSON-RPC stdio server (run with `bun`) listing tool definitions real servers send that
 * clients' schema engines choke on (Ajv draft-07 / 2020-12 as editors and the SDK clients compile
 * them, model APIs that refuse a whole request for one invalid `input_schema`): `$ref`s to missing
 * or remote definitions, Python regular expressions, keywords with values of the wrong type, an
 * enum listing a value twice, `type: ["object", "null"]` at the root, draft-07 `items: []`, a
 * non-string `$schema`, properties whose schemas are no schemas (`"a": "string"`, `5`, `null`,
 * `properties: []`), and next to them ordinary tools and a few real servers' definitions
 * (test/fixtures/tool-defs). Every tool answers with its name; a tool with an `outputSchema`
 * answers `structuredContent` of the shape it declares.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

const o = { type: "object" }

/** Tools clients read as they are. */
export const PLAIN: unknown[] = [
  { name: "plain_echo", description: "Echo.", inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } },
  { name: "plain_out", description: "Typed result.", inputSchema: o, outputSchema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] } },
  { name: "plain_recursive", description: "A tree.", inputSchema: { type: "object", properties: { n: { $ref: "#/$defs/node" } }, $defs: { node: { type: "object", properties: { kids: { type: "array", items: { $ref: "#/$defs/node" } } } } } } },
  { name: "plain_self", description: "Refers to its root.", inputSchema: { type: "object", properties: { self: { $ref: "#" } } } },
  { name: "plain_unknown_format", description: "A format Ajv does not know.", inputSchema: { type: "object", properties: { a: { type: "string", format: "python-regex" } } } },
  { name: "plain_huge_enum", description: "5 000 values.", inputSchema: { type: "object", properties: { a: { type: "string", enum: Array.from({ length: 5000 }, (_, i) => `v${i}`) } } } },
  { name: "plain.dotted", description: "A dot in the name.", inputSchema: o },
  { name: "ünïcode_tööl", description: "Unicode in the name.", inputSchema: o },
  { name: "plain_draft4", description: "draft-04 bounds.", inputSchema: { $schema: "http://json-schema.org/draft-04/schema#", type: "object", properties: { a: { type: "number", minimum: 0, exclusiveMinimum: true } } } },
  { name: "get.user", description: "Collides with get_user once sanitized.", inputSchema: o },
  { name: "get_user", description: "Collides with get.user.", inputSchema: o },
  { name: "plain_odd_fields", title: { en: "Title" }, description: 42, inputSchema: o, annotations: { readOnlyHint: "yes", title: 5 }, _meta: [1, 2], icons: "none" },
  { name: "plain_meta", description: "Namespaced _meta.", inputSchema: o, _meta: { "io.example/x": { deep: [null, { a: 1 }] }, progressToken: 5 } },
  { name: "plain_2020", description: "Declares 2020-12.", inputSchema: { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", properties: { a: { type: "array", prefixItems: [{ type: "string" }] } } } },
]

/** Tools whose schemas no client engine compiles as sent: each must be listed, repaired. */
export const ODD: unknown[] = [
  { name: "odd_ref_missing", description: "A $ref to a definition it does not have.", inputSchema: { type: "object", properties: { a: { $ref: "#/$defs/nope", description: "a" }, b: { $ref: "#/definitions/gone" } } } },
  { name: "odd_ref_remote", description: "A $ref to a URL.", inputSchema: { type: "object", properties: { a: { $ref: "https://example.com/schemas/a.json" } } } },
  { name: "odd_py_named", description: "A Python named group.", inputSchema: { type: "object", properties: { date: { type: "string", pattern: "^(?P<year>\\d{4})-(?P<month>\\d{2})\\Z" } } } },
  { name: "odd_py_possessive", description: "A possessive quantifier.", inputSchema: { type: "object", properties: { a: { type: "string", pattern: "^a++b$" } } } },
  { name: "odd_py_flags", description: "An inline flag.", inputSchema: { type: "object", properties: { a: { type: "string", pattern: "(?i)^abc$" } }, patternProperties: { "(?P<k>^x_)": { type: "string" } } } },
  { name: "odd_wrong_types", description: "Keywords with values of the wrong type.", inputSchema: { type: "object", properties: { a: { type: "string", minLength: "3", description: { en: "a" }, title: 5 }, b: { type: "integer64" }, c: { type: "object", required: true, properties: [] }, d: { enum: "x" }, e: { type: "array", items: "string" }, f: { anyOf: [] }, g: { type: "number", multipleOf: 0 } }, additionalProperties: "no", allOf: { a: 1 } } },
  { name: "odd_dup_enum", description: "An enum listing a value twice.", inputSchema: { type: "object", properties: { mode: { type: "string", enum: ["r", "w", "r"] } } } },
  { name: "odd_nullable_root", description: "pydantic's Optional model.", inputSchema: { type: ["object", "null"], properties: { a: { type: "string" } } } },
  { name: "odd_empty_tuple", description: "draft-07 items: [].", inputSchema: { type: "object", properties: { a: { type: "array", items: [] } } } },
  { name: "odd_schema_number", description: "A $schema that is no string.", inputSchema: { $schema: 7, type: "object" } },
  { name: "odd_defs_bad", description: "A $defs entry that is no schema.", inputSchema: { type: "object", $defs: { a: 5 }, properties: { x: { type: "string" } } } },
  { name: "odd_draft4_id", description: "draft-04's id (Ajv 8 refuses it).", inputSchema: { id: "http://example.com/schemas/s", type: "object", properties: { id: { type: "string" } } } },
  { name: "odd_http_2020", description: "2020-12 spelled with http.", inputSchema: { $schema: "http://json-schema.org/draft/2020-12/schema", type: "object" } },
  { name: "odd_enum_empty", description: "An empty enum; an anchor defined twice.", inputSchema: { type: "object", properties: { a: { enum: [] }, b: { $anchor: "x" }, c: { $anchor: "x" } } } },
  { name: "odd_array_no_items", description: "Arrays without items (VS Code refuses the server, OpenAI the request).", inputSchema: { type: "object", properties: { tags: { type: "array" }, grid: { type: "array", items: { type: "array" } }, opt: { type: ["array", "null"] }, any: { anyOf: [{ type: "array" }, { type: "string" }] } } } },
  { name: "odd_out_py", description: "An output schema with a Python pattern.", inputSchema: o, outputSchema: { type: "object", properties: { id: { type: "string", pattern: "^(?P<id>\\d+)\\Z" } }, required: ["id"] } },
  { name: "odd_out_ref", description: "An output schema with a $ref to nothing.", inputSchema: o, outputSchema: { type: "object", properties: { v: { $ref: "#/$defs/missing" } }, required: ["v"] } },
  // a property whose schema is no schema, at the root and deeper (each used to drop the tool, or the argument)
  { name: "odd_prop_junk", description: "Properties whose schemas are no schemas.", inputSchema: { type: "object", properties: { a: "string", b: 5, c: null, d: [{ type: "string" }], e: { type: "object", properties: { f: "integer", g: null } } }, required: ["a"] } },
  { name: "odd_props_list", description: "properties is a list.", inputSchema: { type: "object", properties: [] } },
  { name: "odd_out_prop_junk", description: "An output property whose schema is no schema.", inputSchema: o, outputSchema: { type: "object", properties: { n: "number", x: null } } },
]

/** A tool nothing can be done with: dropped alone. */
export const DROPPED: unknown[] = [{ name: "bad_string_root", description: "Its input is a string.", inputSchema: { type: "string" } }]

/** Real servers' definitions (a few of each fixture file). */
export const REAL: unknown[] = ["github.json", "filesystem.json", "git.json", "atlassian.json"].flatMap((f) =>
  (JSON.parse(readFileSync(join(import.meta.dir, "..", "..", "fixtures", "tool-defs", f), "utf8")) as unknown[]).slice(0, 6),
)

/** structuredContent per tool with an outputSchema, of the shape it declares. */
export const STRUCTURED: Record<string, object> = { plain_out: { n: 3 }, odd_out_py: { id: "123" }, odd_out_ref: { v: { any: "thing" } }, odd_out_prop_junk: { n: 1, x: ["any"] } }

export const TOOLS: unknown[] = [...PLAIN, ...ODD, ...DROPPED, ...REAL]

if (import.meta.main)
  serveRawStdio({
    name: "odd-definitions",
    tools: TOOLS,
    call: (params) => {
      const name = String(params?.name)
      const structured = STRUCTURED[name]
      return { content: [{ type: "text", text: `called ${name}` }], ...(structured ? { structuredContent: structured } : {}) }
    },
  })
