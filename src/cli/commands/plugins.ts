/**
 * @module cli/commands/plugins
 * `plugins list`, `plugins check FILE`, `plugins test FILE --hook … --input JSON`: inspect, validate
 * and exercise sandboxed plugins without starting the server.
 */
import { basename } from "node:path"
import type { Command } from "commander"
import { createLogger, errorMessage, isOrchestratorError, type Logger } from "../../core/index.ts"
import {
  HOOKS,
  PARSER_KINDS,
  PluginHost,
  PromptManager,
  resolvePluginDirs,
  type HookName,
  type ParserKind,
  type PluginInfo,
  type PluginLimits,
  type ToolLike,
  visiblePath,
  visibleText,
  WATCHDOG_KILLS_TO_OFF,
  WATCHDOG_KILL_WINDOW_MS,
} from "../../plugin/index.ts"
import { Plugin } from "../../plugin/loader.ts"
import { ParserRegistry } from "../../docker/index.ts"
import { OWN_TOOL_NAMES } from "../../mcp/index.ts"
import { previewHookTools, type HookPreviewNote, type Tool } from "../../proxy/index.ts"
import { readInputFile } from "../read-input.ts"
import { isPluginFile } from "../../config/index.ts"
import { hubFor, loadFromFlags, withConfigOptions, type ConfigFlags } from "../flags.ts"

type Opts = ConfigFlags & { json?: boolean; hook?: string; input?: string; inputFile?: string; kind?: string; prompt?: string }

interface Setup {
  dirs: string[]
  limits: PluginLimits
  log: ReturnType<typeof createLogger>
  enabled: boolean
  /** The proxy settings `serve` checks a tools hook's list with. */
  proxy: { sanitize: boolean; maxDescription: number; portableSchemas: boolean }
}

function setup(o: Opts): Setup {
  // --plugins adds to the configured (or default) directories
  const loaded = loadFromFlags({ ...o, plugins: undefined })
  const p = loaded.config.plugins
  const log = createLogger(hubFor(loaded), "plugins")
  return { dirs: resolvePluginDirs(p.dirs, o.plugins ?? []), limits: p, log, enabled: p.enabled, proxy: loaded.config.proxy }
}

function fail(msg: string, code = 1): void {
  process.stderr.write(`mcp-orchestrator: ${msg}\n`)
  process.exitCode = code
}

export function register(program: Command): void {
  const cmd = program.command("plugins").description("list, check and test sandboxed plugins (prompts, routing rules, tool filters, parsers)")

  withConfigOptions(cmd.command("list").description("plugins found in the plugin directories, in composition order, with their state").option("--json", "as JSON")).action(
    async (o: Opts) => {
      const { dirs, limits, log, enabled } = setup(o)
      await using host = await PluginHost.create({ dirs, limits, log })
      const list = host.list()
      if (o.json) process.stdout.write(JSON.stringify({ enabled, dirs, plugins: list, prompts: host.listPrompts().map((p) => p.name) }, null, 2) + "\n")
      else process.stdout.write((enabled ? "" : "plugins are disabled in the configuration (plugins.enabled: false); the server loads none of these\n") + formatList(dirs, list))
    },
  )

  withConfigOptions(cmd.command("check").argument("<file>", "plugin file (.js or .ts)").description("load a plugin in the sandbox, validate its export, report problems with file:line").option("--json", "as JSON")).action(
    async (file: string, o: Opts) => {
      const { limits, log } = setup(o)
      // a file serve never loads (`policy.cjs`, `types.d.ts`, `.hidden.js`) checked "ok" while the
      // policy it holds was silently not in force: said, and a failure of the check
      const ignored = isPluginFile(basename(file)) ? undefined : `${visiblePath(file)}: serve does not load this file: plugin files are named *.js, *.mjs, *.ts or *.mts (not *.d.ts, not starting with a dot); rename it`
      await using p = await Plugin.load(file, limits, log)
      const info = p.info()
      if (o.json) process.stdout.write(JSON.stringify(ignored ? { ...info, ignored } : info, null, 2) + "\n")
      if (ignored) {
        if (!o.json) process.stderr.write(`${ignored}\n`)
        process.exitCode = 1
      }
      if (p.state !== "active") {
        if (!o.json) process.stderr.write(`${visibleText(p.lastError?.message ?? "failed")}\n`)
        process.exitCode = 1
        return
      }
      if (!o.json) process.stdout.write(`${ignored ? "valid, but serve does not load a file so named" : "ok"}: ${info.name}${info.version ? ` ${info.version}` : ""} (${visiblePath(file)})\n  hooks: ${info.hooks.join(", ") || "none"}\n` + (info.prompts.length ? `  prompts: ${info.prompts.join(", ")}\n` : "") + (info.parsers.length ? `  parsers: ${info.parsers.join(", ")}\n` : ""))
    },
  )

  withConfigOptions(
    cmd
      .command("test")
      .argument("<file>", "plugin file (.js or .ts)")
      .description("run one hook of a plugin and print its result as JSON")
      .requiredOption("--hook <hook>", `one of ${HOOKS.join(", ")}`)
      .option("--input <json>", 'route: {"server","tool","args"}; tools: [tools]; prompt: {"name","args"}; parse: "text" or {"kind","text","version","era","command"}')
      .option("--input-file <file>", "parse: read the text to parse from this file")
      .option("--kind <kind>", `parse: output kind (${PARSER_KINDS.join(", ")})`)
      .option("--prompt <name>", "prompt: the prompt to render (then --input is its arguments)"),
  ).action(async (file: string, o: Opts) => {
    if (!(HOOKS as readonly string[]).includes(o.hook ?? "")) return fail(`--hook must be one of ${HOOKS.join(", ")}`, 2)
    let input: unknown
    try {
      input = o.input === undefined ? undefined : JSON.parse(o.input)
    } catch (e) {
      return fail(`--input is not JSON: ${errorMessage(e)}`, 2)
    }
    const s = setup(o)
    // the entries of a tools hook's result that are no tool are left out by the plugin itself, with a
    // warning: kept to be reported with what serve's checks do (servedTools)
    const dropped: HookPreviewNote[] = []
    await using p = await Plugin.load(file, s.limits, keepingToolsWarnings(s.log, dropped))
    if (p.state !== "active") return fail(p.lastError?.message ?? "failed to load")
    try {
      const out = await runHook(p, o.hook as HookName, input, o)
      if (o.hook === "tools" && Array.isArray(out)) return servedTools(p, out as Tool[], (input as unknown[]).filter((t): t is Tool => typeof t === "object" && t !== null), s.proxy, dropped)
      process.stdout.write(JSON.stringify(out === undefined ? null : out, null, 2) + "\n")
    } catch (e) {
      if (e instanceof UsageError) return fail(e.message, 2)
      fail(isOrchestratorError(e) ? e.describe() : errorMessage(e))
    }
  })
}

