/**
 * @module test/core/frame-own-limit
 * LineFramer `frameLimit` (QA 343): a large frame whose request takes less than maxFrameBytes (a
 * run_code script's call) is dropped as it comes once it passes that limit, whether it arrives in one
 * chunk or many, with or without the result budget, and reported with `ownLimit`; the frames after it
 * are read as before, and a frame under its limit arrives whole. Any split of the bytes (fast-check).
 */
import { expect, test } from "bun:test"
import fc from "fast-check"
import { ASK_LIMIT_BYTES, LineFramer, ByteBudget, type OversizeFrame } from "../../src/core/index.ts"
import { pushSplit } from "../helpers/framing.ts"

const enc = new TextEncoder()
const KiB = 1024
const OWN = 600 * KiB

function frame(id: number, chars: number, layout: "ts" | "py"): string {
  const r = JSON.stringify({ content: [{ type: "text", text: "x".repeat(chars) }] })
  return layout === "ts" ? `{"result":${r},"jsonrpc":"2.0","id":${id}}` : `{"jsonrpc":"2.0","id":${id},"result":${r}}`
}

function collect(budget: boolean) {
  const ids: unknown[] = []
  const oversize: OversizeFrame[] = []
  const started: Array<number | undefined> = []
  const heads: string[] = []
  const f = new LineFramer(
    64 * 1024 * KiB,
    {
      onMessage: (m) => ids.push(m.id),
      onSkip: () => {},
      onOversize: (o) => oversize.push(o),
      onOversizeStart: (_n, _h, own) => started.push(own),
      frameLimit: (head) => (heads.push(head), head.includes('"id":2') || head.startsWith('{"result"') ? OWN : undefined),
    },
    budget ? new ByteBudget(1024 * 1024 * KiB) : undefined,
  )
  return { f, ids, oversize, started, heads }
}

test("a frame over its own limit is dropped as it comes (ownLimit), the next ones are read; one under it arrives whole", () => {
  fc.assert(
    fc.property(fc.boolean(), fc.constantFrom("ts" as const, "py" as const), fc.array(fc.nat({ max: 1_300_000 }), { maxLength: 6 }), (budget, layout, cuts) => {
      const { f, ids, oversize, heads } = collect(budget)
      const text = [frame(1, 10, "py"), frame(2, 900 * KiB, layout), frame(3, 10, "py"), frame(4, 500 * KiB, layout), frame(5, 10, "py")].map((l) => l + "\n").join("")
      pushSplit(f, enc.encode(text), cuts)
      // 4 (under its limit) whole; 2 dropped for its own limit
      expect(ids).toEqual([1, 3, 4, 5])
      expect(oversize).toHaveLength(1)
      expect(oversize[0]!.ownLimit).toBe(OWN)
      expect(oversize[0]!.bytes).toBeGreaterThan(OWN)
      expect(oversize[0]!.head + oversize[0]!.tail).toContain('"id":2')
      // asked once per large frame, from its first bytes
      expect(heads.length).toBe(2)
      for (const h of heads) expect(h.length).toBeLessThanOrEqual(512)
    }),
    { numRuns: 60 },
  )
})

test("frames under ASK_LIMIT_BYTES are never asked about", () => {
  const { f, ids, heads } = collect(true)
  f.push(enc.encode(frame(2, ASK_LIMIT_BYTES - 200, "py") + "\n"))
  expect(ids).toEqual([2])
  expect(heads).toEqual([])
})
