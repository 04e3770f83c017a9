/**
 * @module cli/doctor-servers
 * `doctor`'s look at the stdio servers, as `serve` would start them: each enabled one's `cwd` is a
 * directory and its `command` is found (a file that exists and may be run, or a name on the
 * server's PATH: its `env.PATH`, else this process's). One warning per server that would fail to
 * start (config/stdio-paths words it, with the key), else one line saying all were found. Nothing
 * is started.
 */
import { startProblem, type LoadedConfig } from "../config/index.ts"
import type { Check } from "./doctor-run.ts"

export function checkStdioServers(loaded: LoadedConfig, env: Record<string, string | undefined>): Check[] {
  const out: Check[] = []
  let fine = 0
  for (const [name, spec] of Object.entries(loaded.config.servers)) {
    if (!("command" in spec) || spec.disabled) continue
    const p = startProblem(name, spec, spec.env?.PATH ?? env.PATH)
    if (!p) fine++
    else out.push({ name: "servers", status: "warn", detail: `server ${name} cannot start: ${p.problem}`, remedy: p.remedy })
  }
  if (fine > 0) out.push({ name: "servers", status: "ok", detail: `${fine}${out.length ? " other" : ""} stdio server${fine === 1 ? "" : "s"}: command found, working directory usable` })
  return out
}
