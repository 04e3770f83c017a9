/**
 * @module proxy/index-sync
 * Keeps the tool search index (catalog/search) in step with the aggregated tool surface: after a
 * list change, only the servers whose exposed tools differ are re-indexed (`setServer`), servers
 * gone are removed. Checked when a search needs the index, so bursts of list changes cost one
 * pass; and, where searching is how the tools are reached (`proxy.expose` search or code), built
 * ahead once the lists settle (`prepare`): server by server, one turn of the event loop at a time,
 * so the first search does not index the fleet on its call path (≈ 0.7 s for 5 000 tools on a
 * loaded machine) and calls in flight are not held behind the build.
 */
import { trimWhenQuiet } from "../core/index.ts"
import { createToolIndex, type IndexedTool, type ToolIndex } from "../catalog/index.ts"
import type { Named, Route } from "./surface.ts"
import type { Tool } from "./types.ts"

const SIG_KEY = crypto.getRandomValues(new BigUint64Array(1))[0]!

/** How the build ahead (`prepare`) paces itself. */
export interface PrepareTiming {
  /** No list change for this long before the build starts (a start's lists arrive over seconds). */
  settleMs: number
  /** Servers indexed per turn until this much time passed (at least one server per turn). */
  chunkMs: number
}
export const PREPARE_TIMING: PrepareTiming = { settleMs: 1000, chunkMs: 8 }

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
  /** Of the pass under way (it may span several turns, `prepare`): it began with an empty index, it changed the index. */
  private pass: { fromEmpty: boolean; reindexed: boolean } | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private settleAt = 0
  /**
   * A server being indexed over several turns (a list of thousands of tools: 10 000 took seconds
   * in one piece, every other server's calls and pings waiting). Finished before anything else.
   */
  private step: { server: string; tools: Tool[]; sig: bigint; steps: Iterator<void> } | undefined

  /** Brings the index up to date with `surface` (a no-op when it is the surface seen last time). */
  sync(surface: Named<Tool>): ToolIndex {
    this.advance(surface, Infinity)
    return this.index
  }

  /**
   * Brings the index up to date with `surface` a slice at a time (`chunkMs` of work per turn of the
   * event loop): what a search awaits first, so that building it (a fleet, a server of 10 000
   * tools: seconds) does not hold every other call and ping meanwhile.
   */
  async ready(surface: Named<Tool>, chunkMs = PREPARE_TIMING.chunkMs): Promise<void> {
    // (setImmediate: after the I/O waiting, which a timer of 0 ms would not let in on every turn)
    while (!this.advance(surface, chunkMs)) await new Promise<void>((r) => setImmediate(r))
  }

  /** Whether the index is that of `surface` (nothing left to index for it). */
  isCurrent(surface: Named<Tool>): boolean {
    return surface === this.seen
  }

  /**
   * Builds the index ahead of the first search once `prepare` has not been called again for
   * `settleMs`, server by server (see the module comment). Call it at each list change; a search
   * meanwhile finishes the pass itself (`sync`), so it never sees a partial index.
   */
  prepare(current: () => Named<Tool>, timing: PrepareTiming = PREPARE_TIMING): void {
    this.settleAt = performance.now() + timing.settleMs
    if (this.timer !== undefined) return
    const run = (): void => {
      const wait = this.settleAt - performance.now()
      this.timer = undefined
      if (wait > 0 || !this.advance(current(), timing.chunkMs)) {
        this.timer = setTimeout(run, Math.max(0, wait))
        this.timer.unref?.()
      }
    }
    this.timer = setTimeout(run, timing.settleMs)
    this.timer.unref?.()
  }

  /** Indexes the servers of `surface` that changed until `budgetMs` passed (one at least); whether the index is now that of `surface`. */
  private advance(surface: Named<Tool>, budgetMs: number): boolean {
    if (surface === this.seen) return true
    const began = performance.now()
    const pass = (this.pass ??= { fromEmpty: this.index.size === 0, reindexed: false })
    if (!this.stepOn(began, budgetMs)) return false
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
        pass.reindexed = true
        // (in slices: the rest at the next turn, this server first)
        this.step = { server, tools, sig, steps: this.index.settingServer(server, docs) }
        if (!this.stepOn(began, budgetMs)) return false
      } else this.indexed.set(server, { tools, sig })
      // (the rest at the next turn: the servers done are skipped then, their tools unchanged)
      if (performance.now() - began >= budgetMs) return false
    }
    this.seen = surface
    this.pass = undefined
    // indexing a fleet (the first search of 5 000 tools) leaves tens of MiB of tokenizing garbage:
    // given back once the process is quiet, as after a start's lists (core/idle-trim). A build
    // from empty (the first search) is a one-off: it is not held to the trims' minimum interval,
    // which the start's own trim had just begun (qa299: a first search within 60 s of the start
    // kept ~20 MiB of that garbage until the next trim, possibly never)
    if (pass.reindexed) trimWhenQuiet(pass.fromEmpty ? 0 : undefined)
    return true
  }

  /** Indexes the server under way (`step`) until done or `budgetMs` since `began` passed; whether it is done. */
  private stepOn(began: number, budgetMs: number): boolean {
    const st = this.step
    if (st === undefined) return true
    while (!st.steps.next().done) if (performance.now() - began >= budgetMs) return false
    this.step = undefined
    this.indexed.set(st.server, { tools: st.tools, sig: st.sig })
    return true
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
