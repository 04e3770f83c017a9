/**
 * @module core/json-check
 * A strict JSON validator over UTF-8 bytes split into chunks, so a large downstream result can be
 * checked and forwarded as the bytes it arrived in, without decoding it to a string or parsing it
 * into objects (each of which would cost its size again). It accepts only what `JSON.parse` of the
 * decoded text accepts and decodes without replacement: RFC 8259 grammar, well-formed UTF-8, at most
 * `MAX_DEPTH` levels. A `false` is always safe: the caller then takes the slow path.
 * It also reads the `isError` member of a tool result (true or false only), and in envelope mode
 * where each member of a top-level object starts and ends (to find a response's result in any layout).
 */

const MAX_DEPTH = 512

// states
const VALUE = 0
const VALUE_OR_CLOSE = 1 // after '['
const KEY_OR_CLOSE = 2 // after '{'
const KEY = 3 // after ',' in an object
const COLON = 4
const AFTER = 5 // after a value
const STR = 6
const ESC = 7
const HEX = 8
const UTF8 = 9
const LIT = 10
const N_MINUS = 11
const N_ZERO = 12
const N_INT = 13
const N_DOT = 14
const N_FRAC = 15
const N_EXP = 16
const N_EXP_SIGN = 17
const N_EXP_DIGITS = 18

/** Bytes that may follow a backslash, other than `u`: " \ / b f n r t. */
const SIMPLE_ESCAPE = new Uint8Array(256)
for (const c of [34, 92, 47, 98, 102, 110, 114, 116]) SIMPLE_ESCAPE[c] = 1

const OBJ = 1
const ARR = 2

const TRUE = [116, 114, 117, 101]
const FALSE = [102, 97, 108, 115, 101]
const NULL = [110, 117, 108, 108]

/** What a successful check found. */
export interface JsonCheck {
  /**
   * The value (envelope mode: its `result` member) is an object whose `isError` member is `true`
   * (`false` when absent or false).
   */
  isError: boolean
  /**
   * Envelope mode: the members of the top-level object (keys of up to 7 ASCII characters, each once),
   * as byte offsets [start, end) of their values; `end` may include whitespace after the value.
   */
  members?: Map<string, [number, number]>
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}

/**
 * Check that `chunks` (in order) hold exactly one JSON value, optionally surrounded by whitespace.
 * `envelope`: the value must be an object; its members are reported, and `isError` is read from its
 * `result` member.
 */
