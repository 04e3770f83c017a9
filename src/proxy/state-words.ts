/**
 * @module proxy/state-words
 * The one place a server's state becomes words for the model: search_tools (its description and
 * its answers), run_code's tool list note, describe_tools, call_tool's errors and
 * orchestrator_status. Each had its own table, and a server restarting after crashes (its session
 * `starting` again, with failures not yet cleared by a stable connection) read "starting" in
 * search_tools, as if nothing had failed.
 */
import { loginCommand, lookupTable } from "../core/index.ts"

/**
 * A status row's state as its tools are told of (the session's state, refined): `restarting` for a
 * start after failures (`restarting`), `listing` for a server up whose tool list is not known yet
 * (`toolsNotListed`: its tools/list not answered), `not-started` for one idle without a known list.
 */
export function shownState(s: { state: string; restarting?: boolean; toolsNotListed?: string }): string {
  if (s.state === "starting" && s.restarting === true) return "restarting"
  if (s.toolsNotListed === undefined) return s.state
  return s.state === "ready" ? "listing" : s.state === "idle" ? "not-started" : s.state
}

/** The words of each shown state: `short` in a list (`name (short)`), `said` after "Server NAME". */
const WORDS: Record<string, { short: string; said: string }> = lookupTable({
  starting: { short: "starting", said: "is still starting" },
  restarting: { short: "restarting after a failure", said: "failed and is being restarted now" },
  failed: { short: "failed", said: "failed" },
  backoff: { short: "failed, retrying", said: "failed and is being retried" },
  "open-circuit": { short: "failing, paused", said: "keeps failing and is paused before its next retry" },
  "needs-auth": { short: "waiting for a login", said: "is waiting for a login" },
  listing: { short: "up, its tool list not answered yet", said: "is up but has not answered its tools/list yet" },
  "not-started": { short: "not started yet", said: "has not been started in this run yet (no tool list is stored for it)" },
  probing: { short: "being probed", said: "is being probed" },
  disabled: { short: "disabled", said: "is disabled" },
  "invalid-config": { short: "not started, its config entry is invalid", said: "is not started" },
  ready: { short: "ready", said: "is ready" },
  idle: { short: "idle", said: "is idle" },
  closed: { short: "closed", said: "is closed" },
})

/** `state` (a `shownState`) in a list: "failed, retrying". */
export function stateShort(state: string): string {
  return WORDS[state]?.short ?? state
}

/** `state` (a `shownState`) after "Server NAME ": "failed and is being retried"; with what it waits for where that is fixed (a login, the config). */
export function stateSaid(state: string, name: string): string {
  if (state === "needs-auth") return `${WORDS[state]!.said} (\`${loginCommand(name)}\`)`
  if (state === "disabled") return `${WORDS[state]!.said} (servers.${name}.disabled: true in the config)`
  return WORDS[state]?.said ?? `is ${state}`
}
