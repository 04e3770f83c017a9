/**
 * The per-plugin rate limit of guest console lines (sandbox/log-gate) on a clock the test moves:
 * the burst passes whole, the lines past it are counted, the count said once when lines pass again
 * (before them) or when the sandbox goes, and the rate refills with time. The same limit through
 * the compiled binary: test/plugins/console-rate.test.ts.
 */
import { describe, expect, test } from "bun:test"
import { GuestLogGate } from "../../src/sandbox/index.ts"

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
