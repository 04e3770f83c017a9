/**
 * @module core/line-framer
 * Newline-delimited JSON-RPC framing over byte chunks, shared by stdio transports: one `JSON.parse`
 * per line and an envelope check, no schema validation; non-JSON lines skipped; oversize frames dropped.
 * With a result budget (downstream stdout), a large response is never decoded nor parsed: it is
 * checked in place and its result handed on as the chunks it arrived in (`JsonBytes`), so it costs
 * its size once; frames that would take the budget over its limit are dropped like oversize ones.
 */
import { concatBytes } from "./bytes.ts"
import { noteActivity } from "./idle-trim.ts"
import { checkJsonBytes } from "./json-check.ts"
import { escapeControls } from "./json-controls.ts"
import { bracketScan, jsonValueSpans } from "./json-values.ts"
import { compactResponse, JsonBytes } from "./raw-json.ts"
import type { ByteBudget } from "./result-budget.ts"

export interface OversizeFrame {
  bytes: number
  /** First and last bytes of the dropped frame (the id of an SDK response sits at its end). */
  head: string
  tail: string
  /** Set when the frame was dropped for the result budget, not for its own size. */
  overBudget?: { inFlight: number; limit: number }
  /** Set when the frame was dropped for the lower limit `frameLimit` gave for it (the request's own), not `maxFrameBytes`. */
  ownLimit?: number
}

export interface LineFramerHandlers {
  /**
   * A JSON-RPC 2.0 object. For a response in a compact SDK layout, `resultJson` is the exact text
   * of its (validated) result, for forwarding without serialising again; for a large one (with a
   * budget), its bytes, and `message.result` is parsed only when read. Whoever takes `JsonBytes`
   * calls its `release()` once the bytes are gone (else they count against the budget until GC).
   */
  onMessage(message: Record<string, unknown>, resultJson?: string | JsonBytes): void
  /** A line that is not a JSON-RPC object (banner, log line, garbage). */
  onSkip(line: string): void
  /**
   * Given: a line that begins with something else and ends with a JSON-RPC message (what a program
   * wrote without a line break before it) is read as that message, and what came before it is
   * reported here (not when it is only white space). Not given: the whole line goes to `onSkip` (our
   * own stdin: what a client sent is answered as it sent it).
   */
  onNoise?(noise: string): void
  onOversize(frame: OversizeFrame): void
  /**
   * A line has just passed `maxFrameBytes` (it is being dropped as it comes; `onOversize` follows
   * when it ends, which may be never): `bytes` so far and its first bytes.
   */
  onOversizeStart?(bytes: number, head: string, ownLimit?: number): void
  /**
   * A frame has reached ASK_LIMIT_BYTES: the limit of this one frame, from its first bytes (the
   * request a response answers may take less than `maxFrameBytes`: a run_code script's call), or
   * undefined. A frame over it is dropped as it comes, as one over `maxFrameBytes` is, unparsed.
   */
  frameLimit?(head: string): number | undefined
}

/**
 * Size at which a frame's own limit is asked for (`frameLimit`): smaller frames are read whole in
 * one pass and never refused by it (every such limit is MiBs: codeMode.memory is at least 1 MiB).
 */
export const ASK_LIMIT_BYTES = 256 * 1024

const NL = 10
/**
 * A whole line of a message pretty-printed without indentation: a string (a key, or an item) with
 * what follows it, a bracket alone (an item that is an object or array), an empty one, or a scalar
 * item. Not a line that begins a compact message (`{"jsonrpc"…`): that one ends the hold.
 */
const UNINDENTED = /^(?:"(?:[^"\\]|\\.)*"\s*[:,]?[^\n]*\s*|[{[]\s*|(?:\{\}|\[\]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)\s*,?\s*)$/
const NOT_JSON = Symbol("not JSON")
const KEEP = 512

/**
 * Feed chunks with `push`; call `end` on EOF. Lines larger than `maxFrameBytes` are never
 * accumulated: the framer switches to discard mode and remembers only the first and last bytes.
 */
