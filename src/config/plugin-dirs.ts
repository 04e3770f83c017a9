/**
 * @module config/plugin-dirs
 * Where plugins are read from: the configured `plugins.dirs` (default
 * `$XDG_CONFIG_HOME/mcp-orchestrator/plugins`), then extra `--plugins` dirs; and which file names
 * in them are plugins. Config knowledge, so that what depends on the plugin files (the tool-list
 * snapshot's key) can know them without loading the plugin host.
 */
import { join } from "node:path"
import { configHome } from "./file.ts"

/** Plugin file names: `*.js`, `*.mjs`, `*.ts`, `*.mts`, not dot-files (`*.d.ts` excluded by `isPluginFile`). */
export const PLUGIN_FILE_RE = /^[^.].*\.(m?js|m?ts)$/

export function isPluginFile(name: string): boolean {
  return PLUGIN_FILE_RE.test(name) && !/\.d\.m?ts$/.test(name)
}

/** `$XDG_CONFIG_HOME/mcp-orchestrator/plugins` (or `~/.config/…`). */
export function defaultPluginDir(env: Record<string, string | undefined> = process.env): string {
  return join(configHome(env), "plugins")
}

/** Configured dirs (or the default one) followed by extra `--plugins` dirs, without duplicates. */
export function resolvePluginDirs(configured: readonly string[] | undefined, extra: readonly string[] = [], env: Record<string, string | undefined> = process.env): string[] {
  const all = [...(configured ?? [defaultPluginDir(env)]), ...extra]
  return [...new Set(all)]
}
