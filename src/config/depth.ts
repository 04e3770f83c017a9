/**
 * @module config/depth
 * A config nests a few levels (`servers.<name>.headers.<name>`); a file nested tens of thousands of
 * levels (`{"a": [[[[…]]]]}`, within the 1 MiB a config may have) is refused before anything reads
 * it: the line scanners kept a key path per level (memory growing with the square of the depth:
 * 22 GB for 100 000 levels, and SIGTERM unanswered meanwhile), the YAML parser overflowed its
 * stack ("Maximum call stack size exceeded", said twice), and every later walk of the values is
 * recursive. One linear pass over the text counts open brackets outside strings and comments;
 * block-style YAML nests by indentation, checked on the parsed values (core/nesting).
 */

/** The deepest a config file may nest its lists and mappings. */
export const MAX_CONFIG_DEPTH = 100

/**
 * The line of the first `[` or `{` that opens more than `limit` levels, outside quoted strings and
 * comments (`#` after a space or at a line's start in YAML; `//` and `/* *\/` in JSONC); undefined
 * when none does.
 */
export function flowTooDeep(text: string, limit: number, jsonc: boolean): number | undefined {
  let depth = 0
  let line = 1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) line++
    else if (c === 34 || c === 39) {
      // a string: "…" with backslash escapes; '…' (YAML) with '' for a quote; neither spans a line here
      // (a multi-line YAML string holds no brackets that matter, and an unclosed one is the parser's to report)
      let j = i + 1
      while (j < text.length && text.charCodeAt(j) !== c && text.charCodeAt(j) !== 10) j += c === 34 && text.charCodeAt(j) === 92 ? 2 : 1
      if (text.charCodeAt(j) === 10) j--
      i = j
    } else if (c === 35 && !jsonc && (i === 0 || text.charCodeAt(i - 1) <= 32)) i = lineEnd(text, i)
    else if (c === 47 && jsonc && text.charCodeAt(i + 1) === 47) i = lineEnd(text, i)
    else if (c === 47 && jsonc && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf("*/", i + 2)
      const stop = end < 0 ? text.length : end + 1
      for (let k = i; k < stop; k++) if (text.charCodeAt(k) === 10) line++
      i = stop
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return line
    } else if ((c === 93 || c === 125) && depth > 0) depth--
  }
  return undefined
}

/** Index of the last character before the line break at or after `i` (or the text's end). */
function lineEnd(text: string, i: number): number {
  const n = text.indexOf("\n", i)
  return n < 0 ? text.length : n - 1
}
