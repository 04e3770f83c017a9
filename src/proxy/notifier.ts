/**
 * @module proxy/notifier
 * `list_changed` towards the client: coalesced per kind (one per window), and skipped when the
 * client already received the current list (its signature matches what was last served).
 */
import { errorMessage, type Logger } from "../core/index.ts"
import { Coalescer } from "./coalesce.ts"
import type { ListKind } from "./types.ts"

export class ListChangeNotifier {
  private readonly listeners = new Set<(kind: ListKind) => void>()
  private readonly lastServed = new Map<ListKind, string>()
  private readonly emit: Coalescer<ListKind>

  constructor(
    windowMs: number,
    /** A cheap-enough fingerprint of the current aggregated list of a kind. */
    private readonly signature: (kind: ListKind) => string,
    private readonly log: Logger,
    /** Called at the end of a window with the ms the signature took (the aggregated list is built then). */
    private readonly built?: (kind: ListKind, ms: number) => void,
  ) {
    this.emit = new Coalescer<ListKind>(windowMs, (k) => this.fire(k))
  }

  subscribe(listener: (kind: ListKind) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The list of `kind` may have changed: announce it at the end of the window. */
  changed(kind: ListKind): void {
    this.emit.touch(kind)
  }

  /** The client is being sent the current list of `kind`. */
  served(kind: ListKind): void {
    this.lastServed.set(kind, this.signature(kind))
  }

  clear(): void {
    this.emit.clear()
  }

  private fire(kind: ListKind): void {
    const t0 = performance.now()
    const sig = this.signature(kind)
    this.built?.(kind, performance.now() - t0)
    if (this.lastServed.get(kind) === sig) return
    for (const l of this.listeners) {
      try {
        l(kind)
      } catch (e) {
        this.log.error("list_changed listener failed", { error: errorMessage(e) })
      }
    }
  }
}
