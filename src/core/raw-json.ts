/**
 * @module core/raw-json
 * A downstream result that was parsed (so it is valid JSON and its fields can be read) and that
 * also keeps its exact JSON text, so the stdio face forwards it without serialising it again. For a
 * large tool result this skips a full `JSON.stringify`.
 */
export class RawJson<T = unknown> {
  constructor(
    /** The parsed value. */
    readonly value: T,
    /** Its JSON text, exactly as the downstream wrote it. */
    readonly json: string,
  ) {}
}

/** The parsed value, whether or not it came with its text. */
export function unwrapRaw<T>(v: T | RawJson<T>): T {
  return v instanceof RawJson ? v.value : v
}

const RESULT_FIRST = '{"result":'
const RESULT_TAIL = ',"jsonrpc":"2.0","id":'
const JSONRPC_FIRST = '{"jsonrpc":"2.0","id":'
const RESULT_KEY = ',"result":'

export interface CompactResponse {
  id: number
  /** The text of the result value (not yet known to be valid JSON: parse it to be sure). */
  result: string
}

/**
 * Split a response line in one of the two compact layouts SDKs write, `{"result":R,"jsonrpc":"2.0","id":N}`
 * (TypeScript) and `{"jsonrpc":"2.0","id":N,"result":R}` (Python, Go), with N a non-negative safe integer.
 * The edges are fixed tokens, so once R alone parses as one JSON value the line is exactly an object
 * with the members result = R, jsonrpc and id = N (no duplicates hidden in R). Anything else
 * (whitespace, other member order, string ids, errors, requests): undefined, and the caller parses
 * the whole line. Trailing whitespace (the line break) is ignored.
 */
export function compactResponse(line: string): CompactResponse | undefined {
  let n = line.length
  while (n > 0 && isSpace(line.charCodeAt(n - 1))) n--
  if (n < 32 || line.charCodeAt(n - 1) !== 125 /* } */) return undefined
  if (line.startsWith(RESULT_FIRST)) {
    // digits back from the closing brace, then the fixed tail before them
    let d = n - 1
    while (d > 0 && isDigit(line.charCodeAt(d - 1))) d--
    const digits = n - 1 - d
    if (digits === 0 || digits > 16 || (digits > 1 && line.charCodeAt(d) === 48)) return undefined
    const tailAt = d - RESULT_TAIL.length
    if (tailAt <= RESULT_FIRST.length || !line.startsWith(RESULT_TAIL, tailAt)) return undefined
    const id = Number(line.slice(d, n - 1))
    return Number.isSafeInteger(id) ? { id, result: line.slice(RESULT_FIRST.length, tailAt) } : undefined
  }
  if (line.startsWith(JSONRPC_FIRST)) {
    let e = JSONRPC_FIRST.length
    while (e < n && isDigit(line.charCodeAt(e))) e++
    const digits = e - JSONRPC_FIRST.length
    if (digits === 0 || digits > 16 || (digits > 1 && line.charCodeAt(JSONRPC_FIRST.length) === 48) || !line.startsWith(RESULT_KEY, e)) return undefined
    const at = e + RESULT_KEY.length
    if (at >= n - 1) return undefined
    const id = Number(line.slice(JSONRPC_FIRST.length, e))
    return Number.isSafeInteger(id) ? { id, result: line.slice(at, n - 1) } : undefined
  }
  return undefined
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function isSpace(c: number): boolean {
  return c === 10 || c === 13 || c === 32 || c === 9
}
