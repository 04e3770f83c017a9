/**
 * @module catalog
 * What tools and prompts exist and under which exposed name (namespacing of aggregated lists),
 * and what of a downstream's lists is fit to pass on (validation, repair, schema normalisation,
 * hidden-text removal).
 */
export { assignNames, nameBudget, namePrefix, shortHash, type NameRequest, type NamedEntry, type NamespaceOptions } from "./namespace.ts"
export { cleanText, sanitizeItem, stripInvisible, type SanitizeOptions, type SanitizeReport } from "./sanitize.ts"
export { definitionHash, pinKey, MAX_PINS_FILE_BYTES, MAX_UNLISTED_PINS, PIN_SAVE_DELAY_MS, PIN_WRITE_INTERVAL_MS, ToolPins, type PinChange, type PinMode, type PinsDropped, type ToolPinsOptions } from "./pins.ts"
export { outputValidators, type OutputValidator } from "./output-schema.ts"
export { downstreamArgs, modelArgTool } from "./arg-keys.ts"
export { normalizeSchema } from "./schema-normalize.ts"
export { portableSchema, portableTool } from "./portable-schema.ts"
export { checkList, checkListSliced, checkTools, MAX_ICON_SRC, MAX_META_BYTES, MAX_SCHEMA_BYTES, type CheckedList, type ItemIssue, type ItemKind } from "./validate.ts"
export type { IndexedTool, SearchHit, SearchOptions, ToolIndex } from "./search/index.ts"
// constants only (search/types.ts loads nothing): the search modules still load at the first index
export { DEFAULT_LIMIT as SEARCH_DEFAULT_LIMIT, MAX_LIMIT as SEARCH_MAX_LIMIT } from "./search/types.ts"
import type { ToolIndex, ToolIndexOptions } from "./search/index.ts"

/**
 * A tool search index (catalog/search). Its modules (BM25F, synonyms, the shell vocabulary, intent)
 * are evaluated at the first index made: a session that never searches does not load them.
 */
export function createToolIndex(opts?: ToolIndexOptions): ToolIndex {
  const search = require("./search/index.ts") as typeof import("./search/index.ts")
  return search.createToolIndex(opts)
}
