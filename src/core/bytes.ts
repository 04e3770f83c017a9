/** @module core/bytes One byte array from several chunks (stream reads, framed lines, SSE events). */
export function concatBytes(chunks: readonly Uint8Array[], size = byteSize(chunks)): Uint8Array {
  const out = new Uint8Array(size)
  let o = 0
  for (const c of chunks) {
    out.set(c, o)
    o += c.byteLength
  }
  return out
}

/** The bytes of `chunks` together. */
function byteSize(chunks: readonly Uint8Array[]): number {
  let n = 0
  for (const c of chunks) n += c.byteLength
  return n
}

/** `bytes` in MiB with one decimal, as error messages state sizes and limits ("12.0 MiB"). */
export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`
}
