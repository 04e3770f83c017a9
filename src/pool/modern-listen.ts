/**
 * @module pool/modern-listen
 * The list-change `subscriptions/listen` of one 2026-07-28 connection, whatever its transport: when it
 * is re-opened and whether list changes are followed right now. A listen the server answers with an
 * error before ever acknowledging one is a refusal (asking again would be refused again). Once one was
 * acknowledged, any end (an error, a `complete` result, a closed stream, a restart) is re-opened,
 * paced: RELISTEN_MS × 2ⁿ up to RELISTEN_CAP_MS (a server that errors at every listen is asked about
 * twice a minute, not in a loop); the pace starts over after a listen that stayed open that long.
 * While no listen is acknowledged the lists are not followed (`following` is false: the proxy falls
 * back to the lists' `ttlMs`), and a listen acknowledged again after one had ended tells `resumed`
 * (changes made meanwhile were never announced: the lists are read again). So does the first
 * acknowledgement when a list was asked for before it over a transport whose requests the server may
 * handle in any order (HTTP: one POST each): that list may predate the listen, and a change made
 * between the two would never be announced (the client keeps that list for the whole session).
 */
import { errorMessage, type Logger } from "../core/index.ts"
import { restartDelay } from "./backoff.ts"

/** A listen stream that ended is re-opened after this long at first (and not more often). */
export const RELISTEN_MS = 2000
/** The longest wait before re-opening a listen (a server that ends every listen). */
export const RELISTEN_CAP_MS = 30_000

export class ListenKeeper {
  private acknowledgedOnce = false
  private up = false
  private attempt = 0
  private openedAt = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopped = false
  /** A list was asked for while no listen had been acknowledged yet (`listing`). */
  private listedUnfollowed = false

  constructor(
    /** Opens the listen (again); it reports back through `acknowledged` and `ended`. */
    private readonly open: () => void,
    /** A listen was acknowledged again after one had ended: what changed meanwhile is unknown. */
    private readonly resumed: () => void,
    private readonly log: Logger,
    private readonly isClosed: () => boolean,
  ) {}

  /** Whether an acknowledged listen is open now (list changes reach us). */
  get following(): boolean {
    return this.up
  }

  start(): void {
    if (!this.stopped && !this.isClosed()) this.open()
  }

  /**
   * A list is being asked for. Before the first acknowledgement, over a transport where the server
   * may answer it before it registered the listen (HTTP), that acknowledgement reads the lists again.
   */
  listing(): void {
    if (!this.acknowledgedOnce) this.listedUnfollowed = true
  }

  /** The server acknowledged the listen just opened. */
  acknowledged(): void {
    if (this.stopped) return
    const again = this.acknowledgedOnce
    const early = !again && this.listedUnfollowed
    this.acknowledgedOnce = true
    this.listedUnfollowed = false
    this.up = true
    this.openedAt = Date.now()
    if (again || early) {
      this.log.info(again ? "subscriptions/listen open again; reading the lists again" : "subscriptions/listen acknowledged after the lists were read; reading them again")
      this.resumed()
    }
  }

  /** The listen ended (`refused`: an error answer from the server); re-opened unless it was a first refusal. */
  ended(why: unknown, refused: boolean): void {
    const wasUp = this.up
    this.up = false
    if (this.stopped || this.isClosed()) return
    if (refused && !this.acknowledgedOnce) {
      this.log.warn("subscriptions/listen refused; list changes of this server are not followed (its lists are read again as their ttlMs says)", { error: errorMessage(why) })
      return
    }
    // a listen that stayed open for the longest wait starts the pace over
    if (wasUp && Date.now() - this.openedAt >= RELISTEN_CAP_MS) this.attempt = 0
    const wait = restartDelay(this.attempt++, RELISTEN_MS, RELISTEN_CAP_MS)
    this.log.info("subscriptions/listen ended; re-opening", { why: errorMessage(why), inMs: wait })
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.start()
    }, wait)
    this.timer.unref?.()
  }

  stop(): void {
    this.stopped = true
    this.up = false
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }
}
