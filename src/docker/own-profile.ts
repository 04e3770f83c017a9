/**
 * @module docker/own-profile
 * The enabled servers of the driver's profile, from what `profile server ls --filter=profile=ID`
 * printed. A CLI that ignores the filter, or prints every profile as JSON Lines (one profile object
 * per line), lists the servers of other profiles too: taken as they came, a server in two profiles
 * was listed twice and another profile's servers passed for enabled ones (the gateway was restarted
 * for them). A server listed twice in one answer is one server.
 */
import type { Logger } from "../core/index.ts"
import { partialOf, withPartial } from "./partial.ts"
import type { ServerSummary } from "./types.ts"

export function ownProfileServers(servers: ServerSummary[], profileId: string, log: Logger, command: string): ServerSummary[] {
  const others = new Set<string>()
  const seen = new Set<string>()
  const out: ServerSummary[] = []
  for (const s of servers) {
    // a flat list names no profile: it is the filtered one
    if (s.profile !== undefined && s.profile !== profileId) {
      others.add(s.profile)
      continue
    }
    if (seen.has(s.name)) continue
    seen.add(s.name)
    out.push(s)
  }
  if (others.size > 0) {
    log.warn("docker mcp listed the servers of other profiles too; only this profile's are used", {
      command,
      profile: profileId,
      otherProfiles: [...others].slice(0, 10),
    })
  }
  return out.length === servers.length ? servers : withPartial(out, partialOf(servers))
}
