/**
 * @module proxy/index-sync
 * Keeps the tool search index (catalog/search) in step with the aggregated tool surface: after a
 * list change, only the servers whose exposed tools differ are re-indexed (`setServer`), servers
 * gone are removed. Checked lazily, when a search needs the index, so bursts of list changes cost
 * one pass.
 */
import { createToolIndex, type IndexedTool, type ToolIndex } from "../catalog/index.ts"
import type { Named, Route } from "./surface.ts"
import type { Tool } from "./types.ts"

export class IndexSync {
  constructor(readonly index: ToolIndex = createToolIndex()) {}
  /** Per server: the JSON of its exposed tools as last indexed. */
  private readonly indexed = new Map<string, string>()
  private seen: Named<Tool> | undefined

  /** Brings the index up to date with `surface` (a no-op when it is the surface seen last time). */
  sync(surface: Named<Tool>): ToolIndex {
    if (surface === this.seen) return this.index
    this.seen = surface
    const byServer = new Map<string, IndexedTool[]>()
    for (const t of surface.items) {
      const r: Route | undefined = surface.routes.get(t.name)
      if (!r) continue
      let list = byServer.get(r.server)
      if (!list) byServer.set(r.server, (list = []))
      list.push(indexed(t, r))
    }
    for (const server of [...this.indexed.keys()]) {
      if (byServer.has(server)) continue
      this.index.removeServer(server)
      this.indexed.delete(server)
    }
    for (const [server, tools] of byServer) {
      const sig = JSON.stringify(tools)
      if (this.indexed.get(server) === sig) continue
      this.index.setServer(server, tools)
      this.indexed.set(server, sig)
    }
    return this.index
  }
}

function indexed(t: Tool, r: Route): IndexedTool {
  const doc: IndexedTool = { name: t.name, server: r.server, tool: r.name }
  if (t.title !== undefined) doc.title = t.title
  if (t.description !== undefined) doc.description = t.description
  if (t.inputSchema !== undefined) doc.inputSchema = t.inputSchema as Record<string, unknown>
  if (t.annotations !== undefined) doc.annotations = t.annotations as Record<string, unknown>
  return doc
}
