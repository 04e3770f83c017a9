/**
 * @module cli/commands/parse
 * `mcp-orchestrator parse <kind> [FILE]`: parses captured `docker mcp` output (JSON or YAML, stdin
 * when no FILE) into the driver's normalized JSON. For plugin authors testing parser overrides.
 */
import { existsSync } from "node:fs"
import type { Command } from "commander"
import { collectSettingsSecrets, collectSettingsTextSecrets, errorMessage, isOrchestratorError, SecretRegistry } from "../../core/index.ts"
import { InputTooLarge, readCappedChunks, readInputFile } from "../read-input.ts"
import { EraSchema, PARSE_KINDS, ParserRegistry, defaultParserRegistry, eraFromVersion, maskToolkitText, parseVersion, type Era, type ParseKind } from "../../docker/index.ts"

export interface ParseCommandOptions {
  era?: string
  version?: string
  toolkitVersion?: string
  /** Plugin directories whose parser overrides apply (`--plugins`, repeatable). */
  plugins?: string[]
  config?: string
}

export interface ParseOutcome {
  code: 0 | 1 | 2
  stdout: string
  stderr: string
}

async function readStdin(): Promise<string> {
  return readCappedChunks(process.stdin, "stdin")
}

/** The whole command as a function of its inputs (used by `register` and by tests). */
export async function runParse(kind: string, file: string | undefined, o: ParseCommandOptions, registry: ParserRegistry = defaultParserRegistry, stdin: () => Promise<string> = readStdin): Promise<ParseOutcome> {
  if (!(PARSE_KINDS as string[]).includes(kind)) {
    return { code: 2, stdout: "", stderr: `mcp-orchestrator parse: unknown kind "${kind}"; expected one of ${PARSE_KINDS.join(", ")}\n` }
  }
  let era: Era | undefined
  if (o.era !== undefined) {
    const r = EraSchema.safeParse(o.era)
    if (!r.success) return { code: 2, stdout: "", stderr: `mcp-orchestrator parse: --era must be legacy or profiles (got "${o.era}")\n` }
    era = r.data
  }
  if (o.version !== undefined && parseVersion(o.version) === null) {
    return { code: 2, stdout: "", stderr: `mcp-orchestrator parse: --version must look like v0.41.0 (got "${o.version}")\n` }
  }
  era ??= o.version ? eraFromVersion(parseVersion(o.version)) : undefined
  let text: string
  try {
    text = file === undefined || file === "-" ? await stdin() : await readInputFile(file)
  } catch (e) {
    if (e instanceof InputTooLarge) return { code: 1, stdout: "", stderr: `mcp-orchestrator parse: ${e.message}\n` }
    const code = (e as NodeJS.ErrnoException).code
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : errorMessage(e)
    return { code: 1, stdout: "", stderr: `mcp-orchestrator parse: cannot read ${file ?? "stdin"}: ${why}; name a file holding captured \`docker mcp\` output, or pipe it in (parse ${kind} - < out.json)\n` }
  }
  // as the driver reads a command that printed nothing (OUTPUT_EMPTY): never an empty list; the
  // legacy `config read` prints nothing for an empty config, so `config` alone takes it
  if (text.trim() === "" && kind !== "config") {
    return { code: 1, stdout: "", stderr: `mcp-orchestrator parse: ${file ?? "stdin"} is empty: there is no ${kind} output to parse (the driver reads a \`docker mcp\` command that prints nothing as an error, OUTPUT_EMPTY, never as an empty list); capture the command's output again, e.g. \`docker mcp … > out.json\`\n` }
  }
  try {
    let leftOut: readonly string[] = []
    const value = await registry.parseAsync(kind as ParseKind, text, {
      ...(era ? { era } : {}),
      ...(o.version ? { version: o.version } : {}),
      command: file ? `parse ${kind} ${file}` : `parse ${kind} (stdin)`,
      onSkipped: (notes) => (leftOut = notes),
    })
    // as the driver: the entries it could not read are left out, and said (a partial answer)
    const warning = leftOut.length ? `mcp-orchestrator parse: ${leftOut.length} entr${leftOut.length === 1 ? "y" : "ies"} of a shape the driver does not know left out: ${leftOut.slice(0, 5).map(maskToolkitText).join("; ")}\n` : ""
    return { code: 0, stdout: maskSettings(text, value, JSON.stringify(value, null, 2)) + "\n", stderr: warning }
  } catch (e) {
    return { code: 1, stdout: "", stderr: `mcp-orchestrator parse: ${isOrchestratorError(e) ? e.describe() : errorMessage(e)}\n` }
  }
}

