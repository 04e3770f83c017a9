/**
 * @module core/error-catalog
 * Every typed error code a user can meet (OrchestratorError family, plus HTTP endpoint statuses):
 * what it means and how to fix it. docs/troubleshooting.md is generated from this table, and a test
 * fails when a code thrown in src/ is missing here.
 */
import type { ErrorKind } from "./errors.ts"

export interface ErrorCatalogEntry {
  code: string
  /** Where it comes from; "http" entries are HTTP statuses of `serve --http`. */
  kinds: readonly (ErrorKind | "http")[]
  meaning: string
  fix: string
}

export const ERROR_CATALOG: readonly ErrorCatalogEntry[] = [
  // --- configuration ---
  { code: "CONFIG_INVALID", kinds: ["config"], meaning: "The config file, an MCPO_* variable or a flag has a wrong key or value; each problem names the full key path (e.g. `servers.a.args`, or `pool.maxInFlight` for a duplicate key), where it came from (file:line, env var or flag) and what was expected. `http.listen` is checked here too (port; a non-loopback host needs http.allowNonLoopback); YAML whose aliases expand too much is refused with file and line.", fix: "Correct the listed keys (the message suggests near-miss key names); `mcp-orchestrator doctor` shows the effective config and its sources." },
  // --- downstream servers (pool/proxy) ---
  { code: "SPAWN_FAILED", kinds: ["downstream"], meaning: "A configured stdio server could not be started (executable missing or not executable).", fix: "Check `command` (absolute path or on PATH), `cwd` and permissions; run the command by hand to see its error." },
  { code: "CONNECT_FAILED", kinds: ["downstream"], meaning: "A server started but did not complete `initialize` within pool.connectTimeout, or exited during start; the message carries its last stderr lines.", fix: "Run the server by hand with the same args/env; raise pool.connectTimeout for slow starters (e.g. first `npx` download)." },
  { code: "PROTOCOL_VERSION", kinds: ["downstream"], meaning: "The server answered `initialize` with an MCP protocol version the orchestrator does not support.", fix: "Update the server (or its SDK) to a current MCP version." },
  { code: "NOT_CONNECTED", kinds: ["downstream"], meaning: "The server's process or connection is gone (it closed during initialize or before the call was sent).", fix: "Check orchestrator_status for its last error; the pool restarts it with backoff." },
  { code: "SERVER_EXITED", kinds: ["downstream"], meaning: "The server exited while calls were in flight; those calls failed and were not retried.", fix: "Retry the call once the server is back (it restarts automatically); look at its stderr in the log if it keeps crashing." },
  { code: "RESTARTING", kinds: ["downstream"], meaning: "The server crashed recently and waits for its restart delay (exponential backoff, pool.restartDelay … pool.restartDelayMax).", fix: "Retry after the delay in the message; fix the cause if it keeps crashing." },
  { code: "SERVER_REMOVED", kinds: ["downstream"], meaning: "A tool of a server that a config reload removed was called (the client still has the old tool list); calls that were in flight on it ended when it was closed.", fix: "List the tools again, or put the server back into the config file (it is applied without a restart)." },
  { code: "SERVER_UNAVAILABLE", kinds: ["downstream"], meaning: "A tool of a configured server was called, but that server has not listed its tools (it failed to start, or keeps failing); the message carries its last error.", fix: "Fix the server's command, args or environment (see its last error in orchestrator_status); the pool keeps retrying it with backoff, and the message says when the next attempt is." },
  { code: "TOOL_DEFINITION_CHANGED", kinds: ["downstream"], meaning: "With proxy.pinTools: block, a server now describes this tool differently from the definition pinned when it was first seen (a possible rug pull); the tool is hidden and calls are refused before anything reaches the server.", fix: "Review the server's change, then `mcp-orchestrator pins approve SERVER/TOOL` (it reappears at the next tool listing); `pins list` shows what changed." },
  { code: "NEEDS_AUTH", kinds: ["downstream"], meaning: "A remote server needs an OAuth login: no tokens are stored for it, or its tokens were refused and refreshing them failed (e.g. `invalid_grant` after the grant was revoked). The server is in state `needs-auth` (orchestrator_status, /readyz, metrics); it is not restarted in a loop.", fix: "Run the command in the message, `mcp-orchestrator auth login SERVER`, in a terminal; the next call uses the new tokens without a restart (docs/auth.md)." },
  { code: "BREAKER_OPEN", kinds: ["downstream"], meaning: "Circuit breaker open: pool.breakerFailures consecutive failures, so calls fail fast until one probe after pool.breakerCooldown.", fix: "See orchestrator_status for the failing server's last error; fix it, or wait for the probe." },
  { code: "TIMEOUT", kinds: ["downstream", "toolkit"], meaning: "A tool call exceeded its timeout (pool.callTimeout or the server's `timeout`), counted from its arrival through any wait for a start, restart or free slot: a call that timed out before it was written is never sent; one on the wire was sent a cancellation. Or a `docker mcp` command exceeded toolkit.timeout.", fix: "Raise the per-server `timeout` (or toolkit.timeout) for slow tools; calls that report progress may run up to pool.maxTotalTimeout." },
  { code: "BUSY", kinds: ["downstream"], meaning: "The server already has pool.maxInFlight calls running and pool.queueLimit waiting.", fix: "Retry later, or raise the server's maxInFlight / pool.queueLimit if it can take more load." },
  { code: "TOO_MANY_SESSIONS", kinds: ["downstream"], meaning: "pool.maxSessions downstream sessions are alive and all busy, so another server cannot start.", fix: "Raise pool.maxSessions, or set pool.idleTimeout so unused sessions are closed." },
  { code: "CANCELLED", kinds: ["downstream", "toolkit"], meaning: "The client cancelled the call (or disconnected), so the downstream call or `docker mcp` command was stopped.", fix: "Nothing to fix; retry if the cancellation was not intended." },
  { code: "CLOSED", kinds: ["downstream"], meaning: "The server was removed or the orchestrator is shutting down.", fix: "Reconnect after the restart; check whether the server was removed from the config or the Toolkit." },
  { code: "UNKNOWN_SERVER", kinds: ["downstream", "toolkit"], meaning: "No configured server (or Toolkit catalog entry) has that name.", fix: "Check the name with orchestrator_status (configured) or the catalog search tool (Toolkit)." },
  { code: "DUPLICATE_SERVER", kinds: ["downstream"], meaning: "Two sources define a server with the same name.", fix: "Rename one of them (config `servers` vs. the Docker MCP Toolkit)." },
  { code: "FRAME_TOO_LARGE", kinds: ["downstream"], meaning: "The server sent a message larger than pool.maxFrameBytes; it was dropped and the call failed.", fix: "Ask the tool for less data, or raise pool.maxFrameBytes if the size is legitimate." },
  { code: "RESULTS_OVER_BUDGET", kinds: ["downstream"], meaning: "A large result (1 MiB or more) arrived while other large results held pool.maxResultBytesInFlight bytes (from the first byte read until the client had them); it was dropped and its call failed at once.", fix: "Retry once the other large results were delivered, ask the tool for less data, or raise pool.maxResultBytesInFlight." },
  { code: "STDOUT_GARBAGE", kinds: ["downstream"], meaning: "The server printed only non-JSON text on stdout (banners, logs) and no MCP message.", fix: "Make the server log to stderr; stdout is reserved for MCP." },
  { code: "READ_FAILED", kinds: ["downstream"], meaning: "Reading the server's stdout failed (broken pipe).", fix: "The server is restarted; check its stderr if it repeats." },
  { code: "WRITE_FAILED", kinds: ["downstream"], meaning: "Writing a request to the server failed: its stdin is closed (stdio), or the HTTP request to a remote server failed on the wire (connection refused or reset mid-request, DNS, TLS); the message names the endpoint and the cause.", fix: "The server is restarted (remote: reconnected) with backoff; check that a remote server is running and reachable at its url, or the stdio server's stderr if it repeats." },
  // --- Docker MCP Toolkit ---
  { code: "DOCKER_NOT_FOUND", kinds: ["toolkit"], meaning: "The docker executable (toolkit.docker) was not found.", fix: "Install Docker, or set toolkit.docker to its absolute path; toolkit.enabled: off disables the Toolkit integration." },
  { code: "TOOLKIT_NOT_INSTALLED", kinds: ["toolkit"], meaning: "`docker mcp` (the MCP Toolkit CLI plugin) is not installed.", fix: "Install or update Docker Desktop (≥ 4.42) and enable the MCP Toolkit, or install the docker-mcp CLI plugin." },
  { code: "DAEMON_DOWN", kinds: ["toolkit"], meaning: "The Docker daemon is not reachable.", fix: "Start Docker and check DOCKER_HOST / the docker context." },
  { code: "DESKTOP_NOT_RUNNING", kinds: ["toolkit"], meaning: "Docker Desktop is not running.", fix: "Start Docker Desktop." },
  { code: "FEATURE_DISABLED", kinds: ["toolkit"], meaning: "The MCP Toolkit feature is disabled in Docker Desktop.", fix: "Enable it in Docker Desktop → Settings → Beta features." },
  { code: "OBSOLETE_COMMAND", kinds: ["toolkit"], meaning: "A legacy `docker mcp` command was used against a profiles-era Toolkit.", fix: "The driver re-detects the era and retries; if it persists, report the Toolkit version." },
  { code: "PASS_MISSING", kinds: ["toolkit"], meaning: "`docker pass` (needed for Toolkit secrets) is not installed.", fix: "Install Docker Desktop ≥ 4.42 or the docker-pass plugin." },
  { code: "MISSING_CONFIG", kinds: ["toolkit"], meaning: "A Toolkit server needs configuration that is not set.", fix: "Set it with the Toolkit config tool or `docker mcp profile config <id> --set server.key=value`." },
  { code: "UNKNOWN_PROFILE", kinds: ["toolkit"], meaning: "The Toolkit profile does not exist, or profiles are unavailable (legacy era).", fix: "List profiles with `docker mcp profile list` and set toolkit.profile to one of them." },
  { code: "UNKNOWN_CATALOG", kinds: ["toolkit"], meaning: "The Toolkit catalog was not found.", fix: "Pull it: `docker mcp catalog pull mcp/docker-mcp-catalog` (legacy: `docker mcp catalog update`)." },
  { code: "UNKNOWN_FLAG", kinds: ["toolkit"], meaning: "This `docker mcp` version rejected a flag the driver used.", fix: "Update Docker Desktop / the MCP Toolkit plugin, or report the version." },
  { code: "OUTPUT_TOO_LARGE", kinds: ["toolkit"], meaning: "A `docker mcp` command printed more than the driver's output limit.", fix: "Narrow the query (e.g. a catalog search term); report it if a plain listing hits the limit." },
  { code: "OUTPUT_EMPTY", kinds: ["toolkit"], meaning: "A `docker mcp … --format json` command exited without printing anything (for `tools ls`, the gateway it starts failed); the message names the command, the Toolkit version and era, and the reason from its stderr. It is never read as an empty list.", fix: "Run the named command by hand; for `tools ls`, run `docker mcp gateway run` (with `--profile ID` in the profiles era) to see why the gateway fails, and fix that server or profile." },
  { code: "OUTPUT_UNPARSEABLE", kinds: ["toolkit"], meaning: "The output of a `docker mcp` command (or the legacy config.yaml) could not be parsed for this Toolkit version.", fix: "Report the Toolkit version and the first lines quoted in the message; a parser override can adapt it meanwhile." },
  { code: "PARSER_OVERRIDE_INVALID", kinds: ["toolkit"], meaning: "A parser override (plugin) for Toolkit output is invalid.", fix: "Fix or remove the override named in the message." },
  { code: "INVALID_NAME", kinds: ["toolkit"], meaning: "A server, profile, catalog or config key name has characters the driver refuses (it never passes such names to docker).", fix: "Use the exact name as listed by the Toolkit (letters, digits, `._-/:@`)." },
  { code: "INVALID_VALUE", kinds: ["toolkit"], meaning: "A Toolkit config value is not JSON-serialisable, contains NUL, or is too large.", fix: "Pass a string, number, boolean, array or object of reasonable size." },
  { code: "COMMAND_FAILED", kinds: ["toolkit"], meaning: "A `docker mcp` command failed with an error the driver does not classify; the message quotes its first error line.", fix: "Run the quoted command by hand; report the output if it looks like a driver problem." },
  // --- plugins, cache, protocol ---
  { code: "PLUGIN_LOAD_FAILED", kinds: ["plugin"], meaning: "A plugin file could not be loaded (syntax error, transpile error, or it threw at top level); the message has file:line.", fix: "Fix the file, then check it with `mcp-orchestrator plugins check <file>`." },
  { code: "PLUGIN_INVALID_EXPORT", kinds: ["plugin"], meaning: "A plugin's default export does not match the plugin contract; each problem is listed.", fix: "See docs/plugins.md for the contract and fix the listed fields." },
  { code: "PLUGIN_DUPLICATE", kinds: ["plugin"], meaning: "Two plugin files declare the same plugin name; the later one is not loaded.", fix: "Rename one plugin or remove the duplicate file." },
  { code: "PLUGIN_DISABLED", kinds: ["plugin"], meaning: "The plugin is not active (it failed to load or was disabled after repeated faults), so its hook was not run.", fix: "See the plugin's last error in `mcp-orchestrator plugins list`; fix and save the file (hot reload) or restart." },
  { code: "PLUGIN_FAULT", kinds: ["plugin"], meaning: "A plugin hook threw, exceeded its deadline (plugins.*Deadline) or its memory/stack limit; only that plugin is affected.", fix: "Reproduce with `mcp-orchestrator plugins test <file> --hook <hook> --input '…'` and fix the hook." },
  { code: "PLUGIN_INVALID_RESULT", kinds: ["plugin"], meaning: "A plugin hook returned a value of the wrong shape; it was ignored.", fix: "Return the shape described in docs/plugins.md for that hook." },
  { code: "PLUGIN_NO_SUCH_PROMPT", kinds: ["plugin"], meaning: "The plugin has no prompt with that name.", fix: "List prompts with `prompts/list` and use an existing name." },
  { code: "ROUTE_DENIED", kinds: ["plugin"], meaning: "A plugin's routing hook refused this tool call; the message is the plugin's reason.", fix: "Follow the reason, or disable/adjust the plugin (`mcp-orchestrator plugins list`)." },
  { code: "CACHE_NOT_JSON", kinds: ["cache"], meaning: "A value could not be cached because it is not JSON-serialisable (internal bug).", fix: "Report it; the value is served uncached meanwhile." },
  { code: "PROTOCOL_ERROR", kinds: ["protocol"], meaning: "The client sent a request the MCP protocol does not allow here (JSON-RPC error, not a tool result).", fix: "Update or fix the client; the message names the offending field." },
  // --- demo command ---
  { code: "DEMO_NO_SERVERS", kinds: ["internal"], meaning: "`mcp-orchestrator demo` needs the reference MCP servers (@modelcontextprotocol/server-*) and could not find them.", fix: "Run the demo from a checkout with `bun install` done, or install the servers with npm." },
  { code: "DEMO_FAILED", kinds: ["internal"], meaning: "The demo run failed; the message includes the orchestrator's stderr tail.", fix: "Read the quoted stderr; `mcp-orchestrator doctor` checks the environment." },
  // --- HTTP endpoint (serve --http) ---
  { code: "HTTP 401", kinds: ["http"], meaning: "/mcp needs `Authorization: Bearer <token>`; the token was missing or wrong.", fix: "Use the token from http.token / MCPO_HTTP_TOKEN, or the one printed on stderr at start when neither is set." },
  { code: "HTTP 403", kinds: ["http"], meaning: "The Host or Origin header is not loopback and not in http.allowedHosts / http.allowedOrigins (DNS-rebinding protection).", fix: "Connect via 127.0.0.1/localhost, or add the exact host/origin to the allow lists." },
  { code: "HTTP 404", kinds: ["http"], meaning: "The Mcp-Session-Id is unknown: the session expired (http.sessionIdleTimeout), was deleted, or the orchestrator restarted.", fix: "Initialize a new session (MCP clients do this automatically)." },
  { code: "HTTP 413", kinds: ["http"], meaning: "The request body is larger than http.bodyLimit.", fix: "Send smaller requests or raise http.bodyLimit." },
  { code: "HTTP 503", kinds: ["http"], meaning: "/readyz: a warm server is not ready, the Toolkit is not ready, or shutdown began (the body lists each check).", fix: "Look at the failing check's detail and orchestrator_status." },
]
