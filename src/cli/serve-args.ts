/**
 * @module cli/serve-args
 * The command line of a plain `serve` (how Cursor starts us: `serve`, maybe `--config FILE`), read
 * without commander (≈ 2 MiB of a stdio session's memory). Only the simple, unambiguous shapes are
 * read here; anything else (help, version, another command, an unknown or repeated flag, `-cFILE`,
 * a value starting with "-") returns undefined and goes through commander, which reports errors.
 */
import type { ConfigFlags } from "./flags.ts"
import { lookupTable } from "../core/index.ts"

export type ServeFlags = ConfigFlags & { stdio: boolean }

/** Flags taking a value: the long name as written → the commander option key. */
const VALUED: Record<string, keyof ConfigFlags> = lookupTable({
  "--config": "config",
  "-c": "config",
  "--log-level": "logLevel",
  "--plugins": "plugins",
  "--profile": "profile",
  "--cache-dir": "cacheDir",
  "--http": "http",
  "--toolset": "toolset",
})

/** `args`: argv after the program (process.argv.slice(2)). */
export function parseServeArgs(args: readonly string[]): ServeFlags | undefined {
  const rest = args[0] === "serve" ? args.slice(1) : args
  const opts: ServeFlags = { stdio: true }
  const seen = new Set<string>()
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (arg === "--no-stdio") {
      if (seen.has(arg)) return undefined
      seen.add(arg)
      opts.stdio = false
      continue
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const key = VALUED[flag]
    if (!key) return undefined
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i]
    if (value === undefined || value === "" || value.startsWith("-")) return undefined
    if (key === "plugins") {
      opts.plugins = [...(opts.plugins ?? []), value]
      continue
    }
    if (seen.has(key)) return undefined
    seen.add(key)
    opts[key] = value
  }
  return opts
}
