/**
 * @module cli
 * Argument parsing (commander) and subcommands. `runCli` returns the exit code: 0 ok, 1 runtime
 * failure, 2 usage or configuration error. It never calls process.exit (main.ts does).
 */
import type { HeldSignals } from "../app/index.ts"
import type { StdinHandover } from "../mcp/index.ts"
import type { Command } from "commander"
import { suggest } from "../config/index.ts"
import { ConfigError, errorMessage, NAME, VERSION, isOrchestratorError, redactString } from "../core/index.ts"
import { commandModules } from "./commands/index.ts"
import { registerDoctor } from "./doctor.ts"
import { registerServe, runServe } from "./serve.ts"
import { parseServeArgs } from "./serve-args.ts"
import { createState, type CliState } from "./state.ts"
import { drainStdout, trackStdout } from "./stdout-drain.ts"

const BUILTIN = new Set(["serve", "doctor", "version"])

function needsCommandModules(args: readonly string[]): boolean {
  const first = args.find((a) => !a.startsWith("-"))
  if (first === undefined) return args.includes("--help") || args.includes("-h")
  if (!BUILTIN.has(first)) return true
  return false
}

/** `stdin`: what the early face read of stdin (a stdio `serve` only); `held`: the signals held until `serve` listens (main.ts). */
export async function runCli(argv: readonly string[], stdin?: StdinHandover, held?: HeldSignals): Promise<number> {
  const state = createState()
  // a plain `serve` (Cursor's command line) runs without loading commander at all
  const plain = parseServeArgs(argv.slice(2))
  if (plain) {
    try {
      await runServe(plain, state, stdin, held)
    } catch (e) {
      return failure(e)
    }
    return exitCode(state)
  }
  // what a one-shot command prints goes out whole before the exit (cli/stdout-drain)
  trackStdout()
  const code = await runCommand(argv, state, stdin, held)
  await drainStdout()
  return code
}

/** Every command line but a plain `serve`, through commander. */
async function runCommand(argv: readonly string[], state: CliState, stdin: StdinHandover | undefined, held: HeldSignals | undefined): Promise<number> {
  const [{ CommanderError }, { UsageCommand, errorOutput }] = await Promise.all([import("commander"), import("./usage.ts")])
  // every command is a UsageCommand: command-line mistakes are said in our words (cli/usage)
  const outputError = errorOutput((m) => state.usage(m))
  const program = new UsageCommand(NAME)
    .description("One binary between Cursor (or any MCP client) and your MCP servers: Docker MCP Toolkit driver, warm connection pool, cache, sandboxed plugins.")
    .version(VERSION, "-V, --version", "print the version")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s), outputError: (s) => outputError(s) })

  registerServe(program, state, stdin, held)
  registerDoctor(program, state)
  program
    .command("version")
    .description("print the version")
    .option("--json", "as JSON")
    .action((o: { json?: boolean }) => {
      process.stdout.write(o.json ? JSON.stringify({ name: NAME, version: VERSION, bun: Bun.version, platform: `${process.platform}-${process.arch}` }) + "\n" : `${NAME} ${VERSION}\n`)
    })
  // Extra command modules are loaded only when the command line may need them, so the default
  // `serve` path (Cursor's cold start) does not pay for parsers, sandbox or cache CLI code.
  let modules = needsCommandModules(argv.slice(2))
  if (modules) for (const load of commandModules) (await load()).register(program)
  // a word that is no command would reach the default command (serve) as an argument it does not
  // take ("too many arguments for 'serve'"): say it is an unknown command, and which there are
  let unknown = unknownCommand(program, argv.slice(2))
  if (unknown !== undefined && !modules) {
    modules = true
    for (const load of commandModules) (await load()).register(program)
    unknown = unknownCommand(program, argv.slice(2))
  }
  if (unknown !== undefined) {
    state.usage(unknown)
    return exitCode(state)
  }
  for (const c of program.commands) c.exitOverride()

  try {
    await program.parseAsync(argv as string[], { from: "node" })
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0
      return 2
    }
    return failure(e)
  }
  return exitCode(state)
}

/**
 * "unknown command 'x'…" when the first operand of `args` (what is not an option or an option's
 * value) names no command of `program`; else undefined.
 */
export function unknownCommand(program: Command, args: readonly string[]): string | undefined {
  const serve = program.commands.find((c) => c.name() === "serve")
  // options that take a value (the program's and the default command's): their value is no operand
  const valued = new Set<string>()
  for (const o of [...program.options, ...(serve?.options ?? [])]) {
    if (!o.required && !o.optional) continue
    if (o.long) valued.add(o.long)
    if (o.short) valued.add(o.short)
  }
  let word: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === "--") {
      word = args[i + 1]
      break
    }
    if (a.startsWith("-") && a.length > 1) {
      if (valued.has(a)) i++
      continue
    }
    word = a
    break
  }
  if (word === undefined) return undefined
  const names = program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name())
  const known = new Set(["help", ...program.commands.flatMap((c) => [c.name(), ...c.aliases()])])
  if (known.has(word)) return undefined
  const near = suggest(word, names)
  return `unknown command '${word}'${near ? ` (did you mean '${near}'?)` : ""}; the commands are: ${names.join(", ")}, help (run with --help for usage)`
}

function exitCode(state: CliState): number {
  return state.code || (typeof process.exitCode === "number" ? process.exitCode : 0)
}

/** A command's error as its exit code: 2 for a configuration error, else 1 (message on stderr). */
function failure(e: unknown): number {
  if (e instanceof ConfigError) {
    process.stderr.write(redactString(`mcp-orchestrator: ${e.message}\n${e.remedy ? `Remedy: ${e.remedy}\n` : ""}`))
    return 2
  }
  process.stderr.write(redactString(`mcp-orchestrator: ${isOrchestratorError(e) ? e.describe() : errorMessage(e)}\n`))
  return 1
}
