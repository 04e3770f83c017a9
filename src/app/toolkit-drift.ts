/**
 * @module app/toolkit-drift
 * Whether a change of the Toolkit CLI the driver reports (`onEraChange`) is another CLI, whose
 * cached answers must go, or drift of one read: a `docker mcp version` that printed nothing usable
 * once (`unknown`, the era then probed, perhaps wrongly: a probe that failed reads as legacy).
 * Dropping on drift deleted every cached Toolkit answer from disk, and the next detection, back to
 * the real version, deleted them all again.
 */
import type { ToolkitChange } from "../docker/index.ts"

type Cli = Pick<ToolkitChange["to"], "version" | "era">

/**
 * A judge fed every change in order: true when the cached answers must be dropped. Only a
 * detection that read a real version decides: one that differs (version or era) from the last real
 * one, or an era that an `unknown` detection in between had (answers read meanwhile may be that
 * era's). An `unknown` detection never drops anything.
 */
export function cliDriftJudge(): (change: ToolkitChange) => boolean {
  let lastReal: Cli | undefined
  /** Eras detected with an unknown version since the last real one. */
  const erasUnread = new Set<string>()
  const note = (cli: Cli): void => {
    if (cli.version === "unknown") erasUnread.add(cli.era)
    else lastReal = { version: cli.version, era: cli.era }
  }
  let first = true
  return (change) => {
    // the detection before the first change is its `from`
    if (first) note(change.from)
    first = false
    const to = change.to
    if (to.version === "unknown") {
      erasUnread.add(to.era)
      return false
    }
    const drop = (lastReal !== undefined && (lastReal.version !== to.version || lastReal.era !== to.era)) || [...erasUnread].some((era) => era !== to.era)
    erasUnread.clear()
    lastReal = { version: to.version, era: to.era }
    return drop
  }
}
