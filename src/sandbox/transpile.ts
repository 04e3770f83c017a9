/**
 * @module sandbox/transpile
 * TypeScript → JavaScript for guest modules (Bun.Transpiler, types stripped, no bundling), with
 * a best-effort map from output lines back to source lines so errors name the author's line.
 */
import { SandboxFault } from "./types.ts"

export interface Transpiled {
  code: string
  /** Maps a 1-based line of `code` to a 1-based line of the original source. */
  sourceLine(line: number): number
}

let tsTranspiler: InstanceType<typeof Bun.Transpiler> | undefined

/** `.ts`/`.mts` are transpiled, anything else is taken as JavaScript. Syntax errors carry their line. */
export function transpileModule(source: string, filename: string): Transpiled {
  if (!/\.m?ts$/.test(filename)) return { code: source, sourceLine: (l) => l }
  tsTranspiler ??= new Bun.Transpiler({ loader: "ts", target: "browser", trimUnusedImports: true })
  let code: string
  try {
    code = tsTranspiler.transformSync(source)
  } catch (e) {
    const pos = (e as { position?: { line?: number; column?: number } }).position
    const msg = (e as { message?: string }).message ?? String(e)
    throw new SandboxFault({
      kind: "guest",
      errorName: "SyntaxError",
      message: pos?.line ? `${msg} (column ${(pos.column ?? 0) + 1})` : msg,
      ...(pos?.line ? { line: pos.line } : {}),
    })
  }
  const map = alignLines(code, source)
  return { code, sourceLine: (l) => map[l - 1] ?? l }
}

const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g

function tokens(line: string): string[] {
  return (line.match(TOKEN) ?? []).map((t) => (t.startsWith("'") ? `"${t.slice(1, -1)}"` : t))
}

function containsAll(haystack: string[], needles: string[]): boolean {
  const left = [...haystack]
  for (const n of needles) {
    const i = left.indexOf(n)
    if (i < 0) return false
    left.splice(i, 1)
  }
  return true
}

/**
 * For each output line, the first source line at or after the previous match whose tokens include
 * all of the output line's tokens (type annotations only add tokens to the source). Monotone.
 */
export function alignLines(output: string, source: string): number[] {
  const src = source.split("\n").map(tokens)
  const out = output.split("\n")
  const map: number[] = []
  let at = 0
  for (const line of out) {
    const t = tokens(line)
    if (t.length === 0) {
      map.push(at + 1)
      continue
    }
    let found = -1
    for (let i = at; i < src.length && i < at + 200; i++) {
      if (containsAll(src[i]!, t)) {
        found = i
        break
      }
    }
    if (found >= 0) at = found
    map.push(at + 1)
  }
  return map
}
