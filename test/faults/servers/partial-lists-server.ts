/**
 * @module test/faults/servers/partial-lists-server
 * A raw JSON-RPC stdio server (run with `bun`) whose prompts, resources and resource templates
 * lists are answered each its own way, for the tests of one list failing (or answered with no
 * list, as a hand-written server's catch-all `result: {}` does) while the server's other lists are
 * fine. Declares tools, prompts, resources and completions. `resources/read` answers any URI
 * (`read <uri>`), `completion/complete` answers `[<ref uri or name>]`, tool `flip` switches every
 * list to its `--then-…` answer and announces prompts and resources `list_changed`. Flags:
 *   --prompts SHAPE, --resources SHAPE, --templates SHAPE   the list's answer (default ok)
 *   --then-prompts SHAPE, --then-resources SHAPE, --then-templates SHAPE   its answer after `flip`
 *                                                                         (default: as before)
 *   --name NAME   the URI scheme and item names' prefix (default sc)
 * SHAPE: ok (one item: prompt `greet`, resource `NAME://r`, template `NAME://t/{x}`), ok2 (another
 * item: `bye`, `NAME://r2`, `NAME://u/{y}`), missing (`{}`), string (`{"<field>":"nope"}`),
 * notfound (JSON-RPC error -32601), hang (never answered), repeat (the `ok` item, and always the
 * same `nextCursor`: a cursor that loops back to the page it came from), many (three pages of
 * 4 000 items each: 12 000, past the item cap), fat (five pages of one item with a 12 MB
 * description each: 60 MB, past the size cap).
 */
import { createInterface } from "node:readline"

const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
const scheme = flag("--name") ?? "sc"

type Kind = "prompts" | "resources" | "templates"
const shapes: Record<Kind, string> = { prompts: flag("--prompts") ?? "ok", resources: flag("--resources") ?? "ok", templates: flag("--templates") ?? "ok" }
const then: Record<Kind, string> = { prompts: flag("--then-prompts") ?? shapes.prompts, resources: flag("--then-resources") ?? shapes.resources, templates: flag("--then-templates") ?? shapes.templates }

const FIELD: Record<Kind, string> = { prompts: "prompts", resources: "resources", templates: "resourceTemplates" }
const ITEMS: Record<Kind, Record<"ok" | "ok2", unknown>> = {
  prompts: { ok: { name: "greet", description: "Says hello." }, ok2: { name: "bye", description: "Says goodbye." } },
  resources: { ok: { uri: `${scheme}://r`, name: "r" }, ok2: { uri: `${scheme}://r2`, name: "r2" } },
  templates: { ok: { uriTemplate: `${scheme}://t/{x}`, name: "t" }, ok2: { uriTemplate: `${scheme}://u/{y}`, name: "u" } },
}

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}

function answerList(id: unknown, kind: Kind, cursor?: string): void {
  const shape = shapes[kind]
  if (shape === "ok" || shape === "ok2") return send({ jsonrpc: "2.0", id, result: { [FIELD[kind]]: [ITEMS[kind][shape]] } })
  if (shape === "missing") return send({ jsonrpc: "2.0", id, result: {} })
  if (shape === "string") return send({ jsonrpc: "2.0", id, result: { [FIELD[kind]]: "nope" } })
  if (shape === "notfound") return send({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } })
  if (shape === "hang") return
  if (shape === "many") {
    const page = Number(cursor ?? 0)
    const items = Array.from({ length: 4000 }, (_, i) => {
      const n = `${page}_${i}`
      return kind === "prompts" ? { name: `p${n}` } : kind === "resources" ? { uri: `${scheme}://m/${n}`, name: n } : { uriTemplate: `${scheme}://m${n}/{x}`, name: n }
    })
    return send({ jsonrpc: "2.0", id, result: { [FIELD[kind]]: items, ...(page < 2 ? { nextCursor: String(page + 1) } : {}) } })
  }
  if (shape === "fat") {
    const page = Number(cursor ?? 0)
    const description = "f".repeat(12_000_000)
    const item = kind === "prompts" ? { name: `fat${page}`, description } : kind === "resources" ? { uri: `${scheme}://fat/${page}`, name: `fat${page}`, description } : { uriTemplate: `${scheme}://fat${page}/{x}`, name: `fat${page}`, description }
    return send({ jsonrpc: "2.0", id, result: { [FIELD[kind]]: [item], ...(page < 4 ? { nextCursor: String(page + 1) } : {}) } })
  }
  if (shape === "repeat") return send({ jsonrpc: "2.0", id, result: { [FIELD[kind]]: [ITEMS[kind].ok], nextCursor: "again" } })
  throw new Error(`unknown shape ${shape}`)
}

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: string | number; method?: string; params?: Record<string, unknown> }
  if (id === undefined || method === undefined) return
  if (method === "initialize") {
    const capabilities = { tools: {}, prompts: { listChanged: true }, resources: { listChanged: true }, completions: {} }
    return send({ jsonrpc: "2.0", id, result: { protocolVersion: params!.protocolVersion, capabilities, serverInfo: { name: "partial-lists-server", version: "1.0.0" } } })
  }
  if (method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
  if (method === "tools/list") return send({ jsonrpc: "2.0", id, result: { tools: [{ name: "flip", description: "Lists change.", inputSchema: { type: "object" } }] } })
  if (method === "prompts/list") return answerList(id, "prompts", params?.cursor as string | undefined)
  if (method === "resources/list") return answerList(id, "resources", params?.cursor as string | undefined)
  if (method === "resources/templates/list") return answerList(id, "templates", params?.cursor as string | undefined)
  if (method === "resources/read") {
    const uri = String(params!.uri)
    return send({ jsonrpc: "2.0", id, result: { contents: [{ uri, mimeType: "text/plain", text: `read ${uri}` }] } })
  }
  if (method === "completion/complete") {
    const ref = params!.ref as { uri?: string; name?: string }
    return send({ jsonrpc: "2.0", id, result: { completion: { values: [String(ref.uri ?? ref.name)], hasMore: false } } })
  }
  if (method === "tools/call") {
    Object.assign(shapes, then)
    send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "flipped" }] } })
    send({ jsonrpc: "2.0", method: "notifications/prompts/list_changed" })
    send({ jsonrpc: "2.0", method: "notifications/resources/list_changed" })
    return
  }
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } })
})
