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
}
