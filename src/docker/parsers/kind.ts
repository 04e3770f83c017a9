/**
 * @module docker/parsers/kind
 * The shape of a built-in parser for one kind of output: one function per era (taking the decoded
 * JSON/YAML value) and a content-based era detector for when the caller does not know the era.
 */
import type { Era } from "../types.ts"

export interface KindParser {
  legacy(value: unknown): unknown
  profiles(value: unknown): unknown
  /** Era from the content alone; `undefined` when ambiguous (e.g. `null`, `[]`). May throw ShapeMismatch. */
  detect(value: unknown): Era | undefined
  /**
   * For kinds whose output can be large: the same parse as a generator that yields between chunks
   * of entries (`legacy`/`profiles` run it to the end at once; `ParserRegistry.parseAsync` lets the
   * event loop run at each yield).
   */
  steps?: Record<Era, (value: unknown) => Generator<void, unknown>>
  /** The plain zod parse the steps must match (kept for tests and as the error path). */
  zod?: Record<Era, (value: unknown) => unknown>
}

/** Run a stepped parse to its end without yielding to anyone. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}
