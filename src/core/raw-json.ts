/**
 * @module core/raw-json
 * A downstream result that was checked (so it is valid JSON) and that also keeps its exact JSON
 * text, so the stdio face forwards it without serialising it again. For a large tool result this
 * skips a full `JSON.stringify`; a large one (`JsonBytes`) is even kept as the bytes it arrived in
 * and only parsed if someone asks for its value.
 */
import { concatBytes } from "./bytes.ts"
import type { ByteBudget } from "./result-budget.ts"

/**
 * The exact UTF-8 bytes of a large result, as the chunks it arrived in (views, not copies), checked
 * by `checkJsonBytes`. Holds bytes of the result budget until `release()` (idempotent).
 */
export class JsonBytes {
  private held: number
  /**
   * Where a tool result's `structuredContent` value sits in the bytes ([start, end)), found by the
   * check of its content blocks (pool/tool-result-check); undefined when it has none or it was not looked for.
   */
  structured: [number, number] | undefined
  /**
   * A tool result's content block types, found by the same check; undefined when they were not looked for
   * (then whoever needs them parses the result).
   */
  types: ReadonlySet<string> | undefined
  /** A tool result with no `content` member, found by the same check (false when it was not looked for). */
  noContent = false
  constructor(
    /** Emptied by `release()`. */
    readonly chunks: Uint8Array[],
    readonly byteLength: number,
    /** The result's top-level `isError` is true. */
    readonly isError: boolean,
    private readonly budget?: ByteBudget,
    charge = 0,
  ) {
    this.held = charge
    if (budget !== undefined && charge > 0) releaseOnCollect.register(this, { budget, bytes: charge }, this)
  }

  /** The text (one more copy of the result: only for callers that cannot forward bytes). */
  text(): string {
    return new TextDecoder().decode(this.chunks.length === 1 ? this.chunks[0]! : concatBytes(this.chunks, this.byteLength))
  }

  parse(): unknown {
    return JSON.parse(this.text())
  }

  /** The result's `structuredContent`, parsed from its own bytes only (not the whole result), or undefined. */
  structuredContent(): unknown {
    const at = this.structured
    if (at === undefined) return undefined
    const parts: Uint8Array[] = []
    let base = 0
    for (const c of this.chunks) {
      const from = Math.max(at[0] - base, 0)
      const to = Math.min(at[1] - base, c.length)
      if (from < to) parts.push(c.subarray(from, to))
      base += c.length
      if (base >= at[1]) break
    }
    const size = at[1] - at[0]
    return JSON.parse(new TextDecoder().decode(parts.length === 1 ? parts[0]! : concatBytes(parts, size)))
  }

  /**
   * The bytes left the process (or were dropped): give their share of the budget back, and let go
   * of the chunks (a stale reference to this object, e.g. from the stack, then keeps nothing alive).
   */
  release(): void {
    this.chunks.length = 0
    if (this.held === 0) return
    this.budget?.give(this.held)
    this.held = 0
    releaseOnCollect.unregister(this)
  }
}

/** A safety net: a large result dropped on a path that forgot to release it still frees its bytes. */
const releaseOnCollect = new FinalizationRegistry<{ budget: ByteBudget; bytes: number }>((h) => h.budget.give(h.bytes))

export class RawJson<T = unknown> {
  private parsed: T | undefined
  private has: boolean
  constructor(
    /** The parsed value, or undefined to parse `json` on first use. */
    value: T | undefined,
    /** Its JSON text, exactly as the downstream wrote it (text, or the bytes of a large result). */
    readonly json: string | JsonBytes,
  ) {
    this.parsed = value
    this.has = value !== undefined
  }

  /** The parsed value (parsed now, once, when it came as text only: prefer `isError` and `json`). */
  get value(): T {
    if (!this.has) {
      this.parsed = (typeof this.json === "string" ? JSON.parse(this.json) : this.json.parse()) as T
      this.has = true
    }
    return this.parsed as T
  }

  /** Serialised by a path that does not know it (JSON.stringify of a message): its value. */
  toJSON(): T {
    return this.value
  }

  /** The tool result's `isError`, without parsing a large result. */
  get isError(): boolean {
    if (!this.has && typeof this.json !== "string") return this.json.isError
    return (this.value as { isError?: unknown } | null)?.isError === true
  }
}

/** The parsed value, whether or not it came with its text. */
export function unwrapRaw<T>(v: T | RawJson<T>): T {
  return v instanceof RawJson ? v.value : v
}

/** Whether a tool result (raw or not) is an error result, without parsing a large one. */
export function isToolError(v: unknown): boolean {
  return v instanceof RawJson ? v.isError : (v as { isError?: unknown } | null)?.isError === true
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

/** Where the result value sits in a compact response line: `line.slice(start, end)`. */
export interface CompactSpan {
  id: number
  start: number
  end: number
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
  const s = compactSpan(line)
  return s === undefined ? undefined : { id: s.id, result: line.slice(s.start, s.end) }
}

/** `compactResponse` as offsets. */
export function compactSpan(line: string): CompactSpan | undefined {
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
    return Number.isSafeInteger(id) ? { id, start: RESULT_FIRST.length, end: tailAt } : undefined
  }
  if (line.startsWith(JSONRPC_FIRST)) {
    let e = JSONRPC_FIRST.length
    while (e < n && isDigit(line.charCodeAt(e))) e++
    const digits = e - JSONRPC_FIRST.length
    if (digits === 0 || digits > 16 || (digits > 1 && line.charCodeAt(JSONRPC_FIRST.length) === 48) || !line.startsWith(RESULT_KEY, e)) return undefined
    const at = e + RESULT_KEY.length
    if (at >= n - 1) return undefined
    const id = Number(line.slice(JSONRPC_FIRST.length, e))
    return Number.isSafeInteger(id) ? { id, start: at, end: n - 1 } : undefined
  }
  return undefined
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function isSpace(c: number): boolean {
  return c === 10 || c === 13 || c === 32 || c === 9
}
