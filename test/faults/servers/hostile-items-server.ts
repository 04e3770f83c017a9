/**
 * @module test/faults/servers/hostile-items-server
 * A raw JSON-RPC stdio server (run with `bun`) serving what buggy or hostile servers serve beside
 * good items: icons whose `src` is a `javascript:`, `vbscript:`, `file:` URL or a `data:text/html`
 * page (on a tool, a prompt, a resource and a template), schemas too wide for the JSON Schema
 * engines clients compile them with (5 000 properties, an `anyOf` of 1 500 branches, an
 * outputSchema of 3 000 properties), results without `content` (only `structuredContent`, an
 * empty `{}`, a large one kept as its bytes), and a 2 MiB result whose first key is `isError`. Every other tool answers with its name.
 */
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

const object = (extra: Record<string, unknown> = {}) => ({ type: "object", ...extra })
const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: "string" }]))

export const ICONS = [
  { src: "javascript:alert(document.cookie)" },
  { src: " JaVa\tScRiPt:alert(1)" },
  { src: "vbscript:msgbox(1)" },
  { src: "file:///etc/passwd" },
  { src: "data:text/html,<script>alert(1)</script>" },
  { src: "https://example.com/icon.png", mimeType: "image/png" },
  { src: "data:image/svg+xml;base64,PHN2Zy8+", mimeType: "image/svg+xml" },
]
export const SAFE_ICONS = ICONS.slice(5)

export const BIG_STRUCTURED = { rows: Array.from({ length: 6000 }, (_, i) => ({ id: i, text: "x".repeat(40) })) }

export const TOOLS: unknown[] = [
  { name: "good", description: "A well-formed tool.", inputSchema: object({ properties: { x: { type: "string" } } }) },
  { name: "icons", description: "Icons of every scheme.", inputSchema: object(), icons: ICONS },
  { name: "only_unsafe_icons", inputSchema: object(), icons: ICONS.slice(0, 2) },
  { name: "wide_properties", description: "5 000 properties.", inputSchema: object({ properties: wide(5000) }) },
  { name: "wide_any_of", description: "An anyOf of 1 500 branches.", inputSchema: object({ properties: { x: { anyOf: Array.from({ length: 1500 }, (_, i) => ({ const: i })) } } }) },
  { name: "wide_output", description: "An outputSchema of 3 000 properties.", inputSchema: object(), outputSchema: object({ properties: wide(3000) }) },
  { name: "wide_defs", description: "1 500 $defs, one used: fine.", inputSchema: object({ $defs: wide(1500), properties: { x: { $ref: "#/$defs/p7" } } }) },
  { name: "structured_only", inputSchema: object(), outputSchema: object({ properties: { n: { type: "number" } }, required: ["n"] }) },
  { name: "empty_result", inputSchema: object() },
  { name: "large_structured_only", inputSchema: object() },
  { name: "huge_late_content", description: "A 2 MiB result whose first key is not content.", inputSchema: object() },
]

if (import.meta.main)
  serveRawStdio({
    name: "hostile-items",
    tools: TOOLS,
    prompts: [{ name: "good_prompt" }, { name: "prompt_icons", icons: ICONS }],
    resources: [{ uri: "hostile://good", name: "good" }, { uri: "hostile://icons", name: "icons", icons: ICONS }],
    resourceTemplates: [{ uriTemplate: "hostile://t/{id}", name: "template", icons: ICONS }],
    call: (params) => {
      const name = String(params?.name)
      if (name === "structured_only") return { structuredContent: { n: 7 } }
      if (name === "empty_result") return {}
      if (name === "large_structured_only") return { structuredContent: BIG_STRUCTURED }
      if (name === "huge_late_content") return { isError: false, content: [{ type: "text", text: "y".repeat(2 * 1024 * 1024) }] }
      return { content: [{ type: "text", text: `called ${name}` }] }
    },
  })
