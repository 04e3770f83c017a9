/**
 * @module auth/needs-auth
 * The NEEDS_AUTH error of a remote server: why, and the exact `auth login` command as its remedy.
 */
import { DownstreamError, loginCommand } from "../core/index.ts"

export function needsAuthError(server: string, why: string): DownstreamError {
  return new DownstreamError("NEEDS_AUTH", `server ${server} needs authorization: ${why}`, {
    remedy: `Run \`${loginCommand(server)}\` in a terminal, then retry (no restart needed).`,
    details: { server, login: loginCommand(server) },
  })
}