export function checkJsonBytes(chunks: readonly Uint8Array[], envelope = false): JsonCheck | undefined {
  const stack = new Uint8Array(MAX_DEPTH + 1)
  let depth = 0
  let state = VALUE
  let isKey = false
  let hex = 0
  let need = 0 // UTF-8 continuation bytes still expected
  let lo = 0x80 // range of the next continuation byte
  let hi = 0xbf
  let lit: number[] = TRUE
  let litAt = 0
  let done = false // the top-level value is complete
  // top-level `isError`: the key of the member being read at depth 1, and its verdict
  let keyChars = "" // a tracked key while it is read (ASCII only; escapes give up)
  let keyIsError = false
  let isError = false
  // envelope mode: the top-level members, the one being read, and where its value started
  const members = envelope ? new Map<string, [number, number]>() : undefined
  let member = ""
  let memberStart = -1
  /** The depth at which keys are read (`isError`), given the current member. */
  const errDepth = (): number => (envelope ? (member === "result" ? 2 : -1) : 1)
  let base = 0

  for (const b of chunks) {
    const n = b.length
    let i = 0
    while (i < n) {
      const c = b[i]!
      switch (state) {
        case STR: {
          // the hot loop: plain string bytes
          if (isKey && (depth === 1 || depth === errDepth())) {
            if (c === 34) {
              state = COLON
              keyIsError = depth === errDepth() && keyChars === "isError"
              i++
              continue
            }
            if (c === 92 || c >= 0x80) return undefined // escapes or non-ASCII in a top-level key: let JSON.parse decide
            if (c < 0x20) return undefined
            // 8 characters are enough to tell "isError" from any other key
            if (keyChars.length < 8) keyChars += String.fromCharCode(c)
            i++
            continue
          }
          while (i < n) {
            const d = b[i]!
            if (d >= 0x20 && d < 0x80 && d !== 34 && d !== 92) {
              i++
              continue
            }
            // the common escapes and 2-byte characters, when whole in this chunk, without leaving the loop
            if (d === 92 && i + 1 < n && SIMPLE_ESCAPE[b[i + 1]!] === 1) {
              i += 2
              continue
            }
            if (d >= 0xc2 && d <= 0xdf && i + 1 < n && (b[i + 1]! & 0xc0) === 0x80) {
              i += 2
              continue
            }
            break
          }
          if (i === n) continue
          const d = b[i]!
          i++
          if (d === 34) {
            state = isKey ? COLON : AFTER
            if (depth === 0) done = true
          } else if (d === 92) state = ESC
          else if (d < 0x20) return undefined
          else if (d >= 0xc2 && d <= 0xdf) {
            need = 1
            lo = 0x80
            hi = 0xbf
            state = UTF8
          } else if (d >= 0xe0 && d <= 0xef) {
            need = 2
            lo = d === 0xe0 ? 0xa0 : 0x80
            hi = d === 0xed ? 0x9f : 0xbf
            state = UTF8
          } else if (d >= 0xf0 && d <= 0xf4) {
            need = 3
            lo = d === 0xf0 ? 0x90 : 0x80
            hi = d === 0xf4 ? 0x8f : 0xbf
            state = UTF8
          } else return undefined
          continue
        }
        case UTF8:
          if (c < lo || c > hi) return undefined
          lo = 0x80
          hi = 0xbf
          if (--need === 0) state = STR
          i++
          continue
        case ESC:
          if (c === 117 /* u */) {
            hex = 4
            state = HEX
          } else if (c === 34 || c === 92 || c === 47 || c === 98 || c === 102 || c === 110 || c === 114 || c === 116) state = STR
          else return undefined
          i++
          continue
        case HEX:
          if (!isHex(c)) return undefined
          if (--hex === 0) state = STR
          i++
          continue
        case LIT:
          if (c !== lit[litAt]) return undefined
          i++
          if (++litAt === lit.length) {
            state = AFTER
            if (depth === 0) done = true
          }
          continue
        case N_MINUS:
          if (c === 48) state = N_ZERO
          else if (c >= 49 && c <= 57) state = N_INT
          else return undefined
          i++
          continue
        case N_ZERO:
        case N_INT:
        case N_FRAC:
        case N_EXP_DIGITS:
          if (c >= 48 && c <= 57 && state !== N_ZERO) {
            i++
            continue
          }
          if (c === 46 /* . */ && state !== N_FRAC && state !== N_EXP_DIGITS) {
            state = N_DOT
            i++
            continue
          }
          if ((c === 101 || c === 69) && state !== N_EXP_DIGITS) {
            state = N_EXP
            i++
            continue
          }
          // the number ended: this byte belongs to what follows it
          state = AFTER
          if (depth === 0) done = true
          continue
        case N_DOT:
          if (c < 48 || c > 57) return undefined
          state = N_FRAC
          i++
          continue
        case N_EXP:
          if (c === 43 || c === 45) state = N_EXP_SIGN
          else if (c >= 48 && c <= 57) state = N_EXP_DIGITS
          else return undefined
          i++
          continue
        case N_EXP_SIGN:
          if (c < 48 || c > 57) return undefined
          state = N_EXP_DIGITS
          i++
          continue
      }
      // structural states: whitespace is skipped
      if (isWs(c)) {
        i++
        continue
      }
      i++
      switch (state) {
        case COLON:
          if (c !== 58) return undefined
          state = VALUE
          continue
        case KEY_OR_CLOSE:
        case KEY:
          if (c === 34) {
            state = STR
            isKey = true
            keyChars = ""
            continue
          }
          if (c === 125 && state === KEY_OR_CLOSE) {
            depth--
            state = AFTER
            if (depth === 0) done = true
            continue
          }
          return undefined
        case AFTER: {
          if (done) return undefined // only whitespace after the top-level value
          const top = stack[depth - 1]
          if (members !== undefined && depth === 1 && (c === 44 || c === 125)) {
            // a member of the envelope ends here
            members.set(member, [memberStart, base + i - 1])
            member = ""
          }
          if (c === 44) {
            state = top === OBJ ? KEY : VALUE
            continue
          }
          if ((c === 125 && top === OBJ) || (c === 93 && top === ARR)) {
            depth--
            if (depth === 0) done = true
            continue
          }
          return undefined
        }
        case VALUE_OR_CLOSE:
        case VALUE: {
          if (c === 93 && state === VALUE_OR_CLOSE) {
            depth--
            state = AFTER
            if (depth === 0) done = true
            continue
          }
          if (members !== undefined) {
            if (depth === 0 && c !== 123) return undefined // the envelope is an object
            if (depth === 1) {
              // keys up to 7 characters are read whole; a longer one can equal none that matter
              if (keyChars.length > 7 || members.has(keyChars)) return undefined
              member = keyChars
              memberStart = base + i - 1
            }
          }
          // the value of an `isError` member: only literals true/false decide it
          if (keyIsError) {
            if (c === 116) isError = true
            else if (c === 102) isError = false
            else return undefined // another type under isError: let JSON.parse decide
            keyIsError = false
          }
          isKey = false
          if (c === 34) state = STR
          else if (c === 123 || c === 91) {
            if (depth === MAX_DEPTH) return undefined
            stack[depth++] = c === 123 ? OBJ : ARR
            state = c === 123 ? KEY_OR_CLOSE : VALUE_OR_CLOSE
          } else if (c === 116 || c === 102 || c === 110) {
            lit = c === 116 ? TRUE : c === 102 ? FALSE : NULL
            litAt = 1
            state = LIT
          } else if (c === 45) state = N_MINUS
          else if (c === 48) state = N_ZERO
          else if (c >= 49 && c <= 57) state = N_INT
          else return undefined
          continue
        }
      }
      return undefined
    }
    base += n
  }
  // end of input: a number may end here
  if (state === N_ZERO || state === N_INT || state === N_FRAC || state === N_EXP_DIGITS) {
    state = AFTER
    if (depth === 0) done = true
  }
  if (!done || state !== AFTER || depth !== 0) return undefined
  return members !== undefined ? { isError, members } : { isError }
}
