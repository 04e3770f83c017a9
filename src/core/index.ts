/**
 * @module core
 * Shared vocabulary: errors, logger, redaction, names, clock, durations. Imports nothing internal.
 */
export * from "./errors.ts"
export * from "./secrets.ts"
export * from "./redact.ts"
export * from "./logger.ts"
export * from "./names.ts"
export * from "./clock.ts"
export * from "./version.ts"
export * from "./duration.ts"
export * from "./error-catalog.ts"
export * from "./bytes.ts"
export * from "./line-framer.ts"
export * from "./cancel.ts"
export * from "./gate.ts"
export * from "./is-record.ts"
export * from "./atomic-write.ts"
export * from "./children.ts"
export * from "./raw-json.ts"
export * from "./json-check.ts"
export * from "./result-budget.ts"
export * from "./list-json.ts"
