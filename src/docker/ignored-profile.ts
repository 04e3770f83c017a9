/**
 * @module docker/ignored-profile
 * toolkit.profile set, but the CLI on this machine has no profiles (legacy era, below v0.28 or the
 * feature off): the setting changes nothing, which toolkit_status and doctor say, with what to do.
 */
export function ignoredProfileNote(profile: string, version: string): string {
  return `toolkit.profile "${profile}" has no effect: docker mcp ${version} runs in the legacy era (no profiles), so the servers enabled with \`docker mcp server enable\` are used. To use profiles, update Docker Desktop or the MCP Toolkit plugin (profiles from v0.28 with the feature on, always from v0.42); or remove toolkit.profile.`
}
