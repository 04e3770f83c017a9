/**
 * @module proxy/first-start
 * A server's first start ever: its definition has no tool list in the store and nothing noted
 * about it (proxy/silence: no silence, no failure, no earlier listing). A new user's first
 * tools/list would otherwise wait `proxy.listWait` (5 s) for it, and servers started with `npx`
 * (6–20 s cold on a small machine, longer while npm downloads) came after that answer, by
 * list_changed, which Cursor ignores: the user's first session showed none of their tools. So while
 * such a start is under way (nothing failed in this run), lists wait for it up to
 * `proxy.firstListWait` (proxy/list-waits counts it once per run), never past the server's own
 * connect budget (the pool fails the start then) nor past FIRST_WAIT_CAP_MS with `listWait` (the
 * listing after the start): a client's request times out at 60 s (the MCP SDK's default, Cursor's),
 * and nothing is sent meanwhile. Said once per server in the log, with why.
 * Only servers whose stored entries were read at start (`read`) qualify: without a store (or one that
 * could not be read) every start would be a first one, and a server that never finishes its start
 * would hold every start's first answer.
 */
import type { Logger } from "../core/index.ts"

/** A first start is waited for at most this long together with proxy.listWait (below a client's 60 s request timeout). */
export const FIRST_WAIT_CAP_MS = 55_000

export interface FirstStartState {
  /** The server (configured, or the Toolkit gateway) has no tool list in this run. */
  unlisted: boolean
  /** Its session: state and last error (none yet: undefined). */
  state: string | undefined
  failed: boolean
  /** Its connect budget: servers.NAME.connectTimeout, else pool.connectTimeout. */
  connectTimeout: number
  listWait: number
  firstListWait: number
}

export class FirstStarts {
  /** Servers whose stored entries said nothing at start (no list, no note): first starts ever. */
  private readonly never = new Set<string>()
  private readonly said = new Set<string>()

  constructor(private readonly log: Logger) {}

  /** Its stored entries were read: `nothing` when there was no tool list and no note for its definition. */
  read(server: string, nothing: boolean): void {
    if (nothing) this.never.add(server)
    else this.never.delete(server)
  }

  /** Removed (a reload, the Toolkit): a server of that name added later is new only if its stored entries say so (`read` again). */
  forget(server: string): void {
    this.never.delete(server)
  }

  /** How long lists wait for its start, if this is its first start ever and still may succeed; else undefined (proxy.listWait). */
  bound(server: string, s: FirstStartState): number | undefined {
    if (!this.never.has(server) || !s.unlisted || s.failed) return undefined
    if (s.state !== undefined && s.state !== "idle" && s.state !== "starting") return undefined
    const ms = Math.min(s.firstListWait, s.connectTimeout, FIRST_WAIT_CAP_MS - s.listWait)
    return ms > s.listWait ? ms : undefined
  }

  /**
   * How long lists wait for a dynamic source's first decision about `server` (the Toolkit probe) when
   * nothing of it is stored: as for its first start (sharing that bound), said once; else undefined.
   */
  decision(server: string, s: FirstStartState): number | undefined {
    const ms = Math.min(s.firstListWait, FIRST_WAIT_CAP_MS - s.listWait)
    if (ms <= s.listWait) return undefined
    if (!this.said.has(server)) {
      this.said.add(server)
      this.log.info("waiting for the first start of a server that has never listed its tools (proxy.firstListWait, not proxy.listWait): a new setup's first answer has its tools", { server, waitMs: ms, why: "nothing is stored for it yet, and it is still being probed (the Docker MCP Toolkit: which servers are enabled)" })
    }
    return ms
  }

  /** `bound`, said once per server when a list waits with it. */
  waited(server: string, s: FirstStartState): number | undefined {
    const ms = this.bound(server, s)
    if (ms !== undefined && !this.said.has(server)) {
      this.said.add(server)
      this.log.info("waiting for the first start of a server that has never listed its tools (proxy.firstListWait, not proxy.listWait): a new setup's first answer has its tools", {
        server,
        waitMs: ms,
        why: "no tool list is stored for its definition yet; a first start (npx fetching a package) can take longer than proxy.listWait, and a client such as Cursor keeps its first tools/list answer for the whole session",
      })
    }
    return ms
  }
}
