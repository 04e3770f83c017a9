/**
 * @module proxy/server-remedy
 * What to do about a server's failure when the failure itself said nothing more specific (its start
 * failure's generic "check the definition", a remote server's refusal worded for one request, a
 * timeout without advice): every status row that shows an error carries a remedy a user can act on.
 */
import { loginCommand } from "../core/index.ts"
import type { DownstreamDef } from "./types.ts"

/** The transport's own advice: the url, network, headers or sign-in of a remote server; the command and environment of a stdio one. */
export function transportRemedy(def: Pick<DownstreamDef, "name" | "spec">): string {
  return "url" in def.spec
    ? `Check that the server's url is reachable from this machine (network, proxy, TLS) and that its headers (e.g. an Authorization token) are right in the config, or sign in again if it uses OAuth (\`${loginCommand(def.name)}\`)`
    : "Check the server's command and environment in the config (run it by hand with the same args and env to see its output; `mcp-orchestrator doctor` checks its command and cwd)"
}

/**
 * A status row's remedy for its current error: the failure's own (`own`), else the owner's (the
 * Toolkit gateway's), else the sign-in for a server that needs one, else the transport's advice
 * (with whether it is retried by itself).
 */
export function rowRemedy(def: Pick<DownstreamDef, "name" | "spec" | "remedy">, state: string, error: string, own: string | undefined, authRemedy?: string): string {
  if (own !== undefined) return own
  const owners = def.remedy?.(error)
  if (owners !== undefined) return owners
  if (state === "needs-auth") return authRemedy ?? `Sign in: \`${loginCommand(def.name)}\`, then call again.`
  const retried = state === "backoff" || state === "open-circuit" || state === "starting" || state === "failed" ? "; mcp-orchestrator keeps retrying it with backoff" : ""
  return `${transportRemedy(def)}${retried}.`
}
