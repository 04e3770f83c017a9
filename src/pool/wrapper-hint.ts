/**
 * A package runner that refused to start a server because it would have asked first: `npx pkg`
 * (npm exec) with the package not installed, no `-y`, and no terminal to answer "Ok to proceed?"
 * (a server's stdin is the MCP pipe) exits with "npx canceled due to missing packages and no YES
 * option". The stderr line alone leaves the user guessing which config entry to change and how.
 */
import type { EnvHint } from "./stderr-reason.ts"

/** npm 7+'s wording (npm exec and npx alike). */
const NPX_CANCELED = /\bcanceled due to missing packages and no YES option\b/i

/** The fix for a package runner that would have asked to install, worded for server `server`; else undefined. */
export function wrapperHint(reason: string, server: string): EnvHint | undefined {
  if (!NPX_CANCELED.test(reason)) return undefined
  return {
    text: `npx would ask before installing the package of server ${server}, and a server has no terminal to answer it`,
    remedy: `Add "-y" before the package name in servers.${server}.args (e.g. args: ["-y", "<package>", …]), or install the package where the server starts.`,
  }
}
