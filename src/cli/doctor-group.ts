/**
 * @module cli/doctor-group
 * Servers that fail `doctor` for the same reason (200 entries whose `npx` is not on PATH, a dozen
 * servers that all exit for the same missing variable; three or more) are one row: the problem and its remedy
 * once, with `NAME` where each server's name stood, and the servers it concerns (the first few,
 * then "and N more"; `--json` lists them all under `servers`); the lines of their entries in the
 * file are left out of the grouped text. A problem only one server has keeps
 * its own row, as worded for it.
 */
import { MIN_GROUP, NAME_PLACEHOLDER as PLACEHOLDER, someNames, withoutName as templated } from "../core/index.ts"
import type { Check } from "./doctor-run.ts"

/**
 * The checks in order, with the warnings and failures of `MIN_GROUP` or more servers that read the same
 * once their names are taken out made one row, where the first of them stood. Rows without a
 * `server`, and `ok` rows, are left as they are.
 */
export function groupServerChecks(checks: readonly Check[]): Check[] {
  const keyOf = (c: Check): string | undefined =>
    c.server !== undefined && c.status !== "ok" ? JSON.stringify([c.name, c.status, templated(c.detail, c.server), c.remedy === undefined ? null : templated(c.remedy, c.server)]) : undefined
  const groups = new Map<string, Check[]>()
  for (const c of checks) {
    const k = keyOf(c)
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), c])
  }
  const out: Check[] = []
  for (const c of checks) {
    const k = keyOf(c)
    const group = k === undefined ? undefined : groups.get(k)!
    if (!group || group.length < MIN_GROUP) {
      out.push(c)
      continue
    }
    if (group[0] !== c) continue
    const names = group.map((g) => g.server!)
    out.push({
      name: c.name,
      status: c.status,
      detail: `${names.length} servers, each: ${templated(c.detail, c.server!)} (${PLACEHOLDER}: ${someNames(names)})`,
      ...(c.remedy !== undefined ? { remedy: templated(c.remedy, c.server!) } : {}),
      servers: names,
    })
  }
  return out
}
