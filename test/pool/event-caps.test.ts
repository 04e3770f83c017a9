/**
 * @module test/pool/event-caps
 * Regression (QA 346): on legacy HTTP+SSE one GET stream carries every answer, and a run_code
 * script's call takes none over half of codeMode.memory; its 100 MiB answer event was read whole and
 * parsed. Now `limitBodies` with `EventCaps` drops an event over the cap of the answer it starts as it
 * comes (neither held nor handed on) and the stream goes on: the property is that what is handed on
 * is exactly the events within their cap, byte for byte, however the stream is cut into chunks and
 * whatever its line ends, and that each dropped event is reported once at its end with its size and
 * the id its edges show (its first bytes, or its last in the SDK's layout).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { limitBodies, type EventCaps, type Oversize } from "../../src/pool/remote-limits.ts"

const CAP = 1000
const enc = new TextEncoder()

/** One answer event: its id first or (the SDK's layout) last, its text `size` bytes, its lines ended by `eol`. */
function event(id: number, size: number, idLast: boolean, eol: string): string {
  const text = "x".repeat(size)
  const data = idLast ? `{"result":{"t":"${text}"},"jsonrpc":"2.0","id":${id}}` : `{"jsonrpc":"2.0","id":${id},"result":{"t":"${text}"}}`
  return `event: message${eol}data: ${data}${eol}${eol}`
}

async function through(stream: string, cuts: number[]): Promise<{ out: string; dropped: (Oversize & { id: unknown; ended: boolean })[] }> {
  const bytes = enc.encode(stream)
  const at = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let from = 0
  for (const c of [...at, bytes.byteLength]) {
    if (c > from) chunks.push(bytes.slice(from, c))
    from = Math.max(from, c)
  }
  const base = async (): Promise<Response> => new Response(new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length === 0 ? c.close() : c.enqueue(chunks.shift()!)) }), { headers: { "content-type": "text/event-stream" } })
  const dropped: (Oversize & { id: unknown; ended: boolean })[] = []
  const caps: EventCaps = { capOf: () => CAP, dropped: (o) => void dropped.push(o) }
  const f = limitBodies(base, 1 << 30, () => new Error("over the frame limit"), "http://x/sse", undefined, undefined, caps)
  const res = await f("http://x/sse", { method: "GET" })
  return { out: await res.text(), dropped }
}

describe("legacy HTTP+SSE: an event over the cap of the answer it starts is dropped as it comes, the stream goes on", () => {
  test("property: the events within their cap are handed on byte for byte; each one over it is reported once, at its end, with its size and id", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ size: fc.integer({ min: 0, max: 2500 }), idLast: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (events, eol, cuts) => {
          const texts = events.map((e, i) => event(i + 1, e.size, e.idLast, eol))
          const { out, dropped } = await through(texts.join(""), cuts)
          // an event ends at its blank line: with CRLF, at the blank line's CR (its LF opens the next, as an empty line)
          const segments = eol === "\r\n" ? texts.join("").split(/(?<=\r\n\r)/) : texts
          const over = segments.map((t, i) => ({ t, id: i + 1, bytes: enc.encode(t).byteLength })).filter((e) => e.bytes > CAP)
          expect(out).toBe(segments.filter((t) => enc.encode(t).byteLength <= CAP).join(""))
          const ends = dropped.filter((d) => d.ended)
          expect(ends.map((d) => [d.id, d.bytes, d.limit, d.ownLimit])).toEqual(over.map((e) => [e.id, e.bytes, CAP, true]))
          // before its end, an event is reported at most once, with the id only its first bytes show
          const early = dropped.filter((d) => !d.ended)
          expect(early.length).toBeLessThanOrEqual(over.length)
          for (const d of early) expect(d.id === undefined || over.some((e) => e.id === d.id)).toBe(true)
        },
      ),
      { numRuns: 200 },
    )
  })

  test("a 40 MiB event in 1 MiB chunks: dropped as it comes (reported after its first chunk, id first), the next event handed on", async () => {
    const MiB = 1024 * 1024
    const chunk = enc.encode("x".repeat(MiB))
    const parts = [enc.encode('event: message\ndata: {"jsonrpc":"2.0","id":3,"result":{"t":"'), ...Array.from({ length: 40 }, () => chunk), enc.encode('"}}\n\n'), enc.encode(`event: message\ndata: {"jsonrpc":"2.0","id":4,"result":{}}\n\n`)]
    const base = async (): Promise<Response> => new Response(new ReadableStream<Uint8Array>({ pull: (c) => (parts.length === 0 ? c.close() : c.enqueue(parts.shift()!)) }), { headers: { "content-type": "text/event-stream" } })
    const dropped: { id: unknown; ended: boolean; bytes: number }[] = []
    const f = limitBodies(base, 64 * MiB, () => new Error("over"), "http://x/sse", undefined, undefined, { capOf: () => 8 * MiB, dropped: (o) => void dropped.push(o) })
    const out = await (await f("http://x/sse", { method: "GET" })).text()
    expect(out).toBe(`event: message\ndata: {"jsonrpc":"2.0","id":4,"result":{}}\n\n`)
    expect(dropped.map((d) => [d.id, d.ended])).toEqual([[3, false], [3, true]])
    expect(dropped[0]!.bytes).toBeLessThan(10 * MiB)
    expect(dropped[1]!.bytes).toBeGreaterThan(40 * MiB)
  })
})
