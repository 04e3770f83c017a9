/**
 * @module docker/unknown-command
 * A `docker mcp` sub-command the CLI does not have: the plugin runs (docker found it), but this
 * CLI era lacks that command (`profile` on a legacy Toolkit, `server ls` once the legacy commands
 * are gone). docker and cobra word it `unknown command "profile" for "docker mcp"`, `docker:
 * unknown command: docker mcp profile` or `docker: 'mcp profile' is not a docker command`; only
 * `docker mcp` itself unknown means the plugin is not installed (docker/classify). What is said
 * names the era and the commands to use instead.
 */
import { ToolkitError } from "../core/index.ts"
import type { EraInfo } from "./era.ts"

const WORDINGS = [/unknown command "([\w-]+)" for "docker mcp(?: [\w -]+)?"/, /unknown command:? "?docker mcp ([\w-]+)/i, /'mcp ([\w-]+)' is not a docker command/i]

/** The sub-command of `docker mcp` that `text` (stderr, or an error message quoting it) says is unknown, if any. */
export function unknownSubcommand(text: string): string | undefined {
  for (const re of WORDINGS) {
    const m = re.exec(text)
    if (m) return m[1]
  }
  return undefined
}

/** What to use instead of `docker mcp <sub>` with this CLI era. */
function insteadOf(sub: string, info: EraInfo): string {
  if (info.era === "legacy")
    return `This Toolkit (${info.version}) runs the legacy era (profiles off): use the legacy commands (\`docker mcp server ls|enable|disable\`, \`docker mcp config read|write\`, \`docker mcp catalog show\`); \`docker mcp ${sub}\` needs profiles (v0.28 and later with profiles on: Docker Desktop's MCP profiles setting, or features.profiles "enabled" in ~/.docker/config.json; always on from v0.42).`
  return `This Toolkit (${info.version}) runs the profiles era, where the legacy commands are gone: use \`docker mcp profile server ls|add|remove\`, \`docker mcp profile config <id>\` and \`docker mcp ${info.ociCatalogCommand} show\`; \`docker mcp --help\` lists what it has. Update mcp-orchestrator if it asked for \`docker mcp ${sub}\` itself.`
}

/** `e` (a failure quoting an unknown sub-command) worded for the CLI era that lacks it; else `e` as it is. */
export function eraLacksCommand(e: ToolkitError, info: EraInfo): ToolkitError {
  const sub = e.code === "COMMAND_FAILED" ? unknownSubcommand(e.message) : undefined
  if (sub === undefined) return e
  return new ToolkitError(e.code, `The Toolkit ${info.version} (${info.era} era) has no \`docker mcp ${sub}\` command: ${e.message}`, {
    remedy: insteadOf(sub, info),
    details: { ...e.details, version: info.version, era: info.era, unknownCommand: sub },
    cause: e,
  })
}
