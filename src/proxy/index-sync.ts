/**
 * @module proxy/index-sync
 * Keeps the tool search index (catalog/search) in step with the aggregated tool surface: after a
 * list change, only the servers whose exposed tools differ are re-indexed (`setServer`), servers
 * gone are removed. Checked lazily, when a search needs the index, so bursts of list changes cost
 * one pass.
 */
import { trimWhenQuiet } from "../core/index.ts"
import { createToolIndex, type IndexedTool, type ToolIndex } from "../catalog/index.ts"
import type { Named, Route } from "./surface.ts"
import type { Tool } from "./types.ts"

const SIG_KEY = crypto.getRandomValues(new BigUint64Array(1))[0]!

export class IndexSync {
  private made: ToolIndex | undefined
  /** `index`: the index to keep (default: one made at the first search, catalog/createToolIndex loads the search modules then). */
  constructor(index?: ToolIndex) {
    this.made = index
  }

  get index(): ToolIndex {
    return (this.made ??= createToolIndex())
  }
  /**
   * Per server: its exposed tools (the surface's objects) and a keyed 64-bit hash of their indexed
   * JSON. Not the JSON itself: with the input schemas it is about the size of the server's whole
   * listing (4.5 MB for 50 × 100 recorded tools), kept for the rest of the run after the first search.
   */
  private readonly indexed = new Map<string, { tools: Tool[]; sig: bigint }>()
  private seen: Named<Tool> | undefined

  /** Brings the index up to date with `surface` (a no-op when it is the surface seen last time). */
  sync(surface: Named<Tool>): ToolIndex {
    if (surface === this.seen) return this.index
    this.seen = surface
    const fromEmpty = this.index.size === 0
    const byServer = new Map<string, Tool[]>()
    for (const t of surface.items) {
      const r: Route | undefined = surface.routes.get(t.name)
      if (!r) continue
      let list = byServer.get(r.server)
      if (!list) byServer.set(r.server, (list = []))
      list.push(t)
    }
    for (const server of [...this.indexed.keys()]) {
      if (byServer.has(server)) continue
      this.index.removeServer(server)
      this.indexed.delete(server)
    }
    let reindexed = false
    for (const [server, tools] of byServer) {
      // the surface hands out the same definition objects for a server whose list did not change
      // (proxy/surface): those are not serialised again
      const known = this.indexed.get(server)
      if (known && known.tools.length === tools.length && known.tools.every((t, i) => t === tools[i])) continue
      const docs = tools.map((t) => indexed(t, surface.routes.get(t.name)!))
      // a relist that hands out new objects with the same content is not re-indexed; the key is
      // drawn per process, so a server cannot craft a changed list that passes for the old one
      const sig = BigInt(Bun.hash.wyhash(JSON.stringify(docs), SIG_KEY))
      if (known?.sig !== sig) {
        this.index.setServer(server, docs)
        reindexed = true
      }
      this.indexed.set(server, { tools, sig })
    }
    // indexing a fleet (the first search of 5 000 tools) leaves tens of MiB of tokenizing garbage:
    // given back once the process is quiet, as after a start's lists (core/idle-trim). A build
    // from empty (the first search) is a one-off: it is not held to the trims' minimum interval,
    // which the start's own trim had just begun (qa299: a first search within 60 s of the start
    // kept ~20 MiB of that garbage until the next trim, possibly never)
    if (reindexed) trimWhenQuiet(fromEmpty ? 0 : undefined)
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
