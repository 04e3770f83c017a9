/**
 * @module core/problem-groups
 * Config problems that read the same for three or more server entries once each entry's name is
 * taken out (40 servers with one unknown key, a dozen that all lack `command`) are one line: the
 * problem once with `NAME` where each name stood, the line numbers of the entries left out, and the
 * servers it concerns (the first few, then "and N more"). One that fewer entries have keeps its line.
 */

/** Names shown in a grouped line. */
export const SHOWN_NAMES = 5
/** Entries with one problem that make one line. */
export const MIN_GROUP = 3
/** Stands for each server's name in a grouped line. */
export const NAME_PLACEHOLDER = "NAME"

/** "a, b, c, d, e and 195 more" */
export function someNames(names: readonly string[], shown = SHOWN_NAMES): string {
  if (names.length <= shown + 1) return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "")
  return `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`
}

/**
 * `text` with every whole-word occurrence of the server name `name` as `NAME`, and the line of each
 * `(file.yaml:12)` source taken out (`(file.yaml)`: each entry sits on its own line). A source's
 * path keeps its words (a server `c` is no `/c/` directory).
 */
export function withoutName(text: string, name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  // a server name is [A-Za-z0-9_-]: a word boundary is any other character (`servers.NAME.command`, `server NAME cannot…`)
  const word = new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`, "g")
  return text
    .split(SOURCE)
    .map((part, i) => (i % 2 === 1 ? part.replace(/:\d+\)$/, ")") : part.replace(word, NAME_PLACEHOLDER)))
    .join("")
}

/**
 * A source in a problem line, `(/path/file.ext)` or `(file.ext:line)` (captured: `split` keeps it);
 * not a key path in parentheses (`(servers.a.command)`: no slash, no line).
 */
const SOURCE = /(\((?:[^()\s]*\/[^()\s]*\.[A-Za-z0-9]+(?::\d+)?|[^()\s]+\.[A-Za-z0-9]+:\d+)\))/

const ENTRY = /^(?:servers|mcpServers)\.([A-Za-z0-9_-]+)[.\s]/

/** The problem lines in order, those of `MIN_GROUP` or more server entries that read the same made one line where the first stood. */
export function groupProblemLines(problems: readonly string[]): string[] {
  const keyOf = (p: string): string | undefined => {
    const name = ENTRY.exec(p)?.[1]
    return name === undefined ? undefined : withoutName(p, name)
  }
  const groups = new Map<string, string[]>()
  for (const p of problems) {
    const k = keyOf(p)
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), ENTRY.exec(p)![1]!])
  }
  const out: string[] = []
  const done = new Set<string>()
  for (const p of problems) {
    const k = keyOf(p)
    const names = k === undefined ? undefined : groups.get(k)!
    if (k === undefined || !names || new Set(names).size < MIN_GROUP) {
      out.push(p)
      continue
    }
    if (done.has(k)) continue
    done.add(k)
    const unique = [...new Set(names)]
    out.push(`${k} — for ${unique.length} servers (${NAME_PLACEHOLDER}): ${someNames(unique)}`)
  }
  return out
}
