/**
 * @module cli/doctor-servers
 * `doctor`'s look at the stdio servers, as `serve` would start them: each enabled one's `cwd` is a
 * directory and its `command` is found (a file that exists and may be run, or a name on the
 * server's PATH: its `env.PATH`, else this process's); one warning per server that would fail to
 * start (config/stdio-paths words it, with the key). Then, unless `--no-start`, each of the others
 * is started, listed and stopped (cli/doctor-start): a warning per server that fails only when
 * started, a line with its tool count per server that works. With `--no-start`, nothing is
 * started and one line says the others' commands were found. (A secret on a server's command line
 * is a config warning: config/argv-secrets.)
 */
import { runsOrchestrator, startProblem, type LoadedConfig } from "../config/index.ts"
import type { Check } from "./doctor-run.ts"
import type { ServerStart } from "./doctor-start.ts"
import type { Listed } from "../app/index.ts"
import type { StartProgress } from "./doctor-progress.ts"

export async function checkStdioServers(loaded: LoadedConfig, env: Record<string, string | undefined>, start = true, progress?: StartProgress): Promise<{ checks: Check[]; servers?: ServerStart[]; listed?: Listed[] }> {
  const out: Check[] = []
  const skip = new Map<string, string>()
  const problems = new Map<string, { message: string; remedy: string }>()
  let fine = 0
  for (const [name, spec] of Object.entries(loaded.config.servers)) {
    if (!("command" in spec) || spec.disabled) continue
    const p = startProblem(name, spec, spec.env?.PATH ?? env.PATH)
    if (p) {
      out.push({ name: "servers", status: "warn", detail: `server ${name} cannot start: ${p.problem}`, remedy: p.remedy, server: name })
      problems.set(name, { message: `server ${name} cannot start: ${p.problem}`, remedy: p.remedy })
    } else if (runsOrchestrator(spec, undefined, env)) {
      // a nested copy of the orchestrator (the config warning above says so): started, it would start every other server again
      skip.set(name, "runs mcp-orchestrator itself (see the config warning)")
      fine++
    } else fine++
  }
  if (!start) {
    if (fine > 0) out.push({ name: "servers", status: "ok", detail: `${fine}${problems.size ? " other" : ""} stdio server${fine === 1 ? "" : "s"}: command found, working directory usable (not started: --no-start)` })
    return { checks: out }
  }
  const { startStdioServers } = await import("./doctor-start.ts")
  const started = await startStdioServers(loaded, env, { skip, problems, ...(progress ? { progress } : {}) })
  return { checks: [...out, ...started.checks], servers: started.servers, listed: started.listed }
}
