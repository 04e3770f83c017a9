/**
 * @module app/toolkit-cli-version
 * The version a Toolkit CLI printed last, kept in the cache per CLI stamp (the `docker-mcp` plugin
 * binary and the docker config: app/cached-toolkit `toolkitCliStamp`), so that a process whose `docker mcp
 * version` fails (a deleted docker context, a broken plugin, Docker Desktop restarting) still finds
 * the answers an earlier process cached for that CLI (app/cached-toolkit keys them by the version).
 * The stamp decides: a plugin replaced since is another stamp, whose version nobody has read.
 */
import type { Logger } from "../core/index.ts"
import type { TtlCache } from "../cache/index.ts"

/** Under kind `catalog` (the longest TTL; read with `peek`, stale or not), outside every scope's prefix, so dropping a scope's answers keeps it. */
const KEY_PREFIX = "cli-version/"

/** A stored version as read back (anything else is dropped as invalid). */
function storedVersion(v: unknown): string {
  if (typeof v !== "string" || v === "" || v === "unread" || v === "unknown") throw new Error("not a Toolkit version")
  return v
}

/**
 * `(version, stamp) → version to key by`: a version read (`v0.43.3`) is stored for `stamp` (the CLI's
 * files, stamped once by the caller for its read) when it is new;
 * `unread` (the read failed) and `unknown` (it printed nothing readable: a garbled pipe, a notice
 * alone) are the one stored for the stamp, when there is one (said once per process). A version that
 * cannot be read is never stored: keyed by the `unknown` literal, one garbled read made its call
 * miss every answer cached under the real version, and stored, it hid that version from the next
 * failed read. Without a stored one it stays `unknown`/`unread`, which the caller keys with the
 * stamp (two CLIs whose versions cannot be read never share entries).
 */
export function cliVersionMemo(cache: TtlCache, scopeBase: string, log: Logger): (version: string, stamp: string) => Promise<string> {
  let written: string | undefined
  let told = false
  return async (version, stamp) => {
    const key = `${KEY_PREFIX}${scopeBase}${stamp}`
    // "": a driver that cannot tell (no `cliVersion`)
    if (version === "") return version
    if (version === "unread" || version === "unknown") {
      const found = await cache.peek("catalog", key, { parse: storedVersion })
      if (!found) return version
      if (!told) {
        told = true
        log.warn("docker mcp version could not be read; the Toolkit answers cached for this CLI (the version read last) are served", { version: found.value, read: version, remedy: "run `docker mcp version` to see what fails (a deleted docker context, a broken plugin, Docker Desktop restarting)" })
      }
      return found.value
    }
    if (`${key}=${version}` !== written) {
      written = `${key}=${version}`
      await cache.set("catalog", key, version).catch(() => undefined)
    }
    return version
  }
}
