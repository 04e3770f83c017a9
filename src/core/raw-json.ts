/**
 * @module core/raw-json
 * A downstream result that was parsed (so it is valid JSON and its fields can be read) and that
 * also keeps its exact bytes, so the stdio face forwards it without serialising it again. For a
 * large tool result this skips a full `JSON.stringify` and a UTF-8 re-encode.
 */
export class RawJson<T = unknown> {
  constructor(
    /** The parsed value. */
    readonly value: T,
    /** Its JSON text, byte for byte as the downstream wrote it. */
    readonly bytes: Uint8Array,
  ) {}
}

/** The parsed value, whether or not it came with its bytes. */
export function unwrapRaw<T>(v: T | RawJson<T>): T {
  return v instanceof RawJson ? v.value : v
}

const enc = new TextEncoder()
const RESULT_FIRST = enc.encode('{"result":')
const RESULT_TAIL = enc.encode(',"jsonrpc":"2.0","id":')
const JSONRPC_FIRST = enc.encode('{"jsonrpc":"2.0","id":')
const RESULT_KEY = enc.encode(',"result":')

export interface CompactResponse {
  id: number
  /** The bytes of the result value (not yet known to be valid JSON: parse them to be sure). */
  result: Uint8Array
}

/**
 * Split a response line in one of the two compact layouts SDKs write, `{"result":R,"jsonrpc":"2.0","id":N}`
 * (TypeScript) and `{"jsonrpc":"2.0","id":N,"result":R}` (Python, Go), with N a non-negative safe integer.
 * The edges are fixed tokens, so once R alone parses as one JSON value the line is exactly an object
 * with the members result = R, jsonrpc and id = N (no duplicates hidden in R). Anything else
 * (whitespace, other member order, string ids, errors, requests): undefined, and the caller parses
 * the whole line.
 */
export function compactResponse(line: Uint8Array): CompactResponse | undefined {
  const n = line.length
  if (n < 32 || line[n - 1] !== 125 /* } */) return undefined
  if (startsWith(line, RESULT_FIRST, 0)) {
    // digits back from the closing brace, then the fixed tail before them
    let d = n - 1
    while (d > 0 && isDigit(line[d - 1]!)) d--
    const digits = n - 1 - d
    if (digits === 0 || digits > 16 || (digits > 1 && line[d] === 48)) return undefined
    const tailAt = d - RESULT_TAIL.length
    if (tailAt <= RESULT_FIRST.length || !startsWith(line, RESULT_TAIL, tailAt)) return undefined
    const id = toInt(line, d, n - 1)
    return Number.isSafeInteger(id) ? { id, result: line.subarray(RESULT_FIRST.length, tailAt) } : undefined
  }
  if (startsWith(line, JSONRPC_FIRST, 0)) {
    let e = JSONRPC_FIRST.length
    while (e < n && isDigit(line[e]!)) e++
    const digits = e - JSONRPC_FIRST.length
    if (digits === 0 || digits > 16 || (digits > 1 && line[JSONRPC_FIRST.length] === 48) || !startsWith(line, RESULT_KEY, e)) return undefined
    const at = e + RESULT_KEY.length
    if (at >= n - 1) return undefined
    const id = toInt(line, JSONRPC_FIRST.length, e)
    return Number.isSafeInteger(id) ? { id, result: line.subarray(at, n - 1) } : undefined
  }
  return undefined
}

function isDigit(b: number): boolean {
  return b >= 48 && b <= 57
}

function toInt(line: Uint8Array, from: number, to: number): number {
  let v = 0
  for (let i = from; i < to; i++) v = v * 10 + (line[i]! - 48)
  return v
}

function startsWith(line: Uint8Array, prefix: Uint8Array, at: number): boolean {
  if (at < 0 || line.length - at < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (line[at + i] !== prefix[i]) return false
  return true
}
