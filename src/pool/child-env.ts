/**
 * @module pool/child-env
 * The environment a downstream child gets: a minimal base taken from ours, plus the server's `env`.
 * Nothing else leaks from our environment (tokens of other servers stay out).
 */
import { NETWORK_ENV_KEYS, registerNetworkEnvSecrets } from "../core/index.ts"

/** Variables copied from our environment when set (POSIX and Windows names). */
export const BASE_ENV_KEYS: readonly string[] = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TERM",
  "LANG",
  "LC_ALL",
  "TMPDIR",
  "TZ",
  "XDG_RUNTIME_DIR",
  "XDG_CONFIG_HOME",
  "XDG_CACHE_HOME",
  "XDG_DATA_HOME",
  // Docker CLI needs these to find its context and credentials (and a remote engine's TLS).
  "DOCKER_HOST",
  "DOCKER_CONFIG",
  "DOCKER_CONTEXT",
  "DOCKER_CERT_PATH",
  "DOCKER_TLS_VERIFY",
  // proxies and corporate CAs: `npx -y`/`uvx` behind a proxy download nothing without them
  // (their credentials are registered as secrets before a child gets them: core/network-env)
  ...NETWORK_ENV_KEYS,
  // Windows
  "SYSTEMROOT",
  "SystemRoot",
  "COMSPEC",
  "PATHEXT",
  "APPDATA",
  "LOCALAPPDATA",
  "USERPROFILE",
  "TEMP",
  "TMP",
  "WINDIR",
]

export function childEnv(serverEnv: Record<string, string> | undefined, parent: Record<string, string | undefined> = process.env): Record<string, string> {
  const env: Record<string, string> = {}
  registerNetworkEnvSecrets(parent)
  for (const k of BASE_ENV_KEYS) {
    const v = parent[k]
    if (v !== undefined) env[k] = v
  }
  if (serverEnv) for (const [k, v] of Object.entries(serverEnv)) env[k] = v
  // How many orchestrators deep this child is: an orchestrator started (directly or not) by
  // itself, e.g. from a config that lists mcp-orchestrator, stops the recursion (see app/serve).
  env[DEPTH_VAR] = String(nestingDepth(parent) + 1)
  return env
}

export const DEPTH_VAR = "MCPO_DEPTH"
/** Orchestrators above this process (0 when started by a client such as Cursor). */
export function nestingDepth(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env[DEPTH_VAR] ?? 0)
  return Number.isInteger(n) && n > 0 ? n : 0
}
