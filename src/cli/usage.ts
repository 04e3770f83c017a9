/**
 * @module cli/usage
 * Command-line mistakes in our words, as an unknown command is reported (cli/index): what was given,
 * what the command expects, where to read more, exit code 2. Commander's own messages ("error: too
 * many arguments for 'serve'. Expected 0 arguments but got 1: bogus.") are replaced by the
 * `UsageCommand` every command of the program is made with (commander's `createCommand`):
 *
 * - an extra argument: "'serve' takes no arguments, but was given 'bogus' (run 'mcp-orchestrator
 *   serve --help' for usage)";
 * - an unknown option: "unknown option '--bogus' for 'serve' (did you mean '--http'?); its options
 *   are: …";
 * - a missing argument or option value, a required option not given, an unknown subcommand
 *   ("unknown command 'cache bogus'; the cache commands are: stats, clear, help").
 *
 * Anything else commander reports keeps its text, without its "error: " and with the same prefix
 * and help hint.
 */
import { Command, type Option } from "commander"
import { suggest } from "../config/index.ts"
import { NAME } from "../core/index.ts"

/** How a usage error goes out (one line, without the "mcp-orchestrator: " prefix). */
export type UsageOut = (message: string) => void

export class UsageCommand extends Command {
  override createCommand(name?: string): Command {
    return new UsageCommand(name)
  }

  /** "'cache clear'" (the program itself: its name). */
  private named(): string {
    return `'${path(this)}'`
  }

  private helpHint(): string {
    return `(run '${this.parent ? `${NAME} ${path(this)}` : NAME} --help' for usage)`
  }

  /** Reported through commander (its exit handling, `exitOverride`), in our words. */
  private refuse(message: string, code: string): never {
    return this.error(`${message} ${this.helpHint()}`, { code, exitCode: 2 })
  }

  unknownOption(flag: string): void {
    if ((this as unknown as { _allowUnknownOption?: boolean })._allowUnknownOption) return
    const options = visibleOptions(this)
    const longs = options.map((o) => o.long).filter((l): l is string => l !== undefined)
    const near = (flag.startsWith("--") ? suggest(flag, longs) : otherCase(flag, options)) ?? programNear(this, flag)
    const listed = options.map(flagsOf).join(", ")
    this.refuse(`unknown option '${flag}' for ${this.named()}${near ? ` (did you mean '${near}'?)` : ""}; its options are: ${listed}`, "commander.unknownOption")
  }

  _excessArguments(received: string[]): void {
    if ((this as unknown as { _allowExcessArguments?: boolean })._allowExcessArguments) return
    const expected = this.registeredArguments
    const given = received.map((a) => `'${a}'`).join(", ")
    const takes =
      expected.length === 0
        ? `takes no arguments${this.commands.length > 0 ? ` (its commands are: ${commandNames(this).join(", ")})` : ""}`
        : `takes at most ${expected.length} argument${expected.length === 1 ? "" : "s"} (${expected.map(argLabel).join(" ")})`
    const count = expected.length === 0 ? "" : `${received.length}: `
    this.refuse(`${this.named()} ${takes}, but was given ${count}${given}`, "commander.excessArguments")
  }

  missingArgument(name: string): void {
    const arg = this.registeredArguments.find((a) => a.name() === name)
    const what = arg?.description ? ` (${arg.description})` : ""
    this.refuse(`${this.named()} needs the argument <${name}>${what}, and none was given`, "commander.missingArgument")
  }

  optionMissingArgument(option: Option): void {
    this.refuse(`option '${option.long ?? option.short}' of ${this.named()} needs a value: ${flagsOf(option)}`, "commander.optionMissingArgument")
  }

  missingMandatoryOptionValue(option: Option): void {
    this.refuse(`${this.named()} needs the option ${flagsOf(option)}${option.description ? ` (${option.description})` : ""}, and it was not given`, "commander.missingMandatoryOptionValue")
  }

  unknownCommand(): void {
    const word = this.args[0] ?? ""
    const names = commandNames(this)
    const near = suggest(word, names)
    const group = path(this)
    this.refuse(`unknown command '${group} ${word}'${near ? ` (did you mean '${group} ${near}'?)` : ""}; the ${group} commands are: ${names.join(", ")}, help`, "commander.unknownCommand")
  }
}

/** The commander output settings of the program: our prefix on every error, with a help hint when it has none. */
export function errorOutput(out: UsageOut): (str: string) => void {
  return (str) => {
    const message = str.replace(/^error: /, "").trimEnd()
    out(/for usage\)$/.test(message) ? message : `${message} (run with --help for usage)`)
  }
}

/** "cache clear": the command's words after the program's name ("mcp-orchestrator" for the program itself). */
function path(cmd: Command): string {
  const words: string[] = []
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name())
  return words.length > 0 ? words.join(" ") : cmd.name()
}

/** The options a user can give `cmd`: its own (help included), then its parents' up to positional options. */
function visibleOptions(cmd: Command): Option[] {
  const out: Option[] = []
  for (let c: Command | null = cmd; c; c = c.parent) {
    out.push(...c.createHelp().visibleOptions(c))
    if ((c as unknown as { _enablePositionalOptions?: boolean })._enablePositionalOptions) break
  }
  return out
}

/** "-c/--config <file>" (commander's "-c, --config <file>" would read as two options in a list). */
/** A short flag given in the other case ("-C" for "-c"): the option's long name, else undefined. */
function otherCase(flag: string, options: readonly Option[]): string | undefined {
  const o = options.find((x) => x.short !== undefined && x.short !== flag && x.short.toLowerCase() === flag.toLowerCase())
  return o ? (o.long ?? o.short) : undefined
}

/**
 * The program's own option a flag given to a command most likely stands for, as a whole command
 * line ("--verison" or "-v" for 'serve', the default command: "mcp-orchestrator --version"); else
 * undefined. The program's options are not a command's (positional options).
 */
function programNear(cmd: Command, flag: string): string | undefined {
  let root = cmd
  while (root.parent) root = root.parent
  if (root === cmd) return undefined
  const options = root.createHelp().visibleOptions(root)
  const hit = flag.startsWith("--") ? suggest(flag, options.map((o) => o.long).filter((l): l is string => l !== undefined)) : otherCase(flag, options)
  return hit ? `${NAME} ${hit}` : undefined
}

function flagsOf(o: Option): string {
  return o.flags.replace(/^(-\w), /, "$1/")
}

function commandNames(cmd: Command): string[] {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name())
}

function argLabel(a: { name(): string; required: boolean; variadic: boolean }): string {
  const n = `${a.name()}${a.variadic ? "..." : ""}`
  return a.required ? `<${n}>` : `[${n}]`
}
