/** Test helper for byte framers: feed a frame in pieces, as pipes deliver it. */
import type { LineFramer } from "../../src/core/index.ts"

/** Push `bytes` cut at the given points (modulo its length), then end. */
export function pushSplit(f: LineFramer, bytes: Uint8Array, cuts: number[]): void {
  const points = [...new Set(cuts.map((c) => (bytes.length ? c % bytes.length : 0)))].sort((a, b) => a - b)
  let prev = 0
  for (const p of [...points, bytes.length]) {
    f.push(bytes.slice(prev, p))
    prev = p
  }
  f.end()
}
