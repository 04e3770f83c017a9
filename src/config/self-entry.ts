/**
 * @module config/self-entry
 * Does a server entry run mcp-orchestrator itself? Such an entry in the orchestrator's own config
 * (typically copied over from Cursor's mcp.json) starts a nested copy behind it: every other server
 * starts twice and every tool is listed twice (the copy one level further down refuses to start
 * downstreams, so it cannot run away). `serve` and `doctor` warn about it (config/load) and
 * `cursor connect --import` leaves such an entry in mcp.json.
 *
 * An entry runs the orchestrator when its arguments are those of `serve` (`serve …`, none, or only
 * options: serve is the default command) and its command is `mcp-orchestrator` (by name, with or
 * without a directory or `.exe`), or the same file as this binary or another known copy (real paths
 * compared, a bare name looked up on PATH).
 */
import { realpathSync } from "node:fs"
import { isAbsolute, resolve } from "node:path"
import { NAME } from "../core/index.ts"

/** This process's executable when it is the compiled mcp-orchestrator (not `bun src/main.ts`: that one is bun). */
export function selfBinary(): string | undefined {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:\\~BUN")
  return compiled ? process.execPath : undefined
}

/** Arguments that make mcp-orchestrator serve: `serve …`, none, or options only (serve is the default command). */
export function servesArgs(args: unknown): boolean {
  if (args === undefined) return true
  if (!Array.isArray(args)) return false
  const first = args[0]
  if (first === undefined) return true
  if (typeof first !== "string") return false
  if (first === "serve") return true
  return first.startsWith("-") && !["-h", "--help", "-V", "--version"].includes(first)
}

function realpath(p: string): string | undefined {
  try {
    return realpathSync(p)
  } catch {
    return undefined
  }
}

/**
 * `spec` (an entry as written or loaded) starts `mcp-orchestrator serve`. `binaries`: paths of
 * orchestrator executables to compare with (this binary, the command `cursor connect` writes);
 * `env.PATH` finds a bare command.
 */
export function runsOrchestrator(spec: unknown, binaries: readonly (string | undefined)[] = [selfBinary()], env: Record<string, string | undefined> = process.env): boolean {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return false
  const { command, args } = spec as { command?: unknown; args?: unknown }
  if (typeof command !== "string" || !command || !servesArgs(args)) return false
  if (command.split(/[\\/]/).pop()!.replace(/\.exe$/i, "") === NAME) return true
  const known = new Set(binaries.filter((b): b is string => !!b).map((b) => realpath(b)).filter((b): b is string => !!b))
  if (!known.size) return false
  const path = /[\\/]/.test(command) ? (isAbsolute(command) ? command : resolve(command)) : Bun.which(command, { PATH: env.PATH ?? "" })
  const real = path ? realpath(path) : undefined
  return real !== undefined && known.has(real)
}
