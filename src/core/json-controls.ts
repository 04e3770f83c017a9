/**
 * @module core/json-controls
 * A JSON text with raw control characters, as a hand-written server writes it: a NUL or a tab copied
 * into a string unescaped (`"text":"a<NUL>b"`), a NUL after the object (a C string's terminator).
 * `JSON.parse` refuses the whole line, so the answer was dropped as noise and the request it answered
 * waited out its timeout. `escapeControls` gives the text with each control character in a string
 * escaped (`\u0000`) and those between values, other than white space, left out; undefined when
 * there is none (the text was refused for something else).
 */

/** The text with its raw control characters escaped in strings and dropped elsewhere, or undefined if it has none. */
export function escapeControls(text: string): string | undefined {
  if (!/[\u0000-\u001f]/.test(text)) return undefined
  let out = ""
  let from = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inString = false
      else if (c < 0x20) {
        out += text.slice(from, i) + `\\u${c.toString(16).padStart(4, "0")}`
        from = i + 1
      }
    } else if (c === 34) inString = true
    else if (c < 0x20 && c !== 9 && c !== 10 && c !== 13) {
      out += text.slice(from, i)
      from = i + 1
    }
  }
  return out + text.slice(from)
}
