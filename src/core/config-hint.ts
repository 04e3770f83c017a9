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

/** One argument of a command to type in a POSIX shell: as it is when plain, else single-quoted. */
function shellWord(s: string): string {
  return /^[\w./@:+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`
}

/** ` --config '<file>'` when the config was named explicitly, else "". */
export function configFlag(): string {
  if (configPath === undefined) return ""
  return ` --config ${shellWord(configPath)}`
}

/**
 * The command that logs in to a remote server's OAuth, as it must be typed in a terminal; `scope`:
 * scopes (space-separated) it asks for on top of the login's own (`auth login --scope`).
 */
export function loginCommand(server: string, scope?: string): string {
  return `mcp-orchestrator auth login ${server}${scope ? ` --scope ${shellWord(scope)}` : ""}${configFlag()}`
}
