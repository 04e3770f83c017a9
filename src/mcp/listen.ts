/**
 * @module mcp/listen
 * `subscriptions/listen` of the 2026-07-28 era on our faces (stdio and HTTP): the long-lived request
 * through which a modern client gets list-change notifications and resource updates (it gets no
 * unsolicited ones). The first message is `notifications/subscriptions/acknowledged` with the filter
 * we honor; every notification is tagged with the listen request's id. The client ends one with
 * `notifications/cancelled` (HTTP: by closing the stream).
 *
 * `resourceSubscriptions` are relayed: each URI is subscribed at the server owning it, as a legacy
 * client's `resources/subscribe` is (proxy/subscriptions: one downstream subscription per URI, a
 * modern downstream gets its own listen), with one `ClientLink` per listen that turns the
 * downstream's `notifications/resources/updated` into a tagged one on this listen. The acknowledged
 * filter names only the URIs that were subscribed, so it is sent once those subscriptions settled.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/client"
import type { ClientLink, ListKind } from "../proxy/index.ts"
import { redactOutgoing } from "./error-map.ts"
import { MODERN_VERSION, type JsonRpcError } from "./modern-lane.ts"
import type { McpFace } from "./server.ts"

type Id = string | number
const SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId"

/** The list-change filter keys we honor. */
const KINDS: Record<string, ListKind> = { toolsListChanged: "tools", promptsListChanged: "prompts", resourcesListChanged: "resources" }
/** More URIs than this in one listen is a client bug or abuse: refused as invalid params. */
const MAX_URIS = 256

interface Listen {
  /** Kinds whose list changes it gets; empty until acknowledged (nothing goes out before the ack). */
  kinds: Set<ListKind>
  /** URIs subscribed for it (at the owning servers), to unsubscribe when it ends. */
  uris: string[]
  link: ClientLink
  ended: AbortController
  /** The ack went out: updates may follow it. */
  acked: boolean
}

/**
 * Why the list-change members of a listen filter are refused: each one present is a boolean (the
 * schema's `toolsListChanged?: boolean`, as the SDK checks it); null is taken as absent (a client's
 * "nothing", as elsewhere on the faces). Before, `"toolsListChanged": "yes"` (or 1, or "true") was
 * acknowledged as a filter without it: the client, which asked for list changes, never got one and
 * had no error to tell it why. Keys we do not know are left alone (a later revision's): the
 * acknowledged filter names only what is honored.
 */
function filterProblem(f: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(KINDS)) {
    const v = f[key]
    if (v === undefined || v === null || typeof v === "boolean") continue
    const got = Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : typeof v === "string" ? `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}` : String(v)
    return `notifications.${key} must be a boolean (true to get those list changes), got ${got}`
  }
  return undefined
}

export class ListenRegistry {
  private readonly open_ = new Map<Id, Listen>()
  private unlisten?: () => void
  private readonly send: (message: Record<string, unknown>) => void

  /**
   * `send` writes to the listen's stream as it is (stdio: the transport under the face's redaction
   * point; HTTP: the SSE stream): every message goes through `redactOutgoing` here, as what the face
   * writes does. Before, a downstream's resource update reached a modern client with the server's
   * URI, a configured key in its query and all.
   */
  constructor(
    private readonly face: Pick<McpFace, "onListChanged"> & Partial<Pick<McpFace, "subscribeResource" | "unsubscribeResource">>,
    send: (message: Record<string, unknown>) => void,
  ) {
    this.send = (message) => send(redactOutgoing(message as JSONRPCMessage) as Record<string, unknown>)
  }

