/**
 * @module manage/config-keys
 * Whether a config key config_set was given is one the server's catalog entry declares (its config
 * schemas' `properties`; a nested key `auth.username` by its first part). The Toolkit stores any key
 * (`profile config --set`, legacy config.yaml) and the server reads only its declared ones: a key of
 * another server (`paths` set on github-official) or a misspelt one was "Set" and never used.
 */
import type { CatalogServer } from "../docker/index.ts"
import { isRecord } from "../core/index.ts"

/** The keys `entry`'s config schemas declare. */
function declaredKeys(entry: CatalogServer): string[] {
  return [...new Set((entry.config ?? []).flatMap((c) => (isRecord(c.properties) ? Object.keys(c.properties) : [])))]
}

/**
 * A note for the model when `key` is not a key `server` declares in the catalog (`servers`), naming
 * the keys it declares and the servers that declare `key`; undefined when it is declared, or when
 * the catalog does not know the server (nothing to check against).
 */
export function undeclaredKeyNote(servers: readonly CatalogServer[], server: string, key: string): string | undefined {
  const entry = servers.find((s) => s.name === server)
  if (!entry) return undefined
  const top = key.split(".")[0] as string
  const keys = declaredKeys(entry)
  if (keys.includes(top) || keys.includes(key)) return undefined
  const owners = servers.filter((s) => s !== entry && declaredKeys(s).includes(top)).map((s) => s.name).slice(0, 3)
  const its = keys.length ? `its declared keys are ${keys.slice(0, 10).map((k) => `\`${k}\``).join(", ")}${keys.length > 10 ? ", …" : ""}` : "it declares no configuration at all"
  const other = owners.length ? ` \`${top}\` is a key of ${owners.join(", ")}.` : ""
  return `Warning: the catalog entry of ${server} declares no config key \`${top}\` (${its}), so ${server} will not read this value.${other} Set a key it declares instead (the value stored under \`${key}\` stays, unused).`
}
