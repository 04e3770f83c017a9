/**
 * @module sandbox/transpile
 * TypeScript → JavaScript for guest modules (Bun.Transpiler, types stripped, no bundling), with
 * a best-effort map from output lines back to source lines so errors name the author's line.
 */
import { SandboxFault } from "./types.ts"

export interface Transpiled {
  code: string
  /** Each output line's 1-based source line (empty: the code is the source, line for line). */
  lines: readonly number[]
  /** Maps a 1-based line of `code` to a 1-based line of the original source. */
  sourceLine(line: number): number
}

let tsTranspiler: InstanceType<typeof Bun.Transpiler> | undefined

/** Whether `filename` is TypeScript (`.ts`/`.mts`): transpiled; anything else is taken as JavaScript. */
export function isTypeScript(filename: string): boolean {
  return /\.m?ts$/.test(filename)
}

/** What crosses from the worker that transpiled (sandbox/worker.ts `transpile`): the code and each output line's source line. */
export interface TranspiledJson {
  code: string
  lines: readonly number[]
}

/** A transpile result as JSON (done on a sandbox worker: 1 MB of TypeScript is ~0.1 s of work). */
export function transpileToJson(source: string, filename: string): string {
  return JSON.stringify(isTypeScript(filename) ? transpileWithLines(source) : ({ code: source, lines: [] } satisfies TranspiledJson))
}

/** The `Transpiled` a worker's `transpileToJson` describes. */
export function transpiledFrom(json: TranspiledJson): Transpiled {
  const map = json.lines
  return { code: json.code, lines: map, sourceLine: (l) => map[l - 1] ?? l }
}

/** `.ts`/`.mts` are transpiled, anything else is taken as JavaScript. Syntax errors carry their line. */
export function transpileModule(source: string, filename: string): Transpiled {
  return transpiledFrom(isTypeScript(filename) ? transpileWithLines(source) : { code: source, lines: [] })
}

function transpileWithLines(source: string): TranspiledJson {
  tsTranspiler ??= new Bun.Transpiler({ loader: "ts", target: "browser", trimUnusedImports: true })
  let code: string
  try {
    code = tsTranspiler.transformSync(source)
  } catch (caught) {
    // several errors come as an AggregateError "Parse error" with no position: its first one says
    // what and where (`Expected identifier but found "}"`, line, column)
    const first = (caught as { errors?: unknown[] }).errors?.[0]
    const e = first !== null && typeof first === "object" && "message" in first ? first : caught
    const pos = (e as { position?: { line?: number; column?: number } }).position
    const msg = (e as { message?: string }).message ?? String(e)
    throw new SandboxFault({
      kind: "guest",
      errorName: "SyntaxError",
      // Bun's column is 1-based already
      message: pos?.line ? `${msg} (column ${Math.max(1, pos.column ?? 1)})` : msg,
      ...(pos?.line ? { line: pos.line } : {}),
    })
  }
  return { code, lines: alignLines(code, source) }
}

const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g

function tokens(line: string): string[] {
  return (line.match(TOKEN) ?? []).map((t) => (t.startsWith("'") ? `"${t.slice(1, -1)}"` : t))
}

/** Each token of a line with how many times it occurs. */
function bag(line: string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const t of line) m.set(t, (m.get(t) ?? 0) + 1)
  return m
}

/** Lines searched back for each output line's source (a type-only block never spans more). */
const WINDOW = 200
/**
 * Token look-ups the alignment may make in all: it runs on the caller's thread before any sandbox
 * limit applies, and a script is client input (200 000 characters of `x++;` on one line made
 * 100 000 output lines each compared with a 100 000-token source line: minutes). Past it, the
 * lines left keep the last line found.
 */
const MAX_STEPS = 2_000_000

/**
 * For each output line, the first source line at or after the previous match whose tokens include
 * all of the output line's tokens (type annotations only add tokens to the source). Monotone.
 */
export function alignLines(output: string, source: string): number[] {
  const src = source.split("\n")
  const bags: Array<Map<string, number> | undefined> = []
  const out = output.split("\n")
  const map: number[] = []
  let at = 0
  let steps = 0
  for (const line of out) {
    const need = steps < MAX_STEPS ? bag(tokens(line)) : undefined
    if (!need || need.size === 0) {
      map.push(at + 1)
      continue
    }
    let found = -1
    for (let i = at; i < src.length && i < at + WINDOW && steps < MAX_STEPS; i++) {
      const have = (bags[i] ??= bag(tokens(src[i]!)))
      steps += need.size
      let all = true
      for (const [t, k] of need) {
        if ((have.get(t) ?? 0) < k) {
          all = false
          break
        }
      }
      if (all) {
        found = i
        break
      }
    }
    if (found >= 0) at = found
    map.push(at + 1)
  }
  return map
}