class UsageError extends Error {}

/** `log`, keeping besides the warnings about a tools hook's entries (plugin/plugin `filterTools`). */
function keepingToolsWarnings(log: Logger, kept: HookPreviewNote[]): Logger {
  return {
    debug: (m, f) => log.debug(m, f),
    info: (m, f) => log.info(m, f),
    error: (m, f) => log.error(m, f),
    child: (c) => log.child(c),
    isEnabled: (l) => log.isEnabled(l),
    warn: (msg, fields) => {
      if (msg.startsWith("a plugin tools hook listed")) {
        const f = typeof fields === "function" ? fields() : (fields ?? {})
        const { plugin: _p, at: _a, ...rest } = f
        kept.push({ msg, fields: rest })
      }
      log.warn(msg, fields)
    },
  }
}

/**
 * A tools hook's list as `serve` would list it (proxy/hook-preview: the same checks, the input
 * standing for the servers' tools), on stdout; each change serve would make on stderr, and exit 1
 * when there is one: the author sees here what serve would drop or repair, not "ok".
 */
function servedTools(p: Plugin, out: Tool[], given: Tool[], proxy: Setup["proxy"], dropped: readonly HookPreviewNote[]): void {
  const r = previewHookTools(out, given, {
    reserved: OWN_TOOL_NAMES,
    rerouted: p.has("route"),
    ...(proxy.sanitize ? { sanitize: { maxDescription: proxy.maxDescription } } : {}),
    portable: proxy.portableSchemas,
  })
  process.stdout.write(JSON.stringify(r.tools, null, 2) + "\n")
  const notes = [...dropped, ...r.notes]
  if (notes.length === 0) return
  const lines = notes.map((n) => {
    const { tool, why, ...rest } = n.fields
    const extra = Object.entries(rest).map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    return visibleText(`${n.msg}${tool !== undefined ? ` (tool "${String(tool)}"${why !== undefined ? `: ${String(why)}` : ""})` : ""}${extra.length ? ` (${extra.join(", ")})` : ""}`)
  })
  fail(`the list above is what serve would list; it changes what the tools hook returned:\n${lines.map((l) => `  - ${l}`).join("\n")}\nFix the hook so that it lists only tools the servers have (or its route hook maps back), without outputSchema or execution.taskSupport changes, with valid definitions.`)
}

