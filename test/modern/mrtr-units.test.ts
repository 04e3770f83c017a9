/** requestState sealing (proxy/mrtr.ts): bound to its target, expires, and opens to the exact state. */
import { describe, expect, test } from "bun:test"
import { StateSeal } from "../../src/proxy/mrtr.ts"

const target = { server: "s", method: "tools/call", target: "ask" }

describe("StateSeal", () => {
  test("opens to the downstream's exact state and our own answers; expired or rebound state is -32602", () => {
    let now = 1_000
    const seal = new StateSeal(() => now, 60_000)
    const state = 'x"\u00e9\n{}'
    const token = seal.seal(target, state, { r: { roots: [] } })
    expect(seal.open(token, target)).toEqual({ state, pre: { r: { roots: [] } } })
    expect(() => seal.open(token, { ...target, target: "other" })).toThrow("another request")
    expect(() => seal.open(token, { ...target, server: "t" })).toThrow("another request")
    expect(() => new StateSeal(() => now).open(token, target)).toThrow("verification") // another process's key
    now += 60_001
    expect(() => seal.open(token, target)).toThrow("expired")
    try {
      seal.open(token, target)
    } catch (e) {
      expect((e as { rpcCode?: number }).rpcCode).toBe(-32602)
    }
  })
})
