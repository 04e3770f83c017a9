/** Imports the cache benchmark needs (kept apart so the bench file stays about measuring). */
import { ConfigSchema, type Config } from "../../src/config/index.ts"

export * from "../../src/cache/index.ts"

/** `config.cache` with defaults filled in, from a partial override. */
export function ConfigSchemaCache(over: Record<string, unknown>): Config["cache"] {
  return ConfigSchema.parse({ cache: over }).cache
}