export class LineFramer {
  private readonly max: number
  private readonly h: LineFramerHandlers
  private readonly decoder = new TextDecoder()
  private parts: Uint8Array[] = []
  private size = 0
  private discarding = false
  private discarded = 0
  private head: Uint8Array | undefined
  private tail: Uint8Array = new Uint8Array(0)
  private readonly budget: ByteBudget | undefined
  /** Bytes of the frame being gathered that are counted in the budget. */
  private charged = 0
  private refused: OversizeFrame["overBudget"]
  /** The lines of a message written over several lines, until its brackets close (`holdFrom`). */
  private held: string[] | undefined
  private heldDepth = 0
  private heldSize = 0
  /** The limit of the frame being gathered (`max`, or lower: `frameLimit`), and whether it was asked for. */
  private frameMax: number
  private asked = false
  /** The frame being dropped was dropped for its own limit (OversizeFrame.ownLimit). */
  private droppedFor: number | undefined

  /** `budget`: count large frames against it, and hand on large results as their bytes. */
  constructor(maxFrameBytes: number, handlers: LineFramerHandlers, budget?: ByteBudget) {
    this.max = maxFrameBytes
    this.frameMax = maxFrameBytes
    this.h = handlers
    this.budget = budget
  }

  push(chunk: Uint8Array): void {
    noteActivity()
    let start = 0
    let nl = chunk.indexOf(NL, start)
    while (nl >= 0) {
      if (!this.discarding && this.size === 0) {
        // Several whole lines, none large (their span is under every size limit): one decode for
        // them all, split as text (a burst of answers or requests comes in one read under load).
        const last = chunk.lastIndexOf(NL)
        if (last > nl && last - start < this.max && (this.budget === undefined || last - start < this.budget.large) && (this.h.frameLimit === undefined || last - start < ASK_LIMIT_BYTES)) {
          this.lines(start === 0 && last === chunk.length - 1 ? chunk : chunk.subarray(start, last + 1))
          start = last + 1
          break
        }
      }
      if (this.discarding) {
        this.discardBytes(chunk.subarray(start, nl))
        this.finishDiscard()
      } else if (this.size === 0) {
        if (nl - start > this.max) this.reportOversize(chunk.subarray(start, nl))
        else if (nl - start >= ASK_LIMIT_BYTES && this.ownLimitPassed(chunk.subarray(start, nl))) {
          // dropped for its own limit (reportOversize has reported it)
        }
        else if (this.budget !== undefined && nl - start >= this.budget.large) this.largeInOneChunk(chunk.subarray(start, nl))
        // a line at the chunk's start needs no view of its own (the common case: one message per read)
        else if (start === 0) this.line(chunk, nl)
        else this.line(chunk.subarray(start), nl - start)
      } else {
        this.append(chunk.subarray(start, nl))
        if (this.discarding) this.finishDiscard()
        else this.lineOfParts()
      }
      start = nl + 1
      nl = chunk.indexOf(NL, start)
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start)
      if (this.discarding) this.discardBytes(rest)
      // Kept without copying: chunks from a stream are never reused by their producer.
      else {
        this.append(rest)
        if (!this.discarding) this.pendingWhole(rest)
      }
    }
  }

  end(): void {
    if (this.discarding) this.finishDiscard()
    else if (this.size > 0) this.lineOfParts()
    const held = this.held
    this.held = undefined
    for (const line of held ?? []) this.h.onSkip(line.trimEnd())
  }

  private append(bytes: Uint8Array): void {
    if (this.size === 0) {
      // a new frame: the limit is maxFrameBytes until its own is asked for
      this.frameMax = this.max
      this.asked = false
    }
    const size = this.size + bytes.length
    if (!this.asked && size >= ASK_LIMIT_BYTES && this.h.frameLimit !== undefined) this.askLimit(bytes)
    const tooLarge = size > this.frameMax
    if (tooLarge && this.frameMax < this.max) this.droppedFor = this.frameMax
    if (tooLarge || (this.budget !== undefined && size >= this.budget.large && !this.charge(size))) {
      const parts = this.parts
      this.parts = []
      this.size = 0
      this.uncharge()
      this.discarding = true
      this.discarded = 0
      this.head = undefined
      for (const p of parts) this.discardBytes(p)
      this.discardBytes(bytes)
      if (tooLarge) this.h.onOversizeStart?.(this.discarded, this.decoder.decode(this.head ?? new Uint8Array(0)), this.droppedFor)
      return
    }
    this.parts.push(bytes)
    this.size = size
  }

  /** The frame being gathered (its parts, then `more`) has its own limit: `frameMax` lowered to it. */
  private askLimit(more: Uint8Array): void {
    this.asked = true
    const first = this.parts.length > 0 ? concatBytes(slice([...this.parts, more], 0, KEEP), Math.min(KEEP, this.size + more.length)) : more.subarray(0, KEEP)
    const own = this.h.frameLimit!(this.decoder.decode(first))
    if (own !== undefined && own < this.frameMax) this.frameMax = own
  }

  /** A large line read in one chunk that is over its own limit (`frameLimit`): reported as oversize (true). */
  private ownLimitPassed(line: Uint8Array): boolean {
    const own = this.h.frameLimit?.(this.decoder.decode(line.subarray(0, KEEP)))
    if (own === undefined || line.length <= own || own >= this.max) return false
    this.droppedFor = own
    this.reportOversize(line)
    return true
  }

  /** Count the frame being gathered as `size` bytes in the budget; false (noted) if refused. */
  private charge(size: number): boolean {
    const b = this.budget!
    if (b.take(size - this.charged, this.charged)) {
      this.charged = size
      return true
    }
    this.refused = { inFlight: b.inFlight - this.charged, limit: b.limit }
    return false
  }

  private uncharge(): void {
    if (this.charged > 0) this.budget?.give(this.charged)
    this.charged = 0
  }

  /** The line gathered from several chunks. */
  private lineOfParts(): void {
    if (this.charged > 0 && this.largeLine(this.parts, this.size)) {
      // emptied, not only dropped: the chunks now belong to the JsonBytes alone
      this.parts.length = 0
      this.parts = []
      this.size = 0
      return
    }
    const whole = this.take()
    this.line(whole, whole.length)
    this.uncharge()
  }

  /** A large line that arrived in one chunk: counted, then as from several. */
  private largeInOneChunk(bytes: Uint8Array): void {
    if (!this.charge(bytes.length)) return this.reportOversize(bytes)
    if (this.largeLine([bytes], bytes.length)) return
    this.line(bytes, bytes.length)
    this.uncharge()
  }

  /**
   * A large response whose envelope and result check as JSON (in any member order or spacing) goes
   * on as the bytes of its result (true); anything else is left to the text path (false).
   */
  private largeLine(parts: readonly Uint8Array[], size: number): boolean {
    if (size === 0) return false
    const check = checkJsonBytes(parts, true)
    const members = check?.members
    if (members === undefined || members.has("error") || members.has("method")) return false
    const version = members.get("jsonrpc")
    const idAt = members.get("id")
    const at = members.get("result")
    if (version === undefined || idAt === undefined || at === undefined) return false
    // other members (rare) are kept in the message when small
    const extra: [string, unknown][] = []
    for (const [key, [from, to]] of members) {
      if (key === "jsonrpc" || key === "id" || key === "result") continue
      if (to - from > 64 * 1024) return false
      extra.push([key, JSON.parse(this.decoder.decode(concatBytes(slice(parts, from, to), to - from)))])
    }
    if (version[1] - version[0] > 16 || latin1(parts, version[0], version[1]).trimEnd() !== '"2.0"') return false
    // our own request ids: non-negative safe integers
    const idText = idAt[1] - idAt[0] > 24 ? "" : latin1(parts, idAt[0], idAt[1]).trimEnd()
    if (!/^(?:0|[1-9]\d{0,15})$/.test(idText) || !Number.isSafeInteger(Number(idText))) return false
    const chunks = slice(parts, at[0], at[1])
    const bytes = new JsonBytes(chunks, at[1] - at[0], check!.isError, this.budget, this.charged)
    this.charged = 0
    const message: Record<string, unknown> = { jsonrpc: "2.0", id: Number(idText) }
    for (const [key, value] of extra) if (key !== "__proto__") message[key] = value
    let result: unknown = NOT_JSON
    // parsed only for a reader that wants the value (not the fast lane, which forwards the bytes)
    Object.defineProperty(message, "result", {
      enumerable: true,
      configurable: true,
      get: () => (result === NOT_JSON ? (result = bytes.parse()) : result),
    })
    this.h.onMessage(message, bytes)
    return true
  }

  private take(): Uint8Array {
    const parts = this.parts
    const out = parts.length === 1 ? parts[0]! : concatBytes(parts, this.size)
    this.parts = []
    this.size = 0
    return out
  }

  private discardBytes(b: Uint8Array): void {
    if (this.head === undefined) this.head = b.slice(0, KEEP)
    else if (this.head.length < KEEP) {
      const h = new Uint8Array(Math.min(KEEP, this.head.length + b.length))
      h.set(this.head, 0)
      h.set(b.subarray(0, h.length - this.head.length), this.head.length)
      this.head = h
    }
    this.discarded += b.length
    // a dropped large frame is garbage as it arrives: let the budget hint a collection
    this.budget?.dropped(b.length)
    if (b.length >= KEEP) this.tail = b.slice(b.length - KEEP)
    else {
      const t = new Uint8Array(Math.min(KEEP, this.tail.length + b.length))
      const fromOld = t.length - b.length
      t.set(this.tail.subarray(this.tail.length - fromOld), 0)
      t.set(b, fromOld)
      this.tail = t
    }
  }

  private finishDiscard(): void {
    const frame: OversizeFrame = {
      bytes: this.discarded,
      head: this.decoder.decode(this.head ?? new Uint8Array(0)),
      tail: this.decoder.decode(this.tail),
    }
    if (this.refused !== undefined && this.discarded <= this.max) frame.overBudget = this.refused
    if (this.droppedFor !== undefined) frame.ownLimit = this.droppedFor
    this.refused = undefined
    this.droppedFor = undefined
    this.h.onOversize(frame)
    this.discarding = false
    this.discarded = 0
    this.head = undefined
    this.tail = new Uint8Array(0)
  }

  private reportOversize(b: Uint8Array): void {
    const frame: OversizeFrame = { bytes: b.length, head: this.decoder.decode(b.subarray(0, KEEP)), tail: this.decoder.decode(b.subarray(b.length - KEEP)) }
    if (this.refused !== undefined && b.length <= this.max) frame.overBudget = this.refused
    if (this.droppedFor !== undefined) frame.ownLimit = this.droppedFor
    this.refused = undefined
    this.droppedFor = undefined
    this.h.onOversize(frame)
  }

  /** Whole lines, each ended by a line break (as `line` would take them one by one). */
  private lines(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes)
    let from = 0
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", from)) {
      // the decoder drops a byte-order mark only at its input's start, as it would for each line alone
      const begin = from > 0 && text.charCodeAt(from) === 0xfeff ? from + 1 : from
      this.text(text.slice(begin, at))
      from = at + 1
    }
  }

  /** The line is `buf[0, end)`; `buf` may go on past it (the newline, later lines). */
  private line(buf: Uint8Array, end: number): void {
    if (end > 0 && buf[end - 1] === 13) end--
    if (end === 0) return
    // Decoding up to the chunk's end avoids a view when only the line break follows (JSON allows
    // trailing whitespace); otherwise decode exactly the line.
    const onlyBreakAfter = end === buf.length || (buf.length - end <= 2 && buf[buf.length - 1] === NL)
    this.text(this.decoder.decode(onlyBreakAfter ? buf : buf.subarray(0, end)))
  }

  /** One line as text (trailing white space allowed). */
  private text(text: string): void {
    if (this.h.onNoise !== undefined && (this.held !== undefined ? this.holdOn(text) : this.holdFrom(text))) return
    const first = text.charCodeAt(0)
    if (first !== 123 /* { */) {
      const shown = text.trimEnd()
      if (shown.trim().length > 0 && (this.h.onNoise === undefined || !this.afterNoise(shown))) this.h.onSkip(shown)
      return
    }
    const compact = compactResponse(text)
    if (compact !== undefined) {
      let result: unknown = NOT_JSON
      try {
        result = JSON.parse(compact.result)
      } catch {
        // not one JSON value: the whole line is parsed below (and skipped if it is not JSON either)
      }
      if (result !== NOT_JSON) return this.h.onMessage({ result, jsonrpc: "2.0", id: compact.id }, compact.result)
    }
    const msg = parseLenient(text)
    if (msg !== NOT_JSON && msg !== null && typeof msg === "object" && (msg as { jsonrpc?: unknown }).jsonrpc === "2.0") this.h.onMessage(msg as Record<string, unknown>)
    else if (msg !== NOT_JSON || this.h.onNoise === undefined || !this.joined(text)) this.h.onSkip(text.trimEnd())
  }

  /**
   * A line that is only `{` or `[`: the first line of a message written over several lines
   * (pretty-printed: `JSON.stringify(m, null, 2)`, Python's `json.dumps(m, indent=2)`). Its lines
   * are held until the brackets close, then read as one message (`holdOn`). Before, each line was
   * skipped as noise: such a server's `initialize` went unanswered, every start failed at
   * `pool.connectTimeout` and the first tools/list waited for it.
   */
  private holdFrom(text: string): boolean {
    const opening = text.trim()
    if (opening !== "{" && opening !== "[") return false
    this.held = [text]
    this.heldDepth = 1
    this.heldSize = text.length
    return true
  }

  /**
   * The next line of a held message: indented (or closing it), or one of a message pretty-printed
   * without indentation (`UNINDENTED`: Python's `json.dumps(m, indent=0)`), it is the message's, and
   * the message is read once its brackets close; a line that cannot be (another unindented line, one
   * ending inside a string, past `maxFrameBytes` held) lets the held lines go as skipped and is read
   * on its own.
   */
  private holdOn(text: string): boolean {
    const held = this.held!
    // a blank line is whitespace between a message's tokens (also the line break of a line read
    // whole before it came: pendingWhole), never the end of it
    if (text.trim().length === 0) return true
    const first = text.charCodeAt(0)
    const inside = first === 32 || first === 9 || first === 125 /* } */ || first === 93 /* ] */ || UNINDENTED.test(text)
    const scan = inside ? bracketScan(text, 0, this.heldDepth) : undefined
    if (scan === undefined || (scan.end < 0 && scan.depth < 0) || this.heldSize + text.length > this.max) {
      this.held = undefined
      for (const line of held) this.h.onSkip(line.trimEnd())
      return false
    }
    held.push(text)
    this.heldSize += text.length + 1
    if (scan.end < 0) {
      this.heldDepth = scan.depth
      return true
    }
    this.held = undefined
    this.text(held.join("\n"))
    return true
  }

  /**
   * A line of several JSON values written without a line break between them (`{…}{…}`, or `{…}\r{…}`
   * from a server ending its lines with a bare carriage return), or of one followed by other text
   * (`{…} done.`): each value is read as if on its own line, what follows the last one is skipped.
   * False (the line skipped whole, as before) when it is one value alone or none. Before, every message on such a line was lost, and the calls they answered
   * waited out their timeout.
   */
  private joined(text: string): boolean {
    const { spans, rest } = jsonValueSpans(text)
    const after = text.slice(rest).trim()
    if (spans.length === 0 || (spans.length === 1 && after.length === 0)) return false
    for (const [from, to] of spans) this.text(text.slice(from, to))
    if (after.length > 0) this.h.onSkip(after)
    return true
  }

  /**
   * The bytes held since the last line break, when they are whole JSON values (a message whose line
   * break has not come): read now. A server that ends its lines with a bare carriage return, or
   * writes its last answer without a line break and waits, is answered at once; before, the answer
   * sat here until the next message arrived (or for ever). Only small pending text ending with a
   * closing bracket is tried (a large message's parts are never scanned).
   */
  private pendingWhole(last: Uint8Array): void {
    if (this.h.onNoise === undefined || this.size === 0 || this.size > PENDING_TRY_BYTES || this.charged > 0) return
    let end = last.length - 1
    while (end >= 0 && (last[end] === 13 || last[end] === 32 || last[end] === 9)) end--
    if (end < 0 || (last[end] !== 125 /* } */ && last[end] !== 93 /* ] */)) return
    const parts = this.parts
    const whole = parts.length === 1 ? parts[0]! : concatBytes(parts, this.size)
    const text = this.decoder.decode(whole)
    if (this.held !== undefined) {
      // a line of a message held over several lines: read before its line break only when it closes
      // that message; else it waits for its break (`{}` of `{},` read early left `,` a line of its own)
      const scan = bracketScan(text, 0, this.heldDepth)
      if (scan.end < 0 || text.slice(scan.end).trim().length > 0) return
      this.parts = []
      this.size = 0
      return this.text(text)
    }
    const { spans, rest, open } = jsonValueSpans(text)
    if (open || spans.length === 0 || rest !== text.length) return
    this.parts = []
    this.size = 0
    this.text(text)
  }

  /**
   * A JSON-RPC message at the end of a line that begins with something else: what a program wrote
   * without a line break before it (`booting... `, a terminal's escape sequence, a prompt) — the
   * message is read (the noise before it skipped and reported), where the whole line used to be
   * skipped and the request it answered waited out its timeout (an `initialize`: every start of the
   * server failed). Tried from the first NOISE_TRIES `{` of the line (a failed parse usually stops
   * within a few characters): a line that is no message costs a bounded few parses more.
   */
  private afterNoise(line: string): boolean {
    let at = line.indexOf("{")
    for (let tries = 0; at > 0 && tries < NOISE_TRIES; tries++, at = line.indexOf("{", at + 1)) {
      let msg: unknown
      try {
        msg = JSON.parse(line.slice(at))
      } catch {
        continue
      }
      if (msg === null || typeof msg !== "object" || (msg as { jsonrpc?: unknown }).jsonrpc !== "2.0") return false
      const noise = line.slice(0, at)
      if (noise.trim().length > 0) this.h.onNoise?.(noise)
      this.h.onMessage(msg as Record<string, unknown>)
      return true
    }
    return false
  }
}