  /** Opens listen `id` with the client's filter; an error when the filter is not valid. */
  open(id: Id, filter: unknown): JsonRpcError | undefined {
    if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
      return { code: -32602, message: "Invalid params: subscriptions/listen needs params.notifications (object)" }
    }
    const f = filter as Record<string, unknown>
    const uris = f.resourceSubscriptions
    if (uris !== undefined && (!Array.isArray(uris) || uris.length > MAX_URIS || !uris.every((u) => typeof u === "string"))) {
      return { code: -32602, message: `Invalid params: notifications.resourceSubscriptions must be an array of at most ${MAX_URIS} URI strings` }
    }
    const odd = filterProblem(f)
    if (odd) return { code: -32602, message: `Invalid params: ${odd}` }
    const kinds = new Set<ListKind>()
    const honored: Record<string, unknown> = {}
    for (const [key, kind] of Object.entries(KINDS)) {
      if (f[key] === true) {
        kinds.add(kind)
        honored[key] = true
      }
    }
    const listen: Listen = { kinds: new Set(), uris: [], link: this.linkFor(id), ended: new AbortController(), acked: false }
    this.open_.set(id, listen)
    this.unlisten ??= this.face.onListChanged((kind) => this.changed(kind))
    const wanted = [...new Set((uris as string[] | undefined) ?? [])]
    if (wanted.length === 0 || !this.face.subscribeResource) {
      this.acknowledge(id, listen, kinds, honored)
      return undefined
    }
    void this.subscribeAll(listen, wanted).then((ok) => {
      if (this.open_.get(id) !== listen) return // ended while subscribing: subscribeAll undid them
      if (ok.length > 0) honored.resourceSubscriptions = ok
      this.acknowledge(id, listen, kinds, honored)
    })
    return undefined
  }

  /** The client cancelled request `id`: true when it was a listen. */
  end(id: Id): boolean {
    const listen = this.open_.get(id)
    if (!listen) return false
    this.open_.delete(id)
    this.release(listen)
    return true
  }

  close(): void {
    for (const l of this.open_.values()) this.release(l)
    this.open_.clear()
    this.unlisten?.()
    this.unlisten = undefined
  }

  private acknowledge(id: Id, listen: Listen, kinds: Set<ListKind>, honored: Record<string, unknown>): void {
    this.send({ jsonrpc: "2.0", method: "notifications/subscriptions/acknowledged", params: { notifications: honored, _meta: { [SUBSCRIPTION_ID]: id } } })
    listen.kinds = kinds
    listen.acked = true
  }

  /** Subscribes each URI at its server; the ones that worked (a URI nobody serves, or whose server cannot subscribe, is left out). */
  private async subscribeAll(listen: Listen, uris: string[]): Promise<string[]> {
    const results = await Promise.allSettled(uris.map((u) => this.face.subscribeResource!(u, listen.link, listen.ended.signal)))
    const ok = uris.filter((_, i) => results[i]!.status === "fulfilled")
    listen.uris = ok
    if (listen.ended.signal.aborted) this.unsubscribe(listen)
    return ok
  }

  private release(listen: Listen): void {
    listen.ended.abort()
    this.unsubscribe(listen)
  }

  private unsubscribe(listen: Listen): void {
    for (const uri of listen.uris.splice(0)) void this.face.unsubscribeResource?.(uri, listen.link).catch(() => {})
  }

  /** This listen as the proxy sees it: the subscriber of its URIs, whose updates go out tagged with its id. */
  private linkFor(id: Id): ClientLink {
    return {
      capabilities: () => undefined,
      protocolVersion: () => MODERN_VERSION,
      request: (method) => Promise.reject(new Error(`${method} cannot be sent to a 2026-07-28 client`)),
      notify: (method, params) => {
        const listen = this.open_.get(id)
        if (method === "notifications/resources/updated" && listen?.acked === true && !listen.ended.signal.aborted) {
          this.send({ jsonrpc: "2.0", method, params: { ...params, _meta: { ...(params?._meta as object | undefined), [SUBSCRIPTION_ID]: id } } })
        }
        return Promise.resolve()
      },
      modern: true,
    }
  }

  private changed(kind: ListKind): void {
    for (const [id, l] of this.open_) {
      if (l.kinds.has(kind)) this.send({ jsonrpc: "2.0", method: `notifications/${kind}/list_changed`, params: { _meta: { [SUBSCRIPTION_ID]: id } } })
    }
  }
}
