/**
 * @module early-signals
 * SIGHUP, SIGINT and SIGTERM held from the first line of `main.ts` until app/serve listens for
 * them. By default each ends a process; a client (Cursor) that starts a server and stops it again
 * at once, or an editor that reloads its MCP servers right after `initialize`, sent one in the
 * window before serve's own handlers (a few hundred ms: the CLI, the config, the HTTP modules are
 * loaded first), and the process died by the signal (exit 143/130, nothing logged) instead of
 * stopping (exit 0) or re-reading its config. Serve acts on what came, in order, once it listens.
 * Held for `serve` only (other commands keep the default action: Ctrl-C ends them at once). Imports
 * nothing (it runs before anything else is evaluated).
 */
import type { HeldSignals } from "./app/index.ts"

// in the order clients send them (an editor stops its servers with SIGTERM, a terminal with SIGINT):
// the handlers are installed one after the other, and each signal's default action ends the process
const HELD = ["SIGTERM", "SIGINT", "SIGHUP"] as const

/** Is this command line `serve` (the default command; stdio or HTTP only)? Help and version are not. */
export function isServe(argv: readonly string[]): boolean {
  const args = argv.slice(2)
  if (args.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-V")) return false
  // the first word that is not an option or an option's value: only "serve" (or none) qualifies
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === "--") return false
    if (a.startsWith("-")) {
      if (!a.includes("=") && VALUE_FLAGS.has(a)) i++
      continue
    }
    return a === "serve"
  }
  return true
}

/** serve's options that take a value (a value is not the command word). */
const VALUE_FLAGS: ReadonlySet<string> = new Set(["-c", "--config", "--log-level", "--plugins", "--profile", "--cache-dir", "--http", "--toolset"])

/** Starts holding the signals; `release` stops and returns each one that came, in order of first arrival. */
export function holdSignals(): HeldSignals {
  const came: NodeJS.Signals[] = []
  const held = (sig: NodeJS.Signals): void => void (came.includes(sig) || came.push(sig))
  for (const sig of HELD) process.on(sig, held)
  return {
    pending: () => came,
    release: () => {
      for (const sig of HELD) process.off(sig, held)
      return came
    },
  }
}
