/**
 * @module core/network-env
 * What a child needs from our environment to reach the network as the user does, and the
 * credentials it may hold. Behind a corporate proxy `npx -y some-server` (npm), `uvx` (uv, pip) and
 * the server itself download through `HTTP(S)_PROXY` (curl, Python and Go read the lowercase
 * spellings, Node tools mostly the uppercase), trust the company's TLS-inspecting CA through
 * `SSL_CERT_FILE` / `NODE_EXTRA_CA_CERTS`, and a remote docker engine through `DOCKER_CERT_PATH`.
 * Both kinds of child (pool/child-env for servers, docker/runner for `docker` commands) pass them.
 *
 * A proxy URL often carries `user:pass@`, and `DOCKER_HOST` may (`tcp://user:pass@host`): those
 * are registered as secrets before any child gets them, so a server that prints its environment,
 * an error quoting the proxy, or a log line never shows them (`registerNetworkEnvSecrets`).
 */
import { collectUrlSecrets, registerSecret } from "./secrets.ts"

/** Proxy settings, both spellings (the lowercase ones win in curl and Python, npm reads either). */
export const PROXY_ENV_KEYS: readonly string[] = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy"]

/**
 * Everything network-related a child inherits: the proxies, Node's switch to use them for its own
 * `fetch` (Node 24+), npm's own proxy and CA settings, and the CA bundles OpenSSL, Node, Python
 * requests and curl read.
 */
export const NETWORK_ENV_KEYS: readonly string[] = [
  ...PROXY_ENV_KEYS,
  "NODE_USE_ENV_PROXY",
  "npm_config_proxy",
  "npm_config_https_proxy",
  "npm_config_noproxy",
  "npm_config_cafile",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "NODE_EXTRA_CA_CERTS",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
]

/** Keys whose value is a URL that may hold credentials (the proxies, and a docker engine's address). */
const URL_KEYS = new Set([...PROXY_ENV_KEYS.filter((k) => !/no_proxy/i.test(k)), "npm_config_proxy", "npm_config_https_proxy", "DOCKER_HOST"])

/** Values already registered (a registration rebuilds the redaction pattern: once per value, not per spawn). */
const registered = new Set<string>()

/**
 * Registers the credentials in the proxy URLs and `DOCKER_HOST` of `env` (`user:pass@`, a lone
 * token as user) as secrets, once per value. A proxy written without a scheme (`user:pass@proxy:3128`,
 * which curl and npm accept) is read as `http://`.
 */
export function registerNetworkEnvSecrets(env: Record<string, string | undefined>): void {
  for (const k of URL_KEYS) {
    const v = env[k]
    if (!v || registered.has(v)) continue
    registered.add(v)
    const out: string[] = []
    collectUrlSecrets(v.includes("://") ? v : `http://${v.trim()}`, out)
    for (const s of out) registerSecret(s, "network-env")
  }
}
