/**
 * The per-plugin rate limit of guest console lines (sandbox/log-gate) on a clock the test moves:
 * the burst passes whole, the lines past it are counted, the count said once when lines pass again
 * (before them) or when the sandbox goes, and the rate refills with time. The same limit through
 * the compiled binary: test/plugins/console-rate.test.ts.
 */
import { describe, expect, test } from "bun:test"
import { GuestLogGate, GuestLogGates } from "../../src/sandbox/index.ts"

function rig(burst = 10, perSecond = 2) {
  let now = 0
  const lines: string[] = []
  const gate = new GuestLogGate((level, msg) => void lines.push(`${level}:${msg}`), burst, perSecond, () => now)
  return { gate, lines, advance: (ms: number) => void (now += ms) }
}

describe("GuestLogGate", () => {
  test("a burst passes whole; the rest is counted and said once, before the next line that passes", () => {
    const r = rig()
    for (let i = 0; i < 25; i++) r.gate.line("info", `l${i}`)
    expect(r.lines).toEqual(Array.from({ length: 10 }, (_, i) => `info:l${i}`))
    r.advance(1000) // 2 lines' worth
    r.gate.line("info", "a")
    r.gate.line("info", "b")
    r.gate.line("info", "c")
    expect(r.lines.slice(10)).toEqual([expect.stringMatching(/^warn:15 console lines dropped: this plugin logs more than 10 lines at once or 2 per second/), "info:a", "info:b"])
    r.gate.flush()
    expect(r.lines.slice(13)).toEqual([expect.stringMatching(/^warn:1 console lines dropped/)])
    r.gate.flush()
    expect(r.lines).toHaveLength(14)
  })

  test("an idle plugin gets its whole burst back, never more", () => {
    const r = rig()
    for (let i = 0; i < 10; i++) r.gate.line("info", "x")
    r.advance(3_600_000)
    for (let i = 0; i < 12; i++) r.gate.line("info", "y")
    expect(r.lines.filter((l) => l === "info:y")).toHaveLength(10)
    r.gate.flush()
    expect(r.lines.at(-1)).toMatch(/^warn:2 console lines dropped/)
  })
})

describe("GuestLogGates (the budget of each file across its reloads)", () => {
  test("the same file gets the same gate; past the bound the least recently used one goes, its count said first", () => {
    const said: string[] = []
    const gates = new GuestLogGates(2)
    const make = (f: string) => () => new GuestLogGate((_l, msg) => void said.push(`${f}:${msg}`), 1, 0, () => 0)
    const a = gates.for("a.js", make("a"))
    expect(gates.for("a.js", make("a2"))).toBe(a)
    a.line("info", "x")
    a.line("info", "dropped")
    gates.for("b.js", make("b"))
    gates.for("a.js", make("a3")) // used again: b.js is now the oldest
    gates.for("c.js", make("c"))
    expect(gates.size).toBe(2)
    expect(gates.for("a.js", make("a4"))).toBe(a)
    gates.for("d.js", make("d")) // c.js goes (a.js was used after it)
    expect(gates.size).toBe(2)
    expect(said).toEqual(["a:x"])
    gates.for("e.js", make("e")) // a.js goes, with one line dropped: that count is said, not lost
    expect(said.some((l) => /^a:1 console lines dropped/.test(l))).toBe(true)
  })
})
