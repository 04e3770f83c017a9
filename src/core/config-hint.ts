/**
 * @module core/config-hint
 * The config file this process runs with, for commands a message tells the user to run: "run
 * `mcp-orchestrator auth login remote`" run as printed from a terminal reads the default config,
 * not the `--config` file the editor started us with, and says the server is unknown. Set once by
 * the composition root (only for a file named explicitly: --config or MCPO_CONFIG).
 */
let configPath: string | undefined

export function setConfigHint(path: string | undefined): void {
  configPath = path
}

/** ` --config '<file>'` when the config was named explicitly, else "". */
export function configFlag(): string {
  if (configPath === undefined) return ""
  return ` --config ${/^[\w./@:+-]+$/.test(configPath) ? configPath : `'${configPath.replaceAll("'", `'\\''`)}'`}`
}

/** The command that logs in to a remote server's OAuth, as it must be typed in a terminal. */
export function loginCommand(server: string): string {
  return `mcp-orchestrator auth login ${server}${configFlag()}`
}
