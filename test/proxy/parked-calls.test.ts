/**
 * proxy/parked-calls: a legacy downstream's call parked across a 2026-07-28 client's retries.
 * A call the client does not come back for is cancelled at the downstream after its time (its
 * waiting question failed); a retry after that, or a second retry of the same state, is -32602
 * saying to start over; the oldest parked call goes first past MAX_PARKED; questions asked together
 * go out together; an unanswered question is an error to the server, not a hang.
 */
import { describe, expect, test } from "bun:test"
import { ProtocolError } from "../../src/core/index.ts"
import { MAX_PARKED, ParkedCalls } from "../../src/proxy/parked-calls.ts"

const M = { clientCapabilities: { elicitation: {} } }
const ASK = { method: "elicitation/create", params: { message: "name?" } }

/** A downstream call that ends when its cancel aborts (as pool.call does), or with `finish`. */
function downstream(cancel: { listen(fn: (e: Error) => void): void }) {
  let finish!: (v: unknown) => void
  const call = new Promise<unknown>((resolve, reject) => {
    finish = resolve
    cancel.listen(reject)
  })
  return { call, finish }
}

describe("parked calls", () => {
  test("a question ends the turn; the retry's answer reaches the server and the next turn is the call's result", async () => {
    const parks = new ParkedCalls(() => 60_000)
    const p = parks.open("ev", M)
    const d = downstream(p.cancel)
    p.start(d.call)
    const client = new AbortController().signal
    const turn = p.next(client)
    const asked = p.ask(ASK, new AbortController().signal)
    // a second question asked in the same tick goes out with the first
    const asked2 = p.ask({ method: "sampling/createMessage" }, new AbortController().signal)
    const t1 = await turn
    expect("asks" in t1 && Object.keys(t1.asks)).toEqual(["ev-1", "ev-2"])
    parks.park(p)
    expect(parks.current("ev")).toBe(p)
    const taken = parks.take(p.id, "ev")
    taken.answer({ "ev-1": { action: "accept", content: { name: "Ada" } } })
    expect(await asked).toEqual({ action: "accept", content: { name: "Ada" } })
    // left unanswered by the retry: an error to the server, not a wait forever
    await expect(asked2).rejects.toThrow(/inputResponses\["ev-2"\] missing/)
    const t2 = taken.next(client)
    d.finish({ content: [] })
    expect(await t2).toEqual({ result: { content: [] } })
    parks.close(p)
    expect(parks.current("ev")).toBeUndefined()
    // the same state again: over
    expect(() => parks.take(p.id, "ev")).toThrow(/is over/)
  })

  test("not come back for in time: the downstream call is cancelled, its question failed, a late retry told to start over", async () => {
    const parks = new ParkedCalls(() => 50)
    const p = parks.open("ev", M)
    const d = downstream(p.cancel)
    p.start(d.call)
    const turn = p.next(new AbortController().signal)
    const asked = p.ask(ASK, new AbortController().signal)
    await turn
    parks.park(p)
    await expect(d.call).rejects.toThrow(/did not come back with its answers in time/)
    await expect(asked).rejects.toThrow(/has ended/)
    let err: unknown
    try {
      parks.take(p.id, "ev")
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ProtocolError)
    expect((err as ProtocolError).rpcCode).toBe(-32602)
    expect((err as ProtocolError).remedy).toContain("start over")
    expect(parks.current("ev")).toBeUndefined()
  })

  test("a state for another server is refused; the client's cancel while a turn is waited on cancels the downstream call", async () => {
    const parks = new ParkedCalls(() => 60_000)
    const p = parks.open("ev", M)
    const d = downstream(p.cancel)
    p.start(d.call)
    const client = new AbortController()
    const turn = p.next(client.signal)
    p.ask(ASK, new AbortController().signal).catch(() => {})
    await turn
    parks.park(p)
    expect(() => parks.take(p.id, "other")).toThrow(/is over/)
    const again = parks.take(p.id, "ev")
    again.answer({ "ev-1": { action: "decline" } })
    const retry = new AbortController()
    const t2 = again.next(retry.signal)
    retry.abort(new Error("client cancelled"))
    await expect(t2).rejects.toThrow("client cancelled")
    await expect(d.call).rejects.toThrow("client cancelled")
  })

  test(`past ${MAX_PARKED} parked calls the oldest is let go (its downstream call cancelled)`, async () => {
    const parks = new ParkedCalls(() => 60_000)
    const calls: Promise<unknown>[] = []
    for (let i = 0; i <= MAX_PARKED; i++) {
      const p = parks.open("ev", M)
      const d = downstream(p.cancel)
      p.start(d.call)
      d.call.catch(() => {})
      calls.push(d.call)
      parks.park(p)
    }
    await expect(calls[0]!).rejects.toThrow(/more than 256 calls/)
    parks.clear()
    await expect(calls[MAX_PARKED]!).rejects.toThrow(/stopping/)
  })

  test("two calls in flight on one server, each asked one question: each request carries one at once (none waits behind the other's retry)", async () => {
    const parks = new ParkedCalls(() => 60_000)
    const a = parks.open("ev", M)
    const b = parks.open("ev", M)
    const da = downstream(a.cancel)
    const db = downstream(b.cancel)
    a.start(da.call)
    b.start(db.call)
    const client = new AbortController().signal
    const turnA = a.next(client)
    const turnB = b.next(client)
    // asked in the same tick, as two handlers asking at once do: not both on the latest call
    const first = parks.current("ev")!
    const askedFirst = first.ask(ASK, new AbortController().signal)
    const second = parks.current("ev")!
    expect(second).not.toBe(first)
    const askedSecond = second.ask(ASK, new AbortController().signal)
    const [ta, tb] = await Promise.all([turnA, turnB])
    expect("asks" in ta && Object.keys(ta.asks)).toHaveLength(1)
    expect("asks" in tb && Object.keys(tb.asks)).toHaveLength(1)
    parks.park(a)
    parks.park(b)
    // each retry answers the question its own input_required carried; both calls go on
    const ra = parks.take(a.id, "ev")
    ra.answer({ [Object.keys((ta as { asks: object }).asks)[0]!]: { action: "accept", content: { who: "a" } } })
    const rb = parks.take(b.id, "ev")
    rb.answer({ [Object.keys((tb as { asks: object }).asks)[0]!]: { action: "accept", content: { who: "b" } } })
    const answers = await Promise.all([askedFirst, askedSecond])
    expect(answers.map((x) => (x as { content: { who: string } }).content.who).sort()).toEqual(["a", "b"])
    // one answered and waiting on its turn again, the other parked: a question asked later goes to the open one
    const ra2 = ra.next(client)
    parks.park(rb)
    expect(parks.current("ev")).toBe(ra)
    da.finish({ content: [] })
    db.finish({ content: [] })
    expect(await ra2).toEqual({ result: { content: [] } })
    parks.close(ra)
    parks.clear()
  })
})
