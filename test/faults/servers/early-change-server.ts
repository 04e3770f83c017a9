/**
 * @module test/faults/servers/early-change-server
 * A raw JSON-RPC stdio server (run with `bun`) that registers more once initialized, as many real
 * servers do (plugins loaded, a login read): its first answer of each list (tools, prompts,
 * resources) holds one item and is preceded by that list's `list_changed` (it registered more
 * while the list was asked); every later answer holds three. The notification and the answer go
 * out together: an orchestrator that answers its client as soon as the first listing is in gives
 * the one item. `--forever`: it announces a change after every answer of a list too, and each
 * answer holds one item more (a server that never stops changing). `--storm`: from its
 * `notifications/initialized` on it sends `notifications/tools/list_changed` nonstop (a hostile or
 * buggy server), each tools answer one item more.
 */
import { serveRawStdio, type RawServer } from "../../fixtures/servers/raw-stdio.ts"

const storm = process.argv.includes("--storm")
const forever = storm || process.argv.includes("--forever")
const KINDS = { tools: "tools/list", prompts: "prompts/list", resources: "resources/list" } as const
type Kind = keyof typeof KINDS

const item = (kind: Kind, i: number): unknown =>
  kind === "tools" ? { name: `t${i}`, description: `tool ${i}`, inputSchema: { type: "object" } } : kind === "prompts" ? { name: `p${i}`, description: `prompt ${i}` } : { uri: `early://r${i}`, name: `r${i}` }
const items = (kind: Kind, n: number): unknown[] => Array.from({ length: n }, (_, i) => item(kind, i + 1))
const kindOf = (method: string): Kind | undefined => (Object.keys(KINDS) as Kind[]).find((k) => KINDS[k] === method)
const changed = (kind: Kind, send: (m: unknown) => void): void => send({ jsonrpc: "2.0", method: `notifications/${kind}/list_changed` })

const answered: Record<Kind, number> = { tools: 0, prompts: 0, resources: 0 }
const s: RawServer = {
  name: "early-change",
  listChanged: true,
  tools: items("tools", 1),
  prompts: items("prompts", 1),
  resources: items("resources", 1),
  call: (p) => ({ content: [{ type: "text", text: `called ${String(p?.name)}` }] }),
  before(method, send) {
    // nonstop, from its start: as fast as the event loop turns (a setImmediate chain)
    if (storm && method === "notifications/initialized") {
      const again = (): void => {
        changed("tools", send)
        setImmediate(again)
      }
      again()
    }
    const kind = kindOf(method)
    if (kind !== undefined && answered[kind] === 0) changed(kind, send)
  },
  after(method, send) {
    const kind = kindOf(method)
    if (kind === undefined) return
    const n = ++answered[kind]
    s[kind] = items(kind, forever ? n + 1 : 3)
    if (forever) changed(kind, send)
  },
}
serveRawStdio(s)
