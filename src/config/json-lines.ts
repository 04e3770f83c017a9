/**
 * @module config/json-lines
 * A config file written as JSON is read without the YAML parser (≈ 1–4 MiB of a stdio session's
 * memory): `JSON.parse` for the values and one pass over the text for what the YAML document gave
 * us, the line of every key path and duplicate keys (JSON.parse would keep the last one silently).
 */

export interface JsonLines {
  values: unknown
  /** Line (1-based) of the deepest node on `path` that exists. */
  lineOf(path: readonly (string | number)[]): number | undefined
  /** The first duplicate key: its path, its line and the line where it was first set. */
  duplicate?: { path: string[]; line: number; firstLine: number }
}

/** Joins a key path into one map key (a character no key holds). */
export const SEP = "\u0000"

/** `lineOf` over a map from joined key paths to lines: the line of the deepest known prefix of `path`, else `rootLine`. */
export function lineLookup(lines: ReadonlyMap<string, number>, rootLine: number): (path: readonly PropertyKey[]) => number {
  return (path) => {
    let found = rootLine
    for (let n = 1; n <= path.length; n++) {
      const l = lines.get(path.slice(0, n).map(String).join(SEP))
      if (l === undefined) break
      found = l
    }
    return found
  }
}

/** undefined when `text` is not plain JSON (the YAML parser then reads it and reports errors). */
export function readJson(text: string): JsonLines | undefined {
  let values: unknown
  try {
    values = JSON.parse(text)
  } catch {
    return undefined
  }
  const lines = new Map<string, number>()
  let duplicate: JsonLines["duplicate"]
  // frames of the containers being read: their path, their keys so far (objects), next index (arrays)
  const stack: Array<{ path: string[]; keys?: Map<string, number>; index: number; key?: string }> = []
  let line = 1
  const valueStarts = (): void => {
    const top = stack[stack.length - 1]
    if (!top || top.keys) return
    lines.set([...top.path, String(top.index)].join(SEP), line)
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) line++
    else if (c === 34) {
      // a string: a key when its container is an object waiting for one
      let j = i + 1
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1
      const top = stack[stack.length - 1]
      if (top?.keys && top.key === undefined) {
        const key = JSON.parse(text.slice(i, j + 1)) as string
        const path = [...top.path, key]
        const first = top.keys.get(key)
        if (first !== undefined) duplicate ??= { path, line, firstLine: first }
        else top.keys.set(key, line)
        lines.set(path.join(SEP), line)
        top.key = key
      } else valueStarts()
      i = j
    } else if (c === 123 || c === 91) {
      valueStarts()
      const top = stack[stack.length - 1]
      const path = top ? [...top.path, top.keys ? top.key! : String(top.index)] : []
      stack.push(c === 123 ? { path, keys: new Map(), index: 0 } : { path, index: 0 })
    } else if (c === 125 || c === 93) stack.pop()
    else if (c === 44) {
      const top = stack[stack.length - 1]
      if (top?.keys) top.key = undefined
      else if (top) top.index++
    } else if (c !== 58 && c !== 32 && c !== 9 && c !== 13) valueStarts() // a number, true, false or null starts
  }
  let root = 1
  for (let i = 0; i < text.length && /\s/.test(text[i]!); i++) if (text[i] === "\n") root++
  return { values, ...(duplicate ? { duplicate } : {}), lineOf: lineLookup(lines, root) }
}
