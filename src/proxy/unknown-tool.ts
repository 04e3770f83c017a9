/**
 * @module proxy/unknown-tool
 * Why a called name is not a tool, when the orchestrator knows more than "unknown": its server was
 * restarted under a new definition that no longer lists it (a config reload, the Toolkit gateway's
 * restart: the client still holds the old list, Cursor never re-lists mid-session), or its server's
 * config entry was left out as invalid (the problems, key and file:line), or its server's list stored
 * from an earlier run (the first lists' answer) had it and its live list does not. Otherwise the plain
 * "Unknown tool" answer with the close matches.
 */
import { invalidServerSummary, type InvalidServer } from "../config/index.ts"
import { DownstreamError, ProtocolError, shownName } from "../core/index.ts"
import { STORED_ONLY } from "./stored-names.ts"

/** Names of a server's tools shown in an answer; more are counted. */
const SHOWN = 8

/**
 * A server that lists no tool of the called name now: restarted by `restarted` (e.g. "its definition
 * changed in the config"), one whose stored list had it (`stored`: the first lists were answered from
 * that), or (neither) one whose listing the call waited for.
 */
export interface RestartedOwner {
  server: string
  tool: string
  restarted?: string
  stored?: boolean
  /** Its tools the caller may call, exposed names. */
  tools: readonly string[]
}

/** `Unknown tool: x (…)`: with the owner's restart and its tools now when known, the close matches, else where to find names. */
export function unknownToolError(name: string, guess: readonly string[], owner?: RestartedOwner): ProtocolError {
  const parts: string[] = []
  if (owner !== undefined) {
    const shown = owner.tools.slice(0, SHOWN).join(", ")
    const more = owner.tools.length > SHOWN ? `, … ${owner.tools.length} in all` : ""
    const what =
      owner.restarted !== undefined
        ? `was restarted (${owner.restarted}) and no longer lists ${shownName(owner.tool)}; its tools now`
        : owner.stored
          ? `no longer lists ${shownName(owner.tool)} (${STORED_ONLY}); its tools now`
          : `has listed its tools and has no ${shownName(owner.tool)}; its tools`
    parts.push(`server ${owner.server} ${what}: ${owner.tools.length ? shown + more : "none"}`)
  }
  parts.push(guess.length ? `did you mean ${guess.join(" or ")}?` : "find names with search_tools")
  return new ProtocolError(-32602, `Unknown tool: ${shownName(name)} (${parts.join("; ")})`, { details: { tool: name, ...(owner ? { server: owner.server } : {}) } })
}

/**
 * A call of `name`, under the server `owner` whose config entry is `disabled: true`: SERVER_DISABLED.
 * An entry of the same name (in any case) left out beside it (an enabled `mcpServers.x` beside a
 * disabled `servers.x`, `GitHub` beside `github`) is what the user may think is served: it is named,
 * with why it was left out, and the remedy says which to keep (before, only the start log said so).
 * `key`: the disabled entry's key (`mcpServers.x` when that is where it is written).
 */
export function disabledServerError(owner: string, name: string, leftOut: readonly InvalidServer[], key = `servers.${owner}`): DownstreamError {
  const shadowed = leftOut.filter((s) => !s.running && s.name.toLowerCase() === owner.toLowerCase())
  const also = shadowed.map((s) => `${s.entry} (${s.source}) is left out: ${invalidServerSummary(s)}`).join("; ")
  return new DownstreamError("SERVER_DISABLED", `Server ${owner} is disabled (${key}.disabled: true), so ${shownName(name)} cannot be called${also ? `; the other entry of that name, ${also}` : ""}`, {
    remedy: shadowed.length
      ? `Keep one entry of ${owner}: remove the disabled ${key} if ${shadowed.map((s) => s.entry).join(" or ")} is the one meant (it is served then), or set ${key}.disabled to false; a running mcp-orchestrator applies the change without a restart.`
      : `Set ${key}.disabled to false (or remove the key) in the config file if its tools should be reachable; a running mcp-orchestrator applies the change without a restart.`,
    details: { server: owner, tool: name, ...(shadowed.length ? { leftOut: shadowed.map((s) => ({ entry: s.entry, source: s.source })) } : {}) },
  })
}

/** The left-out entry `name` is a tool of (the longest server name it starts with), if any: CONFIG_INVALID with the entry's problems. */
export function leftOutToolError(name: string, separator: string, leftOut: readonly InvalidServer[], served: (server: string) => boolean): DownstreamError | undefined {
  let owner: InvalidServer | undefined
  for (const s of leftOut) {
    if (s.running || served(s.name) || !name.startsWith(s.name + separator)) continue
    if (owner === undefined || s.name.length > owner.name.length) owner = s
  }
  if (owner === undefined) return undefined
  const state = owner.disabled ? "is disabled, and its config entry" : "is not started: its config entry"
  return new DownstreamError("CONFIG_INVALID", `Server ${owner.name} ${state} ${owner.entry} (${owner.source}) is invalid, so ${shownName(name)} cannot be called: ${invalidServerSummary(owner)}`, {
    remedy: `${owner.remedy} A running mcp-orchestrator applies the fixed entry without a restart.`,
    details: { server: owner.name, tool: name, entry: owner.entry, source: owner.source },
  })
}

/**
 * A call of a tool the pins hold (proxy.pinTools: block): its server lists it, with a definition
 * that changed since it was approved (a possible rug pull); nothing is sent until it is approved.
 */
export function pinHeldError(name: string, server: string, tool: string, why: string): DownstreamError {
  return new DownstreamError("TOOL_DEFINITION_CHANGED", `${shownName(name)} is blocked: ${why} (proxy.pinTools: block holds a tool whose definition changed since it was approved; nothing was sent to the server)`, {
    remedy: `Review what changed on server ${server} (\`mcp-orchestrator pins list\` marks it), then run \`mcp-orchestrator pins approve ${server}/${tool}\`; the tool is listed again at the next tool listing, no restart needed (or set proxy.pinTools: warn).`,
    details: { server, tool: name },
  })
}

/**
 * A call of a tool known only from the list an earlier run stored, its server not listed in this
 * run within the call's budget (proxy.pinTools: block): its definition now could not be checked
 * against the pins, so nothing was sent (fail closed: a definition changed between runs would run
 * unchecked). `why`: what kept the listing (the server's last error), if known.
 */
export function pinUncheckedError(name: string, server: string, why: string | undefined): DownstreamError {
  return new DownstreamError("SERVER_UNAVAILABLE", `${shownName(name)} was not sent: server ${server} has not listed its tools in this run${why ? ` (${why})` : ""}, so the pins could not check the tool's definition (proxy.pinTools: block sends no call of a tool known only from the list an earlier run stored)`, {
    remedy: `Call it again once server ${server} has listed its tools (orchestrator_status shows its state); if its tools/list keeps failing, fix the server, or set proxy.pinTools: warn.`,
    details: { server, tool: name },
  })
}