async function runHook(p: Plugin, hook: HookName, input: unknown, o: Opts): Promise<unknown> {
  if (!p.has(hook)) throw new UsageError(`plugin "${p.name}" has no ${hook} hook (it has: ${p.info().hooks.join(", ") || "none"})`)
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {})
  switch (hook) {
    case "route": {
      const i = obj(input)
      if (typeof i.server !== "string" || typeof i.tool !== "string") throw new UsageError('route input must be {"server": "...", "tool": "...", "args": {...}}')
      return p.route({ server: i.server, tool: i.tool, args: obj(i.args) })
    }
    case "tools":
      if (!Array.isArray(input)) throw new UsageError("tools input must be an array of tools")
      return p.filterTools(input as ToolLike[])
    case "prompt": {
      const i = obj(input)
      const name = o.prompt ?? (typeof i.name === "string" ? i.name : p.info().prompts.length === 1 ? p.info().prompts[0] : undefined)
      if (!name) throw new UsageError(`say which prompt: --prompt NAME (one of ${p.info().prompts.join(", ")})`)
      const args = o.prompt ? i : obj(i.args ?? i.arguments)
      const pm = new PromptManager()
      pm.set((p.manifest?.prompts ?? []).map((d) => ({ info: { name: d.name, ...(d.arguments ? { arguments: d.arguments } : {}), ...(d.description ? { description: d.description } : {}) }, source: p.name, render: (a) => p.renderPrompt(d.name, a) })))
      const r = await pm.get(name, args)
      if (!r) throw new UsageError(`plugin "${p.name}" has no prompt "${name}" (it has: ${p.info().prompts.join(", ")})`)
      return r
    }
    case "parse": {
      const i = typeof input === "string" ? { text: input } : obj(input)
      const text = o.inputFile !== undefined ? await readInputFile(o.inputFile) : i.text
      if (typeof text !== "string") throw new UsageError("parse needs the text: --input-file FILE, --input '\"text\"' or --input '{\"text\": \"...\"}'")
      const kinds = p.info().parsers
      const kind = o.kind ?? (typeof i.kind === "string" ? i.kind : kinds.length === 1 ? kinds[0] : undefined)
      if (!kind || !(PARSER_KINDS as readonly string[]).includes(kind)) throw new UsageError(`say which kind: --kind (${kinds.join(", ")})`)
      if (!kinds.includes(kind)) throw new UsageError(`plugin "${p.name}" has no parser for "${kind}" (it has: ${kinds.join(", ")})`)
      const str = (v: unknown, d: string): string => (typeof v === "string" ? v : d)
      const ctx = { version: str(i.version, "unknown"), era: typeof i.era === "string" ? i.era : undefined, command: str(i.command, `docker mcp (${kind})`) }
      const out = await p.parse(kind as ParserKind, text, ctx)
      if (out === undefined) return undefined
      // checked as the Toolkit driver checks it: a value the driver would refuse is an error here too
      const check = new ParserRegistry()
      check.setOverride(kind as ParserKind, () => out, `plugin "${p.name}" (${p.definedAt(["parsers", kind])})`)
      return check.parse(kind as ParserKind, text)
    }
  }
}

/**
 * The list for a terminal: paths (of files and directories: a plugin file may be named with ESC
 * sequences, a newline or U+202E) shown with such characters escaped, and every other text the
 * plugins chose through visibleText (the host escapes it already; this is the last line of defence).
 */
function formatList(dirs: string[], list: PluginInfo[]): string {
  const lines = [`plugin dirs: ${dirs.map(visiblePath).join(", ")}`]
  if (list.length === 0) return lines.concat("no plugins found").join("\n") + "\n"
  for (const p of list) {
    lines.push(visibleText(`${visiblePath(p.name)}${p.version ? ` ${p.version}` : ""}  [${p.state}]  ${visiblePath(p.file)}`))
    if (p.hooks.length) lines.push(`  hooks: ${p.hooks.join(", ")}`)
    if (p.prompts.length) lines.push(`  prompts: ${p.prompts.join(", ")}`)
    if (p.parsers.length) lines.push(`  parsers: ${p.parsers.join(", ")}`)
    for (const [hook, why] of Object.entries(p.hooksOff ?? {})) lines.push(visibleText(`  ${hook} hook off: ${why}`))
    for (const [hook, at] of Object.entries(p.hooksRetry ?? {})) lines.push(`  ${hook} hook tried again at ${at}`)
    for (const [hook, n] of Object.entries(p.hookKills ?? {})) lines.push(`  ${hook} hook killed by the watchdog ${n} time(s) recently (off after ${WATCHDOG_KILLS_TO_OFF} within ${WATCHDOG_KILL_WINDOW_MS / 60_000} min)`)
    if (p.lastError) lines.push(`  error: ${visibleText(p.lastError).split("\n").join("\n         ")}`)
  }
  return lines.join("\n") + "\n"
}
