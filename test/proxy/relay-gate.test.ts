/** RelayGate: a downstream's requests to the client, bounded in flight and per second, per server. */
import { describe, expect, test } from "bun:test"
import { RelayGate } from "../../src/proxy/relay-gate.ts"

describe("RelayGate", () => {
  test("at most `max` waiting at once; a settled one makes room", () => {
    const g = new RelayGate(2, 100, () => 0)
    expect(g.enter("s").ok).toBe(true)
    expect(g.enter("s").ok).toBe(true)
    const third = g.enter("s")
    expect(third).toEqual({ ok: false, first: true, why: "already has 2 requests waiting on the client" })
    expect(g.enter("s")).toMatchObject({ ok: false, first: false })
    expect(g.enter("other").ok).toBe(true) // per server
    g.leave("s")
    expect(g.enter("s").ok).toBe(true)
  })

  test("at most `perSecond` started per second, even when each settles at once; the next second has room again", () => {
    let now = 0
    const g = new RelayGate(8, 20, () => now)
    for (let i = 0; i < 20; i++) {
      expect(g.enter("s").ok).toBe(true)
      g.leave("s")
    }
    expect(g.enter("s")).toEqual({ ok: false, first: true, why: "sent more than 20 requests to the client within a second" })
    now = 999
    expect(g.enter("s").ok).toBe(false)
    now = 1000
    expect(g.enter("s").ok).toBe(true)
  })

  test("the first 5 relays of a second are logged; the rest are counted into the next logged line", () => {
    let now = 0
    const g = new RelayGate(100, 100, () => now)
    const logged = Array.from({ length: 12 }, () => {
      const a = g.enter("s")
      g.leave("s")
      return a.ok && a.log
    })
    expect(logged.filter(Boolean).length).toBe(5)
    now = 1500
    expect(g.enter("s")).toEqual({ ok: true, log: true, unlogged: 7 })
  })
})
