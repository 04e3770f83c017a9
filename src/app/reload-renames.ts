/**
 * @module app/reload-renames
 * A reload refused because a key still names a server the file renamed (`toolsets.a.servers:
 * [memory]` after `memory:` became `mem:`, or `warm`): the problem says the rename it sees and the
 * key to update, not only "is not a configured server" (whose close-spelling hint cannot see a
 * rename to another name). A rename is what diffConfig pairs as one against the running config.
 */
import type { Config, UnknownServersError } from "../config/index.ts"
import { diffConfig } from "./config-diff.ts"

/** The error's problems, each naming a server the file renamed told the new name and the key to update. */
export function renameHints(running: Config, e: UnknownServersError): string[] {
  const { renamed } = diffConfig(running, { ...running, servers: e.servers as Config["servers"] })
  const hint = new Map<string, string>()
  for (const m of e.missing) {
    const to = Object.hasOwn(renamed, m.name) ? renamed[m.name] : undefined
    // the close-spelling guess (`did you mean "x"?`) gives way to the rename, which is what happened
    if (to !== undefined) hint.set(m.problem, `${m.problem.replace(/; did you mean "[^"]*"\?$/, "")}; did you rename it to ${to}? update ${m.key}`)
  }
  return e.problems.map((p) => hint.get(p) ?? p)
}

/**
 * A file that renames a server and keeps a toolset filter written for its old name (`tools.allow:
 * ["memory__*"]`) is valid, and the toolset silently loses the server's tools: each such glob is
 * named with the one to write.
 */
export function renamedGlobWarnings(next: Config, renamed: Readonly<Record<string, string>>): string[] {
  const sep = next.proxy.separator
  const out: string[] = []
  for (const [ts, set] of Object.entries(next.toolsets)) {
    for (const kind of ["allow", "deny"] as const) {
      for (const [i, glob] of (set.tools?.[kind] ?? []).entries()) {
        for (const [from, to] of Object.entries(renamed)) {
          if (!glob.startsWith(`${from}${sep}`) || Object.hasOwn(next.servers, from)) continue
          out.push(`toolsets.${ts}.tools.${kind}.${i}: "${glob}" names server ${from}, which this file renamed to ${to}, so it matches none of its tools now; did you mean "${to}${glob.slice(from.length)}"? update toolsets.${ts}.tools.${kind}`)
        }
      }
    }
  }
  return out
}
