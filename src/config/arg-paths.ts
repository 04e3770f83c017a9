/**
 * @module config/arg-paths
 * Arguments of a stdio entry that a shell would have made paths, and that reach the server as
 * written (no shell runs the command): `~/…` is not the home directory, and `./…`/`../…` in an
 * entry without `cwd` start at the directory the editor started the orchestrator in, not at the
 * config file's directory as a relative `command` and `cwd` do. The server then fails far from the
 * cause ("Cannot find module", a directory it cannot see); each is warned about at load with what
 * to write instead.
 */
import { resolve } from "node:path"

interface StdioLike {
  command?: unknown
  args?: unknown
  cwd?: unknown
  disabled?: unknown
}

/** The warning for one argument, or undefined. `baseDir`: the config file's directory (none: no file, nothing is relative to it). */
function argHint(arg: string, hasCwd: boolean, baseDir: string | undefined): string | undefined {
  if (arg === "~" || arg.startsWith("~/"))
    return `${JSON.stringify(arg)} reaches the server as written (no shell runs the command, so ~ is not the home directory); write ${JSON.stringify("${userHome}" + arg.slice(1))}`
  if (baseDir !== undefined && !hasCwd && (arg.startsWith("./") || arg.startsWith("../")))
    return (
      `${JSON.stringify(arg)} is relative to the directory the server starts in, which is the one the editor started the orchestrator in (the entry has no cwd), not the config file's directory; ` +
      `write ${JSON.stringify(resolve(baseDir, arg))}, or set cwd (a relative cwd starts at the config file's directory)`
    )
  return undefined
}

/**
 * One warning per such argument of an enabled stdio entry of `servers`/`mcpServers` (the config as
 * validated, variables resolved): `servers.a.args.0 (file:4): "./srv.js" is relative to …`.
 */
export function argPathWarnings(
  maps: Readonly<Record<string, Readonly<Record<string, StdioLike>> | undefined>>,
  sourceOf: (path: readonly PropertyKey[]) => string,
  baseDir: string | undefined,
): string[] {
  const out: string[] = []
  for (const key of ["servers", "mcpServers"]) {
    const map = maps[key]
    if (!map) continue
    for (const [name, s] of Object.entries(map)) {
      if (typeof s.command !== "string" || s.disabled === true || !Array.isArray(s.args)) continue
      const hasCwd = typeof s.cwd === "string" && s.cwd !== ""
      s.args.forEach((arg: unknown, i: number) => {
        const hint = typeof arg === "string" ? argHint(arg, hasCwd, baseDir) : undefined
        if (hint) out.push(`${key}.${name}.args.${i} (${sourceOf([key, name, "args", i])}): ${hint}`)
      })
    }
  }
  return out
}
