/**
 * @module app/env-tag
 * A short hash of the base environment a downstream inherits from ours (pool/child-env
 * BASE_ENV_KEYS: LANG, PATH, HOME…). What a stdio server (or the Toolkit gateway) lists may depend on
 * it (descriptions localised by LANG, a PATH finding another version): the stored lists carry it as
 * their writer's tag (cache/tool-list-store `writer`), and the stored first answer's key holds it
 * (app/tool-snapshot), so two windows of one config in two environments keep an answer each.
 */
import { BASE_ENV_KEYS } from "../pool/index.ts"

export function baseEnvTag(env: Record<string, string | undefined> = process.env): string {
  const base = BASE_ENV_KEYS.filter((k) => env[k] !== undefined).map((k) => [k, env[k]])
  return new Bun.CryptoHasher("sha256").update(JSON.stringify(base)).digest("hex").slice(0, 12)
}
