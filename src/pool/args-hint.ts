/**
 * A stdio server that ended at start asking for a command-line argument: `@modelcontextprotocol/server-postgres`
 * without its database URL ("Please provide a database URL as a command-line argument"), a CLI that
 * prints its usage for a missing subcommand or path ("Usage: x <dir>", "error: missing required argument
 * 'path'"). The fix is in the entry's `args`, which the generic "check the command and environment" left
 * the user to guess.
 */
import type { EnvHint } from "./stderr-reason.ts"

/** A line about an argument the server lacks, or its usage line. */
const ASKS = /\bcommand[- ]line arg(?:ument)?s?\b|\bmissing (?:required |positional )?arg(?:ument)?s?\b|\barg(?:ument)?s? (?:\S+ )?(?:is |are )?required\b|\brequires? (?:an? |at least one )?(?:\S+ )?arg(?:ument)?s?\b|^\s*usage:/im

/** The fix for a server that asks for an argument, worded for server `server`; else undefined. */
export function argsHint(reason: string, server: string): EnvHint | undefined {
  if (!ASKS.test(reason)) return undefined
  return {
    text: `server ${server} asks for a command-line argument it did not get (its words above)`,
    remedy: `Add it to servers.${server}.args, after the package or script (e.g. args: ["-y", "<package>", "<what it asks for>"]); run the command by hand to see its usage.`,
  }
}