/**
 * `json` (the normalized output) with the secret values the input holds masked, as the driver shows
 * a config it read (its tokens, API keys, URL passwords: what it registers from a `config read`):
 * captured output is pasted into bug reports and terminals. Before qa359 `parse config` printed them
 * as they came. The JSON stays valid (`[REDACTED]` inside the strings).
 */
function maskSettings(text: string, value: unknown, json: string): string {
  const found: string[] = []
  collectSettingsTextSecrets(text, found)
  collectSettingsSecrets(value, found)
  if (found.length === 0) return json
  const own = new SecretRegistry()
  own.set("parse-input", found)
  return own.redact(json)
}

/**
 * The registry `parse` uses: the built-in parsers, plus the overrides of plugins found in
 * `--plugins` dirs and the configured plugin dirs (loaded only when such a dir exists).
 */
async function pluginOverrides(o: ParseCommandOptions): Promise<{ registry: ParserRegistry } & AsyncDisposable> {
  const { loadFromFlags } = await import("../flags.ts")
  const loaded = loadFromFlags({ ...(o.config ? { config: o.config } : {}), ...(o.plugins?.length ? { plugins: o.plugins } : {}) })
  const { PluginHost, resolvePluginDirs } = await import("../../plugin/index.ts")
  const dirs = resolvePluginDirs(loaded.config.plugins.dirs).filter((d) => existsSync(d))
  if (!loaded.config.plugins.enabled || dirs.length === 0) return { registry: defaultParserRegistry, [Symbol.asyncDispose]: async () => {} }
  const { createLogHub, createLogger } = await import("../../core/index.ts")
  const host = await PluginHost.create({ dirs, limits: loaded.config.plugins, log: createLogger(createLogHub("warn"), "plugins"), watch: false })
  const registry = new ParserRegistry()
  const unbind = host.bindParsers(registry)
  return {
    registry,
    async [Symbol.asyncDispose]() {
      unbind()
      await host[Symbol.asyncDispose]()
    },
  }
}

export function register(program: Command): void {
  program
    .command("parse")
    .description("parse captured `docker mcp` output (JSON or YAML) into normalized JSON")
    .argument("<kind>", `one of: ${PARSE_KINDS.join(", ")}`)
    .argument("[file]", "file to read (default: stdin)")
    .option("--era <era>", "legacy or profiles, when the content is ambiguous")
    .option("--version <version>", "Toolkit version that printed the output (e.g. --version=v0.41.0)")
    .option("--toolkit-version <version>", "same as --version")
    .addHelpText(
      "after",
      "\nExamples:\n  docker mcp server ls --json | mcp-orchestrator parse servers\n  mcp-orchestrator parse catalog catalog.yaml\n  mcp-orchestrator parse config --era profiles config.json\n",
    )
    .option("--plugins <dir>", "apply the parser overrides of the plugins in this directory (repeatable); plugins.dirs from the config apply too", (v: string, prev: string[] = []) => [...prev, v])
    .option("-c, --config <file>", "config file (for plugins.dirs and plugin limits)")
    .action(async (kind: string, file: string | undefined, o: ParseCommandOptions) => {
      const version = o.version ?? o.toolkitVersion
      await using overrides = await pluginOverrides(o)
      const r = await runParse(kind, file, { ...o, ...(version ? { version } : {}) }, overrides.registry)
      if (r.stdout) process.stdout.write(r.stdout)
      if (r.stderr) process.stderr.write(r.stderr)
      process.exitCode = r.code
    })
}
