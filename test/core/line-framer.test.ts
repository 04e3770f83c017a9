/**
 * LineFramer: chunk boundaries, CRLF, non-JSON lines, oversize frames (bounded memory, id recovery).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { idFromFrameEdges, LineFramer, type OversizeFrame } from "../../src/core/index.ts"
import { pushSplit } from "../helpers/framing.ts"

const enc = new TextEncoder()

/** `noise`: read a message after noise on its line (a downstream's stdout), the noise reported as skipped. */
function collect(max = 1 << 20, noise = true) {
  const messages: unknown[] = []
  const skipped: string[] = []
  const oversize: OversizeFrame[] = []
  const f = new LineFramer(max, { onMessage: (m) => messages.push(m), onSkip: (l) => skipped.push(l), onOversize: (o) => oversize.push(o), ...(noise ? { onNoise: (n: string) => skipped.push(n) } : {}) })
  return { f, messages, skipped, oversize }
}


describe("LineFramer", () => {
  test("messages split at any byte boundary come out whole and in order", () => {
    const msg = fc.record({ jsonrpc: fc.constant("2.0"), id: fc.nat(), result: fc.jsonValue() })
    fc.assert(
      fc.property(fc.array(msg, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (msgs, cuts) => {
        const { f, messages } = collect()
        pushSplit(f, enc.encode(msgs.map((m) => JSON.stringify(m) + "\n").join("")), cuts)
        expect(messages).toEqual(JSON.parse(JSON.stringify(msgs)))
      }),
      { numRuns: 300 },
    )
  })

  test("any layout (both compact SDK layouts, spaced, errors), LF or CRLF, any split: JSON.parse of each line", () => {
    const line = fc.tuple(fc.nat(), fc.jsonValue(), fc.constantFrom("ts", "py", "spaced", "error")).map(([id, v, layout]) => {
      const r = JSON.stringify(v)
      if (layout === "ts") return `{"result":${r},"jsonrpc":"2.0","id":${id}}`
      if (layout === "py") return `{"jsonrpc":"2.0","id":${id},"result":${r}}`
      if (layout === "spaced") return `{"jsonrpc": "2.0", "id": ${id}, "result": ${r}}`
      return `{"error":{"code":-32000,"message":${JSON.stringify(r)}},"jsonrpc":"2.0","id":${id}}`
    })
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (lines, crlf, cuts) => {
        const { f, messages } = collect()
        pushSplit(f, enc.encode(lines.map((l) => l + (crlf ? "\r\n" : "\n")).join("")), cuts)
        expect(messages).toEqual(lines.map((l) => JSON.parse(l)))
      }),
      { numRuns: 500 },
    )
  })

  test("CRLF, blank lines, banners and non-JSON-RPC JSON are skipped, not fatal", () => {
    const { f, messages, skipped } = collect()
    f.push(enc.encode('Server starting...\r\n\r\n{"jsonrpc":"2.0","id":1,"result":{}}\r\n[1,2]\n{"not":"rpc"}\n{broken\n'))
    f.push(enc.encode('{"jsonrpc":"2.0","method":"x"}'))
    f.end()
    expect(messages).toEqual([{ jsonrpc: "2.0", id: 1, result: {} }, { jsonrpc: "2.0", method: "x" }])
    expect(skipped).toEqual(["Server starting...", "[1,2]", '{"not":"rpc"}', "{broken"])
  })

  test("a message after noise written without a line break is read, the noise skipped and reported", () => {
    const { f, messages, skipped } = collect()
    const answer = '{"result":{"content":[]},"jsonrpc":"2.0","id":2}'
    f.push(enc.encode(`\u001b[0mbooting... {"jsonrpc":"2.0","id":1,"result":{}}\n[{time}] 50% ${answer}\r\n`))
    // one chunk per line (not decoded together) and a large one (past the byte path's bound) too
    f.push(enc.encode(`progress {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"${"x".repeat(300_000)}"}}\n`))
    // noise with braces but no message after it, and a message of no JSON-RPC after noise: skipped whole
    f.push(enc.encode('INFO {"a":1} {b} {c} {d} {e} {"jsonrpc":"2.0","id":9,"result":{}}\nlog: {"not":"rpc"}\n'))
    expect(messages.map((m) => (m as { id?: number; method?: string }).id ?? (m as { method?: string }).method)).toEqual([1, 2, "notifications/message"])
    expect(skipped).toEqual(["\u001b[0mbooting... ", "[{time}] 50% ", "progress ", 'INFO {"a":1} {b} {c} {d} {e} {"jsonrpc":"2.0","id":9,"result":{}}', 'log: {"not":"rpc"}'])
  })

  test("messages without a line feed between them (glued, a bare CR, noise after) are each read; our own stdin is unchanged", () => {
    const a = '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x}{"}}'
    const b = '{"jsonrpc":"2.0","id":2,"result":{"ok":true}}'
    const { f, messages, skipped } = collect()
    f.push(enc.encode(`${a}${b}\n${a}\r${b} done.\n`))
    expect(messages).toEqual([JSON.parse(a), JSON.parse(b), JSON.parse(a), JSON.parse(b)])
    expect(skipped).toEqual(["done."])
    // a message with no line break after it (a bare CR, or nothing) is read once it is whole, at any split
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom("", "\r"), (cuts, end) => {
        const c = collect()
        pushSplit(c.f, enc.encode(b + end), cuts)
        expect(c.messages).toEqual([JSON.parse(b)])
      }),
    )
    // a message cut short is not read early
    const cut = collect()
    cut.f.push(enc.encode('{"jsonrpc":"2.0","id":3,"result":{"text":"}'))
    expect(cut.messages).toEqual([])
    const own = collect(1 << 20, false)
    own.f.push(enc.encode(`${b}${b}\n${b}`))
    expect(own.messages).toEqual([])
    expect(own.skipped).toEqual([b + b])
  })

  test("a blank line inside a held pretty-printed message is whitespace, also the line break of a line read whole before it came", () => {
    // fast-check's counterexamples: the line `{}` arrived without its line break (read whole early), then the break alone, or `,` and the break
    const msgs = [{ jsonrpc: "2.0", id: 1, result: [-0.3, [{}]] }, { jsonrpc: "2.0", id: 2, result: {} }, { jsonrpc: "2.0", id: 4, result: [false, {}, "  "] }]
    for (const eol of ["\n", "\r\n"]) {
      const bytes = enc.encode(msgs.map((m) => JSON.stringify(m, null, 1).replace(/\n +/g, eol) + eol).join(""))
      for (let cut = 1; cut < bytes.length; cut++) {
        const { f, messages, skipped } = collect()
        pushSplit(f, bytes, [cut])
        expect({ eol, cut, messages, skipped }).toEqual({ eol, cut, messages: msgs, skipped: [] })
      }
    }
    const blank = collect()
    blank.f.push(enc.encode('{\n  "jsonrpc": "2.0",\n\n  "id": 3,\r\n   \n  "result": {}\n}\n'))
    expect(blank.messages).toEqual([{ jsonrpc: "2.0", id: 3, result: {} }])
  })

  // indented (`JSON.stringify(m, null, 2)`) or not (Python's `json.dumps(m, indent=0)`: before, its second line ended the hold)
  test.each([
    ["indented", "  ", (m: unknown) => JSON.stringify(m, null, 2)],
    // a literal line break is only ever between tokens (JSON escapes those inside strings)
    ["unindented", "", (m: unknown) => JSON.stringify(m, null, 1).replace(/\n +/g, "\n")],
  ] as const)("a message pretty-printed over several lines (%s) is read once its brackets close, at any split; a compact message after a lone bracket ends the hold", (_, indent, pretty) => {
    const msg = fc.record({ jsonrpc: fc.constant("2.0"), id: fc.nat(), result: fc.jsonValue() })
    fc.assert(
      fc.property(fc.array(msg, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom("\n", "\r\n"), (msgs, cuts, eol) => {
        const { f, messages } = collect()
        pushSplit(f, enc.encode(msgs.map((m) => pretty(m).replaceAll("\n", eol) + eol).join("")), cuts)
        expect(messages).toEqual(JSON.parse(JSON.stringify(msgs)))
      }),
      { numRuns: 200 },
    )
    const b = '{"jsonrpc":"2.0","id":2,"result":{"ok":true}}'
    const { f, messages, skipped } = collect()
    f.push(enc.encode(`{\n${indent}"jsonrpc": "2.0",\n${b}\n`))
    expect(messages).toEqual([JSON.parse(b)])
    expect(skipped).toEqual(["{", `${indent}"jsonrpc": "2.0",`])
  })

  test("without onNoise (our own stdin) a line that does not begin with a message is skipped whole; white space before a message is no noise", () => {
    const own = collect(1 << 20, false)
    own.f.push(enc.encode('booting... {"jsonrpc":"2.0","id":1,"result":{}}\n  {"jsonrpc":"2.0","id":2,"method":"ping"}\n'))
    expect(own.messages).toEqual([])
    expect(own.skipped).toEqual(['booting... {"jsonrpc":"2.0","id":1,"result":{}}', '  {"jsonrpc":"2.0","id":2,"method":"ping"}'])
    const down = collect()
    down.f.push(enc.encode('\t  {"jsonrpc":"2.0","id":3,"result":{}}\n'))
    expect(down.messages).toEqual([{ jsonrpc: "2.0", id: 3, result: {} }])
    expect(down.skipped).toEqual([])
  })

  test("several lines in one chunk (decoded together) come out as each line pushed alone would", () => {
    // BOMs, multi-byte text, CR, blanks and garbage between messages; a max that some spans exceed
    const line = fc.oneof(
      fc.tuple(fc.nat(), fc.jsonValue()).map(([id, v]) => `{"result":${JSON.stringify(v)},"jsonrpc":"2.0","id":${id}}`),
      fc.constantFrom("", "\r", "\uFEFF", '\uFEFF{"jsonrpc":"2.0","id":7,"result":{}}', "banner é ✓", "{broken", '{"jsonrpc":"2.0","method":"m"}\r'),
      fc.string({ unit: "grapheme" }).map((t) => t.replace(/\n/g, "")),
    )
    fc.assert(
      fc.property(fc.array(line, { minLength: 2, maxLength: 10 }), fc.integer({ min: 8, max: 400 }), (lines, max) => {
        const whole = collect(max)
        const alone = collect(max)
        whole.f.push(enc.encode(lines.map((l) => l + "\n").join("")))
        for (const l of lines) alone.f.push(enc.encode(l + "\n"))
        expect(whole.messages).toEqual(alone.messages)
        expect(whole.skipped).toEqual(alone.skipped)
        expect(whole.oversize.map((o) => o.bytes)).toEqual(alone.oversize.map((o) => o.bytes))
      }),
      { numRuns: 500 },
    )
  })

  test("an oversize frame is dropped without buffering it, its id recovered, the next frame parsed", () => {
    const { f, messages, oversize } = collect(1024)
    const big = JSON.stringify({ result: { content: [{ type: "text", text: "y".repeat(50_000) }] }, jsonrpc: "2.0", id: 42 })
    const bytes = enc.encode(big + "\n" + '{"jsonrpc":"2.0","id":43,"result":{}}\n')
    for (let i = 0; i < bytes.length; i += 700) f.push(bytes.slice(i, i + 700))
    expect(oversize).toHaveLength(1)
    expect(oversize[0]!.bytes).toBe(enc.encode(big).length)
    expect(idFromFrameEdges(oversize[0]!)).toBe(42)
    expect(messages).toEqual([{ jsonrpc: "2.0", id: 43, result: {} }])
  })

  test("oversize frame in one chunk, string ids", () => {
    const { f, oversize } = collect(100)
    f.push(enc.encode(JSON.stringify({ jsonrpc: "2.0", id: "a\"b", result: { t: "z".repeat(500) } }) + "\n"))
    expect(oversize).toHaveLength(1)
    expect(idFromFrameEdges(oversize[0]!)).toBe('a"b')
  })
})
