/**
 * A body sent to a route that takes none (/healthz, /metrics, an unknown path: no token needed) is
 * read to be dropped, and none of it is kept while it comes. Before, it was read whole into memory
 * (`req.text()`): 100 connections each sending 4 MiB less one byte of a body to /healthz, and never
 * the last byte, held 400 MiB in the binary (66 → 521 MiB), without a token. In process: a body
 * stream of 48 MiB that then stalls; once the app has pulled all of it (the stream's pull is asked
 * for the byte after), the memory it holds is measured, then the body breaks off (400, as before).
 */
import { afterEach, expect, test } from "bun:test"
import { BASE, makeApp, type TestApp } from "./helpers.ts"

const MiB = 1024 * 1024
const SENT = 48

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

/** SENT chunks of 1 MiB (each a new buffer), then a stall: `stalled` resolves when the reader asks for more. */
function stallingBody(): { body: ReadableStream<Uint8Array>; stalled: Promise<void>; cut: () => void } {
  let pulls = 0
  const { promise: stalled, resolve } = Promise.withResolvers<void>()
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
      },
      pull(c) {
        if (pulls++ < SENT) return c.enqueue(new Uint8Array(MiB).fill(0x61))
        resolve()
        return new Promise<void>(() => {}) // never more
      },
    },
    { highWaterMark: 0 },
  )
  return { body, stalled, cut: () => controller.error(new Error("The connection was closed.")) }
}

function heapUsed(): number {
  Bun.gc(true)
  return process.memoryUsage().heapUsed
}

test("a body on a route that takes none is dropped as it comes, not held whole", async () => {
  t = makeApp({ bodyLimit: 64 * MiB })
  for (const path of ["/healthz", "/nope"]) {
    const before = heapUsed()
    const { body, stalled, cut } = stallingBody()
    const res = t.app.request(`${BASE}${path}`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body })
    await stalled
    const held = heapUsed() - before
    cut()
    expect((await res).status).toBe(400)
    // all SENT MiB were read; what stays is a chunk or two, not the body
    expect({ path, heldUnderQuarter: held < (SENT / 4) * MiB, heldMiB: Math.round(held / MiB) }).toMatchObject({ path, heldUnderQuarter: true })
  }
})