/** The line as JSON; else as JSON once its raw control characters are escaped (a NUL in a string, after the object); else NOT_JSON. */
function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    const escaped = escapeControls(text)
    if (escaped === undefined) return NOT_JSON
    try {
      return JSON.parse(escaped)
    } catch {
      return NOT_JSON
    }
  }
}

/** Largest pending (unterminated) text tried as whole messages (`pendingWhole`). */
const PENDING_TRY_BYTES = 64 * 1024

/** Openings of a line of noise tried as the start of a message after it (`afterNoise`). */
const NOISE_TRIES = 4

/** Views of bytes [start, end) of the concatenation of `parts` (no copy). */
function slice(parts: readonly Uint8Array[], start: number, end: number): Uint8Array[] {
  const out: Uint8Array[] = []
  let at = 0
  for (const p of parts) {
    const from = Math.max(start, at)
    const to = Math.min(end, at + p.length)
    if (from < to) out.push(from === at && to === at + p.length ? p : p.subarray(from - at, to - at))
    at += p.length
    if (at >= end) break
  }
  return out
}

/** Bytes [start, end) of the concatenation of `parts` as Latin-1 text (edges only: a few bytes). */
function latin1(parts: readonly Uint8Array[], start: number, end: number): string {
  let s = ""
  for (const p of slice(parts, start, end)) s += String.fromCharCode(...p)
  return s
}

