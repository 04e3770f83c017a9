/**
 * @module mcp/listen
 * `subscriptions/listen` of the 2026-07-28 era on our stdio face: the long-lived request through which
 * a modern client gets list-change notifications (it gets no unsolicited ones). The first message is
 * `notifications/subscriptions/acknowledged` with the filter we honor; every notification is tagged
 * with the listen request's id. The client ends one with `notifications/cancelled`.
 */
import type { ListKind } from "../proxy/index.ts"
import type { JsonRpcError } from "./modern-lane.ts"
import type { McpFace } from "./server.ts"

type Id = string | number
const SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId"

/** The filter keys we honor (resource subscriptions are not relayed in this era yet). */
const KINDS: Record<string, ListKind> = { toolsListChanged: "tools", promptsListChanged: "prompts", resourcesListChanged: "resources" }

export class ListenRegistry {
  private readonly open_ = new Map<Id, Set<ListKind>>()
  private unlisten?: () => void

  constructor(
    private readonly face: Pick<McpFace, "onListChanged">,
    private readonly send: (message: Record<string, unknown>) => void,
  ) {}

  /** Opens listen `id` with the client's filter; an error when the filter is not an object. */
  open(id: Id, filter: unknown): JsonRpcError | undefined {
    if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
      return { code: -32602, message: "Invalid params: subscriptions/listen needs params.notifications (object)" }
    }
    const kinds = new Set<ListKind>()
    const honored: Record<string, boolean> = {}
    for (const [key, kind] of Object.entries(KINDS)) {
      if ((filter as Record<string, unknown>)[key] === true) {
        kinds.add(kind)
        honored[key] = true
      }
    }
    this.open_.set(id, kinds)
    this.unlisten ??= this.face.onListChanged((kind) => this.changed(kind))
    this.send({ jsonrpc: "2.0", method: "notifications/subscriptions/acknowledged", params: { notifications: honored, _meta: { [SUBSCRIPTION_ID]: id } } })
    return undefined
  }

  /** The client cancelled request `id`: true when it was a listen. */
  end(id: Id): boolean {
    return this.open_.delete(id)
  }

  close(): void {
    this.open_.clear()
    this.unlisten?.()
    this.unlisten = undefined
  }

  private changed(kind: ListKind): void {
    for (const [id, kinds] of this.open_) {
      if (kinds.has(kind)) this.send({ jsonrpc: "2.0", method: `notifications/${kind}/list_changed`, params: { _meta: { [SUBSCRIPTION_ID]: id } } })
    }
  }
}
