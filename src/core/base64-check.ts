/**
 * @module core/base64-check
 * Whether a string is base64 as `atob` reads it (what the MCP SDK clients' `Base64Schema` runs on a
 * `blob` or an image/audio `data`): the alphabet A–Z a–z 0–9 + /, ASCII whitespace anywhere
 * (ignored), at most two `=` and only at the end of a length that divides by 4, and never a length
 * that leaves 1 over 4. Read character by character without decoding (nothing allocated unless
 * something is wrong), as a string (`base64Problem`) or fed code by code over JSON bytes
 * (`Base64Scan`, core/json-skim).
 */

/** 1: in the alphabet, 2: whitespace atob ignores, 3: `=`; 0: anything else. */
const KIND = new Uint8Array(128)
for (let c = 65; c <= 90; c++) KIND[c] = 1
for (let c = 97; c <= 122; c++) KIND[c] = 1
for (let c = 48; c <= 57; c++) KIND[c] = 1
KIND[43] = 1
KIND[47] = 1
for (const c of [9, 10, 12, 13, 32]) KIND[c] = 2
KIND[61] = 3

const NOT_PLAIN = /[^A-Za-z0-9+/]/

/** Base64 read one character code at a time; `problem()` at the end. */
export class Base64Scan {
  /** Characters that are not whitespace, `=` included. */
  private n = 0
  /** `=` seen so far (only more `=` or whitespace may follow). */
  private pads = 0
  /** What was wrong, once something was. */
  private bad: string | undefined
  /** Characters read (whitespace included), for the position named. */
  private at = 0

  /** Start after `plain` characters of the alphabet (already read). */
  constructor(plain = 0) {
    this.n = plain
    this.at = plain
  }

  /** Read one UTF-16 code; false once the text is known not to be base64. */
  code(c: number): boolean {
    if (this.bad !== undefined) return false
    const k = c < 128 ? KIND[c]! : 0
    const at = this.at++
    if (k === 1 && this.pads === 0) this.n++
    else if (k === 2) return true
    else if (k === 3) {
      this.n++
      this.pads++
    } else {
      const what = c < 128 ? JSON.stringify(String.fromCharCode(c)) : "no ASCII"
      this.bad = k === 1 ? `a "=" comes before character ${at}: "=" only pads the end` : `character ${at} is ${what}, which is no base64 (A-Z a-z 0-9 + / =)`
      return false
    }
    return true
  }

  /** What makes what was read no base64, or undefined. */
  problem(): string | undefined {
    if (this.bad !== undefined) return this.bad
    if (this.pads > 0 && (this.n % 4 !== 0 || this.pads > 2)) return `its "=" padding is wrong: ${this.pads} "=" ending ${this.n} characters (at most 2, on a length that divides by 4)`
    if (this.pads === 0 && this.n % 4 === 1) return `its length is ${this.n} character${this.n === 1 ? "" : "s"}, which no base64 has (one over a multiple of 4)`
    return undefined
  }
}

/** What makes `s` no base64 as `atob` reads it, or undefined (the common case: one pass, nothing allocated). */
export function base64Problem(s: string): string | undefined {
  const len = s.length
  // the plain alphabet (the whole of nearly every value): one regular-expression search
  const i = s.search(NOT_PLAIN)
  if (i < 0) return len % 4 === 1 ? `its length is ${len} character${len === 1 ? "" : "s"}, which no base64 has (one over a multiple of 4)` : undefined
  // padding, whitespace or a bad character: character by character from there
  const scan = new Base64Scan(i)
  for (let j = i; j < len; j++) if (!scan.code(s.charCodeAt(j))) break
  return scan.problem()
}