/**
 * Extract a JSON-RPC id from the edges of a dropped frame, if one is visible: a string or a safe
 * integer only (an id like 1.5 or 1e300 is no id to answer with: undefined, as for none).
 */
/**
 * The request a response still arriving answers, from its first bytes: its id when written before
 * its result or error (`{"jsonrpc":"2.0","id":7,"result":…`), else, in the SDK's layout with the
 * result first (`{"result":…`), the one request in flight. Undefined for anything else (a request
 * or notification of the server's, several in flight).
 */
export function responseOwner(head: string, pending: readonly (string | number)[]): string | number | undefined {
  const early = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*,\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"(?:result|error)"\s*:/.exec(head)
  if (early) {
    const v = early[1]!
    if (v.startsWith('"')) return JSON.parse(v) as string
    const n = Number(v)
    return Number.isSafeInteger(n) ? n : undefined
  }
  return /^\s*\{\s*"(?:result|error)"\s*:/.test(head) && pending.length === 1 ? pending[0] : undefined
}

export function idFromFrameEdges(frame: OversizeFrame): string | number | undefined {
  const re = /"id"\s*:\s*(-?\d+(?![\d.eE])|"(?:[^"\\]|\\.)*")/g
  const tail = [...frame.tail.matchAll(re)].pop() ?? [...frame.head.matchAll(re)][0]
  if (!tail) return undefined
  const v = tail[1]!
  if (v.startsWith('"')) return JSON.parse(v) as string
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : undefined
}
