/**
 * @module auth/stored-logins
 * The stored logins of a config's remote servers, read (so their tokens are registered as secrets)
 * before `serve` answers anything an earlier run stored (the first-answer snapshot): a login or
 * refresh made since that run is a secret too. A small entry of its own (check-layers
 * PUBLIC_ENTRIES): the start reads it before the rest of auth (the SDK's OAuth client) is loaded.
 */
import { stateHome } from "../config/index.ts"
import { TokenStore } from "./store.ts"

export function registerStoredLogins(servers: Record<string, unknown>, env: Record<string, string | undefined> = process.env): void {
  const store = new TokenStore(stateHome(env))
  for (const [name, spec] of Object.entries(servers)) if (typeof (spec as { url?: unknown }).url === "string") store.read(name)
}
