/**
 * @module auth/unsaved
 * A serving session's login changes the token file could not take (its directory read-only, the
 * disk full, the file's owner another user): kept in this process's memory, so the session goes on
 * with them. Before, the write's error failed the request that needed it: a refresh's new tokens
 * (a rotated refresh token with them) were dropped after the authorization server had issued them,
 * even its discovery failed to save, and every call of the server failed with the file system's
 * error as a connection failure ("check that the remote server is running"), the server restarted
 * in a loop. Kept by the process, not the provider: each connection of a session has its own.
 *
 * The record held is used while the file stays as it was when the write failed; once the file
 * changes (a login, another process's refresh, a logout), the file is the newer and the memory
 * goes. Each server's first failure is a warning naming the file and the cause (never a token).
 */
import { errorMessage, type Logger } from "../core/index.ts"
import type { OAuthRecord, TokenStore } from "./store.ts"

/** By server and url: the record as this process has it, and the file's mtime when it could not be written. */
const held = new Map<string, { mtime: number; rec: OAuthRecord }>()
/** Servers whose failed write was told (once per process). */
const told = new Set<string>()

const keyOf = (server: string, url: string): string => `${server}\n${url}`

/** The record this process holds for `server` because the file could not take it, while the file is unchanged since. */
export function heldRecord(store: TokenStore, server: string, url: string): OAuthRecord | undefined {
  const key = keyOf(server, url)
  const h = held.get(key)
  if (!h) return undefined
  if (h.mtime === store.mtimeOf(server)) return h.rec
  held.delete(key)
  return undefined
}

/**
 * Writes `rec` (the change of the stored one, or of the one held); when the file cannot take it,
 * holds it in memory instead and warns (the first time for this server). Returns whether it was written.
 */
export function writeOrHold(store: TokenStore, rec: OAuthRecord, url: string, log: Logger | undefined): boolean {
  const key = keyOf(rec.server, url)
  try {
    store.write(rec)
    held.delete(key)
    return true
  } catch (e) {
    held.set(key, { mtime: store.mtimeOf(rec.server), rec })
    if (!told.has(rec.server)) {
      told.add(rec.server)
      log?.warn("the token file could not be written; the login's new state is kept in memory for this run", {
        server: rec.server,
        file: store.pathOf(rec.server),
        error: errorMessage(e),
        remedy: `Make ${store.dir} writable by this user (and the disk not full). Until then a restart, and other editor windows, read the token file as it was: a refresh token this run was given in exchange for the one there is not on file, so they may need \`auth login ${rec.server}\`.`,
      })
    }
    return false
  }
}
