/**
 * A stdio server whose start waits for its user to sign in in a browser: `mcp-remote` to a remote
 * that wants OAuth ("Please authorize this client by visiting: <url>", then "Waiting for
 * authorization..."), and other servers with a login of their own ("Open this URL to sign in").
 * Nobody can finish that within the connect budget: the start is stopped at pool.connectTimeout and
 * restarted with backoff, each time with a new URL (mcp-remote opens a new browser tab). Before, the
 * user got "check the server's command and environment" for a command that was right.
 */
import type { EnvHint } from "./stderr-reason.ts"

/** A line asking its user to authorize or sign in, or saying it waits for that. */
const ASKS = /\b(?:authori[sz]e (?:this|the|your)|authori[sz]ation (?:url|link)|waiting for (?:the )?(?:user to )?(?:authori[sz]ation|sign[- ]?in|log[- ]?in|login|approval)|(?:sign|log) ?in (?:by|at|in your browser|by visiting)|to (?:sign|log) ?in\b|open (?:this|the following) (?:url|link))/i
/** A web address in the same text (the sign-in page). */
const URL = /\bhttps?:\/\/\S+/i

/** The fix for a server waiting for a browser sign-in, worded for server `server`; else undefined. */
export function signInHint(reason: string, server: string): EnvHint | undefined {
  if (!ASKS.test(reason) || !URL.test(reason)) return undefined
  return {
    text: `server ${server} waits for a sign-in in a browser (the address is in its output above), which its start cannot wait for`,
    remedy: `Sign in once outside the orchestrator: run servers.${server}'s command by hand in a terminal, finish the sign-in in the browser and stop it (mcp-remote keeps the tokens in ~/.mcp-auth, so later starts need no browser); or, for a remote MCP server, set its address as servers.${server}.url instead and run \`mcp-orchestrator auth login ${server}\`; or raise servers.${server}.connectTimeout to finish it in the tab it opened.`,
  }
}
