/**
 * @module cli/doctor-servers
 * `doctor`'s look at the stdio servers, as `serve` would start them: each enabled one's `cwd` is a
 * directory and its `command` is found (a file that exists and may be run, or a name on the
 * server's PATH: its `env.PATH`, else this process's); one warning per server that would fail to
 * start (config/stdio-paths words it, with the key). Then, unless `--no-start`, each of the others
 * is started, listed and stopped (cli/doctor-start): a warning per server that fails only when
 * started, a line with its tool count per server that works. With `--no-start`, nothing is
 * started and one line says the others' commands were found. A server whose command line holds a
 * secret (a registered value: `--api-key X`, a token-shaped argument, a `${env:…}` secret put in an
 * argument, URL credentials) is warned about, naming where without the value: any local user reads
 * a process's arguments (`ps`, /proc/<pid>/cmdline), unlike its environment.
 */
import { secrets } from "../core/index.ts"
import { runsOrchestrator, startProblem, type LoadedConfig } from "../config/index.ts"
import type { Check } from "./doctor-run.ts"
import type { ServerStart } from "./doctor-start.ts"
import type { StartProgress } from "./doctor-progress.ts"

export async function checkStdioServers(loaded: LoadedConfig, env: Record<string, string | undefined>, start = true, progress?: StartProgress): Promise<{ checks: Check[]; servers?: ServerStart[] }> {
  const out: Check[] = []
  const skip = new Map<string, string>()
  const problems = new Map<string, { message: string; remedy: string }>()
  let fine = 0
  for (const [name, spec] of Object.entries(loaded.config.servers)) {
    if (!("command" in spec) || spec.disabled) continue
    const exposed = argvSecrets(spec.command, spec.args)
    if (exposed.length)
      out.push({
        name: "servers",
        status: "warn",
        detail: `server ${name} is given a secret on its command line (${exposed.join(", ")}): every local user can read a process's arguments (ps, /proc/<pid>/cmdline)`,
        remedy: `pass it through servers.${name}.env or an envFile instead, under the variable the server reads (its documentation names it); its environment is readable only by you`,
      })
    const p = startProblem(name, spec, spec.env?.PATH ?? env.PATH)
    if (p) {
      out.push({ name: "servers", status: "warn", detail: `server ${name} cannot start: ${p.problem}`, remedy: p.remedy })
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
  return { checks: [...out, ...started.checks], servers: started.servers }
}

/**
 * Where a stdio server's command line holds a registered secret (`command`, `args[3] after
 * --api-key`), never the value: the flag before a value is named when there is one.
 */
export function argvSecrets(command: string, args: readonly string[] | undefined): string[] {
  const where: string[] = []
  if (secrets.test(command)) where.push("command")
  const list = args ?? []
  list.forEach((a, i) => {
    if (!secrets.test(a)) return
    const prev = i > 0 ? list[i - 1]! : undefined
    const flag = prev !== undefined && /^--?[A-Za-z][\w.-]*$/.test(prev) ? ` after ${prev}` : ""
    where.push(`args[${i}]${flag}`)
  })
  return where
}
