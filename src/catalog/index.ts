/**
 * @module catalog
 * What tools and prompts exist and under which exposed name (namespacing of aggregated lists).
 */
export { assignNames, shortHash, type NameRequest, type NamedEntry, type NamespaceOptions } from "./namespace.ts"
export { cleanText, sanitizeItem, type SanitizeOptions, type SanitizeReport } from "./sanitize.ts"
export { definitionHash, ToolPins, type PinChange, type PinMode } from "./pins.ts"
