/**
 * @module cli/flags
 * Global flags shared by commands that load the config, turned into the top config layer.
 */
import type { Command } from "commander"
import { ConfigError, createLogHub, type LogHub, type LogLevel } from "../core/index.ts"
import { join } from "node:path"
import { configHome, expandHome, loadConfig, SERVING_FIFO_WAIT_MS, type FileChoice, type LoadedConfig } from "../config/index.ts"

export interface ConfigFlags {
  config?: string
  logLevel?: string
  plugins?: string[]
  http?: string
  profile?: string
  cacheDir?: string
  toolset?: string
}

/** Adds the config-related options to a command. */
export function withConfigOptions(cmd: Command): Command {
  return cmd
    .option("-c, --config <file>", "config file (YAML or JSON); default $MCPO_CONFIG or $XDG_CONFIG_HOME/mcp-orchestrator/config.yaml")
    .option("--log-level <level>", "debug | info | warn | error")
    .option("--plugins <dir>", "extra plugin directory (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option("--profile <id>", "Docker MCP Toolkit profile to use")
    .option("--cache-dir <dir>", "cache directory")
}

export function flagLayer(f: ConfigFlags): { values: Record<string, unknown>; sources: Map<string, string> } {
  const values: Record<string, unknown> = {}
  const sources = new Map<string, string>()
  const set = (path: string[], v: unknown, flag: string): void => {
    let node = values
    for (const k of path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>
    node[path[path.length - 1]!] = v
    sources.set(path.join("."), `flag ${flag}`)
  }
  if (f.logLevel !== undefined) set(["log", "level"], f.logLevel, "--log-level")
  if (f.plugins?.length) set(["plugins", "dirs"], f.plugins, "--plugins")
  if (f.http !== undefined) set(["http", "listen"], f.http, "--http")
  if (f.profile !== undefined) set(["toolkit", "profile"], f.profile, "--profile")
  if (f.cacheDir !== undefined) set(["cache", "dir"], f.cacheDir, "--cache-dir")
  if (f.toolset !== undefined) set(["toolset"], f.toolset, "--toolset")
  return { values, sources }
}

/** Loads config from flags + env + file; a ConfigError propagates (exit 2). */
export function loadFromFlags(f: ConfigFlags, extra?: { inline?: { text: string; name: string }; readFrom?: FileChoice; fifoWaitMs?: number }): LoadedConfig {
  const flags = flagLayer(f)
  // --plugins adds to the configured dirs rather than replacing them
  const loaded = loadConfig({ ...(f.config ? { configPath: f.config } : {}), flags: { values: { ...flags.values, plugins: undefined }, sources: flags.sources }, ...(extra?.inline ? { inline: extra.inline } : {}), ...(extra?.readFrom ? { readFrom: extra.readFrom } : {}), ...(extra?.fifoWaitMs !== undefined ? { fifoWaitMs: extra.fifoWaitMs } : {}) })
  // `~/…` as a shell would: an mcp.json entry's args reach us without one
  if (f.plugins?.length) loaded.config.plugins.dirs = [...new Set([...(loaded.config.plugins.dirs ?? [join(configHome(process.env), "plugins")]), ...f.plugins.map((d) => expandHome(d))])]
  // two config files in the default location (config.yaml and config.json…): one is read, said at start and by doctor
  if (loaded.file?.warning) loaded.warnings = [loaded.file.warning, ...(loaded.warnings ?? [])]
  // a config reload reads the same sources, flags included
  // (a file found in the default location, at start or by a reload since, stays its source: its
  // going is refused, not read as no config and no servers)
  let from = defaultFile(loaded) ?? extra?.readFrom
  const reload = (): LoadedConfig => {
    // while serving, an envFile FIFO with no writer must not hold every request (and signal) for 5 s
    const next = loadFromFlags(f, { ...extra, ...(from ? { readFrom: from } : {}), fifoWaitMs: SERVING_FIFO_WAIT_MS })
    from = defaultFile(next) ?? from
    next.reload = reload
    return next
  }
  loaded.reload = reload
  return loaded
}

/** The config's file when it was found in the default location. */
function defaultFile(loaded: LoadedConfig): FileChoice | undefined {
  return loaded.file?.via === "default location" ? { path: loaded.file.path, via: loaded.file.via, explicit: false } : undefined
}

export function hubFor(loaded: LoadedConfig | undefined, hub?: LogHub): LogHub {
  const h = hub ?? createLogHub("info")
  if (loaded) h.level = loaded.config.log.level as LogLevel
  return h
}

export { ConfigError }
