/**
 * @module cli/commands
 * Every subcommand module, registered in this order (help lists them in this order).
 * Each module exports `register(program)`.
 */
import type { Command } from "commander"

type Register = (program: Command) => void

export const commandModules: Array<() => Promise<{ register: Register }>> = [
  // one line per command module, e.g. () => import("./parse.ts"),
  () => import("./cache.ts"),
  () => import("./plugins.ts"),
  () => import("./parse.ts"),
  () => import("./demo.ts"),
  () => import("./cursor.ts"),
  () => import("./pins.ts"),
  () => import("./auth.ts"),
]
