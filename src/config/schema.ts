/**
 * @module config/schema
 * The configuration, as zod schemas (the single source of truth; JSON Schema and docs are generated
 * from these). Objects are strict: unknown keys are errors with a "did you mean" suggestion.
 */
import { z } from "zod"
import { globProblem, GLOB_EXPECTED } from "./tool-glob.ts"
import { CONFIG_SERVER_NAME_RE, DOWNSTREAM_TOOL_NAME_RE, LOG_LEVELS, parseDuration, PROFILE_ID_RE, PROFILE_ID_RULE, lookupTable } from "../core/index.ts"

/**
 * A value given for a duration, as an error quotes it: a number, or a short string that starts as
 * one ("30 sec") or a word ("soon"); any other text only by its length (a passphrase pasted one line too high is no
 * duration, and no token shape `redactString` knows).
 */
function givenDuration(v: unknown): string {
  if (typeof v !== "string") return JSON.stringify(v)
  const shown = (/^\s*[+-]?[\d.]/.test(v) && v.length <= 24) || /^[A-Za-z]{1,12}$/.test(v)
  return shown ? JSON.stringify(v) : `a string of ${v.length} characters`
}

/** A duration: milliseconds as a number, or a string such as "30s", "5m", "12h". */
export const DurationSchema = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const ms = parseDuration(v)
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `expected a duration such as 500, "30s", "5m" or "12h", got ${givenDuration(v)}` })
      return z.NEVER
    }
    return ms
  })
  .meta({ description: 'Milliseconds, or a string such as "250ms", "30s", "5m", "12h", "1d".' })

/** Longest delay a timer can wait (2^31−1 ms, about 24.8 days): a longer one would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** A duration that arms a timer (timeouts, intervals, delays): at most MAX_TIMER_MS. */
export const TimerDurationSchema = DurationSchema.refine((ms) => ms <= MAX_TIMER_MS, {
  error: (i) => `expected at most 24.8 days (${MAX_TIMER_MS} ms; a longer timer fires at once), got ${JSON.stringify(i.input)} ms`,
}).meta({ description: 'Milliseconds, or a string such as "250ms", "30s", "5m", "12h", "1d"; at most 24.8 days.' })

/**
 * An environment value: a string; a whole number or a boolean stands for its text (`PORT: 8080` in
 * YAML, `"PORT": 8080` in an editor's mcp.json: Node-based clients pass them on as strings). Any
 * other number is refused without quoting it (a long numeric secret would have lost digits).
 */
const EnvValue = z
  .union([z.string(), z.boolean(), z.number()], { error: "expected a string (a whole number or true/false is taken as its text)" })
  .refine((v) => typeof v !== "number" || Number.isSafeInteger(v), { message: "expected a string: put this number in quotes (only whole numbers up to 2^53 are taken as their text; its digits would not be kept)" })
  .transform((v) => String(v))
  .meta({ expected: "a string (a whole number or true/false is taken as its text)" })
/**
 * An environment variable's name: not empty, no `=` and no NUL (what an environment can hold). A
 * `NAME=value` line pasted as a key would put a value where no one validates or masks it.
 */
const EnvName = z.string().regex(/^[^=\0]+$/, "expected an environment variable name: not empty, without '=' or NUL (write NAME: value, not a NAME=value line as the key)")
const EnvMap = z.record(EnvName, EnvValue)

/**
 * HTTP request headers as fetch sends them: a name is an RFC 9110 token, a value one line of
 * Latin-1 text. Checked at load (naming the key and file:line) rather than at every connect, where
 * fetch refuses them with words that name no key. The value is never quoted (it may be a secret).
 */
const HeaderMap = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "expected an HTTP header name: letters, digits and !#$%&'*+-.^_`|~ (no spaces, colons or other characters)"),
  z.string().refine((v) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v), "expected an HTTP header value on one line: no line breaks (CR, LF), NUL or other control characters, and no characters beyond Latin-1 (U+00FF)"),
)

/** A tool-name glob (config/tool-glob): `*`, `?`, `[a-z]`, `[!a]`, `{a,b}`, name characters literal. */
const ToolGlob = z
  .string()
  .min(1)
  .max(200)
  .superRefine((g, ctx) => {
    const problem = globProblem(g)
    if (problem) ctx.addIssue({ code: "custom", message: `expected ${GLOB_EXPECTED}; in ${JSON.stringify(g)}, ${problem}` })
  })

/** Which tools pass: `allow` (when given) lists the ones kept, `deny` removes; deny wins. */
export const ToolFilterSchema = z
  .strictObject({
    allow: z.array(ToolGlob).optional().meta({ description: "Globs (`*`, `?`, `[a-z]`, `{a,b}`) of tools kept; absent = all." }),
    deny: z.array(ToolGlob).optional().meta({ description: "Globs of tools hidden (wins over allow)." }),
  })
  .meta({ description: "Tool filter: allow/deny globs; hidden tools are neither listed nor callable." })
export type ToolFilter = z.infer<typeof ToolFilterSchema>

/**
 * A transport name as other clients write it (compared without case, `-`, `_`): `streamableHttp`
 * (Cline, Roo Code), `streamable_http`, `SSE`. A value it does not know is left for the enum, whose
 * error lists the values accepted.
 */
const TYPE_SPELLINGS: Record<string, string> = lookupTable({ stdio: "stdio", http: "http", streamablehttp: "streamable-http", sse: "sse" })
/** `transport: http` is the default (streamable HTTP, falling back to SSE), as VS Code's `"type": "http"` is. */
const TRANSPORT_SPELLINGS: Record<string, string | undefined> = lookupTable({ http: undefined, streamablehttp: "streamable-http", sse: "sse" })
function spelled(names: Record<string, string | undefined>): (v: unknown) => unknown {
  return (v) => {
    if (typeof v !== "string") return v
    const k = v.toLowerCase().replace(/[-_]/g, "")
    return Object.hasOwn(names, k) ? names[k] : v
  }
}

const ServerCommon = {
  /** Per-server tool-call timeout. */
  timeout: TimerDurationSchema.optional().meta({ description: "Tool-call timeout for this server (default pool.callTimeout)." }),
  toolTimeouts: z
    .record(z.string().regex(DOWNSTREAM_TOOL_NAME_RE, "tool names are 1-128 of A-Z a-z 0-9 _ . -"), TimerDurationSchema)
    .optional()
    .meta({ description: 'Per-tool call timeouts, by the server\'s own tool name (e.g. { build: "10m" }); others use `timeout`.' }),
  maxInFlight: z.number().int().min(1).max(1000).optional().meta({ description: "Concurrent calls to this server (default pool.maxInFlight)." }),
  connectTimeout: TimerDurationSchema.optional().meta({ description: "Time allowed for this server's whole connect (start, initialize; default pool.connectTimeout): raise it for a server whose first start downloads something (`npx -y`, an image pull)." }),
  disabled: z.boolean().optional().meta({ description: "Keep the entry but do not start or expose it." }),
  protocol: z
    .enum(["auto", "legacy", "modern"])
    .optional()
    .meta({ description: "MCP protocol era toward this server: `auto` (default: detected once, then remembered), `legacy` (`initialize`, ≤ 2025-11-25) or `modern` (2026-07-28, no `initialize`); docs/proxy.md \"Protocol eras\"." }),
  tools: ToolFilterSchema.optional().meta({ description: "`{ allow?: [glob], deny?: [glob] }` on this server's own tool names (`*`, `?`, `[a-z]`, `[!x]`, `{a,b}`; deny wins), e.g. `{ deny: [\"delete_*\"] }`; hidden tools are neither listed nor callable." }),
  /** Cursor mcp.json keys. */
  type: z
    .preprocess(spelled(TYPE_SPELLINGS), z.enum(["stdio", "http", "streamable-http", "sse"]).optional())
    .meta({ description: "Transport hint as in Cursor's mcp.json; other clients' spellings (`streamableHttp`, `streamable_http`, any case) are read as these." }),
  envFile: z.string().optional().meta({ description: "Dotenv file whose variables become this stdio server's env (keys in `env` win); relative to the config file's directory (`~/` is the home directory). One that cannot be read (missing, no permission, over 1 MiB) fails this server's start only, naming the file; it is read again at each start attempt. A malformed line is a config error." }),
}

export const StdioServerSchema = z.strictObject({
  command: z.string().min(1).meta({ description: "Executable to start (argv[0]); never run through a shell. A name (`node`, `npx`) is looked up on the server's PATH (its `env.PATH`, else the orchestrator's); a path holding a `/` that is relative (`./run.sh`, `bin/server`) starts at `cwd` when set, else at the config file's directory (never at the directory the orchestrator runs in, which the editor picks); `~/` at its start is the home directory." }),
  args: z.array(z.string()).default([]).meta({ description: "Arguments, passed as an argv array." }),
  env: EnvMap.optional().meta({ description: "Environment for the child (merged over a minimal base: PATH, HOME, …). Values are strings; a whole number or true/false is taken as its text (`PORT: 8080`), in YAML the text written (`ZIP: 01234` is \"01234\", not 1234)." }),
  cwd: z.string().optional().meta({ description: "Working directory of the child; a relative path starts at the config file's directory, `~/` is the home directory. One that does not exist or is not a directory fails this server's start, naming this key (`doctor` checks it)." }),
  ...ServerCommon,
})

/**
 * OAuth 2.1 client settings of a remote server (docs/auth.md). Both our spelling and Cursor's
 * (`CLIENT_ID`, `CLIENT_SECRET`) are accepted so an mcp.json entry moves over as is.
 */
export const OAuthSettingsSchema = z
  .strictObject({
    clientId: z.string().min(1).optional().meta({ description: "Pre-registered OAuth client id (else Client ID Metadata Document or dynamic registration)." }),
    clientSecret: z.string().min(1).optional().meta({ description: "Secret of the pre-registered client (confidential clients only); redacted in logs." }),
    CLIENT_ID: z.string().min(1).optional().meta({ description: "Cursor's spelling of clientId." }),
    CLIENT_SECRET: z.string().min(1).optional().meta({ description: "Cursor's spelling of clientSecret." }),
    scopes: z
      .union([z.array(z.string().min(1)), z.string()])
      .optional()
      .meta({ description: "Scopes to request (list, or one space-separated string); default: from the server's 401 challenge or metadata." }),
    redirectPort: z.number().int().min(1).max(65535).optional().meta({ description: "Port of the loopback redirect listener of `auth login` (default: a random free port)." }),
    clientMetadataUrl: z.url({ protocol: /^https$/, error: "expected an https:// URL" }).optional().meta({ description: "HTTPS URL of this client's Client ID Metadata Document, used when the authorization server supports them." }),
    allowPrivateAuthServers: z
      .boolean()
      .optional()
      .meta({ description: "Let a server on a public host lead its OAuth (metadata, authorization server, endpoints, redirects) to loopback or private-network addresses, refused by default (SSRF); link-local and cloud metadata addresses stay refused. Only for a public server whose login really is inside your network." }),
  })
  .refine((a) => !(a.clientId && a.CLIENT_ID && a.clientId !== a.CLIENT_ID), { message: "clientId and CLIENT_ID are both set and differ; keep one" })
  .refine((a) => !(a.clientSecret && a.CLIENT_SECRET && a.clientSecret !== a.CLIENT_SECRET), { message: "clientSecret and CLIENT_SECRET are both set and differ; keep one" })
  .refine((a) => !((a.clientSecret ?? a.CLIENT_SECRET) && !(a.clientId ?? a.CLIENT_ID)), { message: "a client secret needs its clientId" })
  .meta({ description: "OAuth 2.1 for this remote server: `mcp-orchestrator auth login NAME` (docs/auth.md)." })
export type OAuthSettings = z.infer<typeof OAuthSettingsSchema>

export const RemoteServerSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }).meta({ description: "Streamable HTTP or SSE endpoint." }),
  transport: z
    .preprocess(spelled(TRANSPORT_SPELLINGS), z.enum(["streamable-http", "sse"]).optional())
    .meta({ description: "Default: streamable-http, falling back to sse (`http` means that default; `streamableHttp`, `streamable_http`, any case: streamable-http)." }),
  headers: HeaderMap.optional().meta({ description: "Extra request headers (e.g. Authorization). Values of secret-named headers (Authorization, Cookie, *-Token, *-Key, X-Api-*, X-Auth-*) and credential-looking values are redacted wherever they would be shown; other values (a Content-Type, a tenant id) are not. Names are HTTP tokens; values are one line of Latin-1 text (a line break, NUL or emoji is a config error)." }),
  auth: OAuthSettingsSchema.optional().meta({ description: "OAuth client settings (clientId, clientSecret, scopes, redirectPort, clientMetadataUrl, allowPrivateAuthServers; Cursor's CLIENT_ID/CLIENT_SECRET too: each in the `auth` table below). Without it, OAuth still works with dynamic client registration." }),
  ...ServerCommon,
})

export const ServerSpecSchema = z.union([StdioServerSchema, RemoteServerSchema])
export type StdioServerSpec = z.infer<typeof StdioServerSchema>
export type RemoteServerSpec = z.infer<typeof RemoteServerSchema>
export type ServerSpec = z.infer<typeof ServerSpecSchema>

export const ServerNameSchema = z
  .string()
  .regex(CONFIG_SERVER_NAME_RE, "server names are 1-64 of A-Z a-z 0-9 _ - and start with a letter or digit")

const ServersMap = z.record(ServerNameSchema, ServerSpecSchema)

export const LogSchema = z.strictObject({
  level: z.enum(LOG_LEVELS as [string, ...string[]]).default("info").meta({ description: "debug | info | warn | error" }),
  callLinesPerSecond: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(20)
    .meta({ description: "`tool call` log lines per second; calls beyond it are counted in one `tool calls` summary line per second (0 = summaries only)." }),
})

export const PoolSchema = z.strictObject({
  maxInFlight: z.number().int().min(1).max(1000).default(64).meta({ description: "Concurrent calls per downstream server (a guard against runaway fan-out, not a throttle)." }),
  queueLimit: z.number().int().min(0).max(100_000).default(100).meta({ description: "Calls waiting per server beyond maxInFlight before 'busy' errors (a server's own tool listings wait past it: a burst of calls never costs a list change)." }),
  maxSessions: z.number().int().min(1).max(1000).default(64).meta({ description: "Downstream sessions alive at once." }),
  idleTimeout: TimerDurationSchema.default(0).meta({ description: "Close a session unused this long (0 = never; warm servers are never reaped)." }),
  callTimeout: TimerDurationSchema.default(60_000).meta({ description: "Default tool-call timeout." }),
  maxTotalTimeout: TimerDurationSchema.default(600_000).meta({ description: "Upper bound for a call that keeps reporting progress, or whose server keeps it waiting on its questions to the client (elicitation, sampling)." }),
  connectTimeout: TimerDurationSchema.default(30_000).meta({ description: "Time allowed for the whole connect of a downstream: start or connect, era probe, initialize and any Streamable HTTP → SSE fallback." }),
  healthInterval: TimerDurationSchema.default(30_000).meta({ description: "Ping idle sessions this often (0 = off)." }),
  breakerFailures: z.number().int().min(1).default(5).meta({ description: "Consecutive failures that open a server's circuit breaker." }),
  breakerCooldown: TimerDurationSchema.default(60_000).meta({ description: "How long an open breaker fails calls fast before one probe." }),
  restartDelay: TimerDurationSchema.default(1000).meta({ description: "First restart delay after a crash; doubles per consecutive failure (±20% jitter)." }),
  restartDelayMax: TimerDurationSchema.default(30_000).meta({ description: "Cap of the restart delay." }),
  maxFrameBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(32 * 1024 * 1024).meta({ description: "Largest JSON-RPC message accepted from a downstream (a stdio line, a remote response body or SSE event); larger ones fail that call unread." }),
  maxRequestBytes: z.number().int().min(64 * 1024).max(1024 * 1024 * 1024).default(8 * 1024 * 1024).meta({ description: "Largest request written to a stdio server, bytes of JSON (a tool call's arguments, mostly): a larger one fails its call unsent (REQUEST_TOO_LARGE) and the server stays up. MCP SDK servers read at most 10 MiB per message over stdio and exit on a longer one, failing every call in flight on them; raise it only for a server known to read longer messages." }),
  maxResultBytesInFlight: z.number().int().min(1024 * 1024).max(16 * 1024 * 1024 * 1024).default(64 * 1024 * 1024).meta({ description: "Total bytes of large results (256 KiB and more) held at once across all servers, stdio and remote, from the first byte read until the client has them (a remote one: until it was parsed and handed on; an answer of 256 KiB and more to an HTTP client counts again until that client took it); a result that would go over it fails at once (RESULTS_OVER_BUDGET). A result alone in flight always passes." }),
})

export const ProxySchema = z.strictObject({
  separator: z.string().regex(/^[A-Za-z0-9_-]{1,3}$/, "the separator is 1-3 of A-Z a-z 0-9 _ - (it goes into tool names)").default("__").meta({ description: "Between server and tool in exposed names." }),
  nameBudget: z.number().int().min(8).max(128).default(60).meta({ description: "Longest exposed tool name (Cursor drops tools whose key + tool name is 60 characters or more: set 59 minus the key's length)." }),
  passthrough: z.boolean().default(false).meta({ description: "Single upstream, tool names unprefixed (conformance mode)." }),
  sanitize: z.boolean().default(true).meta({ description: "Keep hidden Unicode (tag, zero-width, bidi) of downstream tool, prompt and resource definitions from the model (tool-poisoning defence): removed from titles, descriptions and schema defaults/examples; an item with some in a value its server matches exactly (an enum member, a property name, a URI) is withheld. Also caps description length." }),
  maxDescription: z.number().int().min(256).max(1_000_000).default(4096).meta({ description: "Longest tool/prompt description passed to the client, in characters (with proxy.sanitize)." }),
  portableSchemas: z.boolean().default(false).meta({ description: "Off by default: the MCP spec (JSON Schema 2020-12, SEP-2106) has servers keep $defs, composition and anchor keywords, and the conformance suite checks it. On, for clients backed by Gemini or another model API that refuses such keywords: give each downstream tool's inputSchema in the JSON Schema subset every model API reads (one schema a provider refuses fails the whole request, every tool gone): $ref inlined (recursion cut to a permissive schema of the target's type), $defs/definitions/propertyNames removed, const written as a one-value enum, a top-level anyOf/oneOf/allOf merged into the root object, required names without a property removed (Gemini refuses them). Only loosens what the schema accepts; calls are forwarded unchanged. Off: schemas as the downstream lists them (after the compile checks)." }),
  pinTools: z.enum(["off", "warn", "block"]).default("warn").meta({ description: "Pin each downstream tool's definition when first seen; on a change (rug pull) warn, or block the tool until `mcp-orchestrator pins approve`." }),
  pinsFile: z.string().optional().meta({ description: "Where tool pins are kept (default $XDG_STATE_HOME/mcp-orchestrator/pins.json); `~/` is the home directory; a relative path written in the config file starts at the file's directory." }),
  checkStoredLists: z.boolean().default(true).meta({ description: "A lazy server whose stored lists are older than cache.ttl.tools is started in the background 3 s after start, listed and closed again (the next start answers with its current tools); false: such a server starts only when used." }),
  listWait: TimerDurationSchema.default(5000).meta({ description: "How long a list (tools, prompts, resources) or a first get/read/completion waits for servers whose list is not stored, once per listing: later lists while that listing is still under way answer at once; late ones trigger list_changed." }),
  firstListWait: TimerDurationSchema.default(30_000).meta({ description: "How long lists wait for a server's first start ever (no tool list stored for its definition, no failure or silence noted), while that start is under way, instead of listWait: never past the server's connectTimeout, nor past 55 s with listWait (a client's request times out at 60 s). A new setup's first tools/list then has the tools of servers slow to start (npx fetching a package) or slow to list once up (the first page of their tools/list is waited for within the same bound); its later pages are waited for while they keep coming, each within listWait of the last." }),
  expose: z.enum(["all", "search", "code"]).default("all").meta({ description: "What tools/list shows: all (every tool + search_tools/describe_tools/call_tool), search (only the meta-tools; tools reached by call_tool) or code (search_tools, describe_tools, run_code). Overridable per toolset." }),
  maxMessageBytes: z.number().int().min(64 * 1024).max(1024 * 1024 * 1024).default(8 * 1024 * 1024).meta({ description: "Largest answer written to a client (stdio and HTTP), bytes of JSON: a larger tool result becomes a tool error naming its size, a larger tools/list answer leaves out tools of the server taking the most room (still callable; orchestrator_status names them under notInYourList), any other answer a JSON-RPC error, and a larger request to the client is not sent (MCP SDK clients over stdio close the whole connection on a message over 10 MiB; so do those behind a stdio bridge to the HTTP face, such as mcp-remote)." }),
})

export const ToolkitSchema = z.strictObject({
  enabled: z.enum(["auto", "on", "off"]).default("auto").meta({ description: "auto: use the Docker MCP Toolkit when `docker mcp` answers." }),
  docker: z.string().default("docker").meta({ description: "docker executable (name on PATH or absolute path)." }),
  profile: z.string().regex(PROFILE_ID_RE, PROFILE_ID_RULE).optional().meta({ description: "Profile for the gateway and enable/disable (profiles era); default: the active one. 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit." }),
  timeout: TimerDurationSchema.default(30_000).meta({ description: "Timeout for one `docker mcp` command." }),
  waitForDocker: DurationSchema.prefault("30m").meta({ description: "When serve starts while Docker is down (Desktop closed or starting): how long the Toolkit is looked for again in the background (tries 2 s, 4 s, 8 s … at most a minute apart); its servers appear once Docker answers. 0: not looked for again." }),
  gateway: z.boolean().default(true).meta({ description: "Run a long-lived `docker mcp gateway run` and proxy its tools." }),
  tools: ToolFilterSchema.optional().meta({ description: "Filter on the Toolkit gateway's tool names (exposed as docker__<tool>)." }),
})

export const CacheSchema = z.strictObject({
  enabled: z.boolean().default(true),
  dir: z.string().optional().meta({ description: "Default: $XDG_CACHE_HOME/mcp-orchestrator (or ~/.cache/mcp-orchestrator); `~/` is the home directory; a relative path written in the config file starts at the file's directory." }),
  maxEntries: z.number().int().min(1).default(2000).meta({ description: "Memory layer entry cap." }),
  maxBytes: z.number().int().min(1024).default(64 * 1024 * 1024).meta({ description: "Memory layer byte cap." }),
  ttl: z
    .strictObject({
      catalog: DurationSchema.prefault("12h"),
      servers: DurationSchema.prefault("30s"),
      tools: DurationSchema.prefault("5m"),
      inspect: DurationSchema.prefault("1h"),
      config: DurationSchema.prefault("30s"),
      secrets: DurationSchema.prefault("30s"),
      profiles: DurationSchema.prefault("30s"),
    })
    .prefault({})
    .meta({ description: "Time to live per kind of cached data." }),
})

export const PluginsSchema = z.strictObject({
  dirs: z.array(z.string()).optional().meta({ description: "Plugin directories (default: $XDG_CONFIG_HOME/mcp-orchestrator/plugins); `~/` is the home directory; a relative path written in the config file starts at the file's directory." }),
  enabled: z.boolean().default(true),
  memoryLimit: z.number().int().min(1).max(1024).default(32).meta({ description: "Per-plugin memory limit, MiB." }),
  stackLimit: z.number().int().min(64).max(512).default(160).meta({ description: "Per-plugin stack limit, KiB (≤ 512; at most 160 applies: a deeper QuickJS stack overflows the sandbox worker's native stack first, an error the plugin cannot catch)." }),
  routeDeadline: TimerDurationSchema.default(50),
  routeArgsLimit: z.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024).meta({ description: "Largest tool-call arguments (bytes of JSON) route plugins are given; while a route plugin is loaded, a larger call is refused unchecked (fail closed)." }),
  parseDeadline: TimerDurationSchema.default(1000),
  renderDeadline: TimerDurationSchema.default(200),
  toolsDeadline: TimerDurationSchema.default(200),
  loadBudget: TimerDurationSchema.default(5000).meta({
    description:
      "Overall time the plugins may take to load at start before the first lists and tool calls are answered. Files not loaded by then load on in the background; until each has, tool calls are refused (its route rules may exist: fail closed) and lists are answered without it. Milliseconds or a duration string.",
  }),
})

/** The one rule for http.token, stated in the error and the README. */
export const HTTP_TOKEN_RULE = "the HTTP bearer token must be at least 16 characters (e.g. `openssl rand -hex 32`; leave it unset to have one generated)"

export const HttpSchema = z.strictObject({
  listen: z.string().optional().meta({ description: "[HOST:]PORT to serve Streamable HTTP on (default host 127.0.0.1); unset = stdio only." }),
  token: z.string().min(16, { error: HTTP_TOKEN_RULE }).optional().meta({ description: "Bearer token required on /mcp, at least 16 characters (generated when absent)." }),
  allowedHosts: z.array(z.string()).default([]).meta({ description: "Extra Host header values accepted besides loopback: `name` (any port) or `name:port`; port 80 or 443 also accepts a Host without port." }),
  allowedOrigins: z.array(z.string()).default([]).meta({ description: "Extra Origin values accepted besides loopback: `scheme://host[:port]`, compared without case, default port or trailing slash." }),
  bodyLimit: z.number().int().min(1024).default(4 * 1024 * 1024).meta({ description: "Maximum request body, bytes (a larger one is answered 413 with a JSON-RPC error)." }),
  sessionIdleTimeout: TimerDurationSchema.default(30 * 60_000).meta({ description: "Close an HTTP MCP session after this long without requests (0 = never); not while its GET stream is open (its client is connected), from the stream's end then." }),
  allowNonLoopback: z.boolean().default(false).meta({ description: "Allow http.listen on a non-loopback address (also list the name in allowedHosts)." }),
  allowUnauthenticated: z.boolean().default(false).meta({ description: "TEST ONLY: serve /mcp without a bearer token (loopback only). Used by `bun run conformance`; never enable otherwise." }),
})

export const CodeModeSchema = z.strictObject({
  timeout: TimerDurationSchema.default(30_000).meta({ description: "Wall time of one run_code script, tool calls included." }),
  maxCalls: z.number().int().min(1).max(10_000).default(50).meta({ description: "Tool calls one run_code script may make; the next one ends the run." }),
  maxConcurrentCalls: z.number().int().min(1).max(1000).default(8).meta({ description: "Tool calls of one script in flight at once; the others wait for a slot." }),
  memory: z.number().int().min(1).max(4096).default(64).meta({ description: "Sandbox memory of one run_code script, MiB (its own QuickJS instance)." }),
  maxResultBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024).meta({ description: "Largest value a run_code script may return, bytes of UTF-8 JSON." }),
})

/** Toolset names go in URLs (/mcp/t/<name>) and argv: the same characters as server names. */
const ToolsetNameSchema = z.string().regex(CONFIG_SERVER_NAME_RE, "toolset names are 1-64 of A-Z a-z 0-9 _ - and start with a letter or digit")

export const ToolsetSchema = z.strictObject({
  servers: z.array(ServerNameSchema).optional().meta({ description: "Servers whose tools this toolset shows (absent = all); `docker` is the Toolkit gateway." }),
  tools: ToolFilterSchema.optional().meta({ description: "`{ allow?: [glob], deny?: [glob] }` on exposed names (`server__tool`, e.g. `\"*__read_*\"`); deny wins." }),
  expose: z.enum(["all", "search", "code"]).optional().meta({ description: "Overrides proxy.expose for this toolset." }),
})
export type Toolset = z.infer<typeof ToolsetSchema>

export const ReloadSchema = z.strictObject({
  settle: TimerDurationSchema.default(2000).meta({
    description:
      "How long the config file (and its envFiles) must hold still before a reload that would stop servers (remove, rename or restart them) or add servers applies (an addition applies at once when a call waits for it); settings apply at once, SIGHUP at once. A file written in pieces (a script's `echo >>`, a slow network drive) is so never applied half-way. 0 = apply at once.",
  }),
})

export const ConfigSchema = z.strictObject({
  log: LogSchema.prefault({}),
  servers: ServersMap.default({}).meta({ description: "Downstream MCP servers, same shape as Cursor's mcp.json entries." }),
  mcpServers: ServersMap.optional().meta({ description: "Cursor's mcp.json map, accepted as is (merged into servers)." }),
  inputs: z
    .array(z.unknown())
    .optional()
    .meta({ description: "VS Code's mcp.json prompts (`inputs`), accepted so that file loads as is, and not used: the orchestrator cannot prompt, so a `${input:ID}` in an entry is a config error saying what to write instead." }),
  warm: z.array(ServerNameSchema).default([]).meta({ description: "Servers started at boot in the background (a disabled one is not started: warned about at load)." }),
  pool: PoolSchema.prefault({}),
  proxy: ProxySchema.prefault({}),
  toolkit: ToolkitSchema.prefault({}),
  cache: CacheSchema.prefault({}),
  plugins: PluginsSchema.prefault({}),
  http: HttpSchema.prefault({}),
  toolsets: z.record(ToolsetNameSchema, ToolsetSchema).default({}).meta({ description: "Named tool surfaces for different clients from one config; pick one with `serve --toolset NAME`, MCPO_TOOLSET or HTTP /mcp/t/NAME." }),
  toolset: ToolsetNameSchema.optional().meta({ description: "The toolset served on stdio and /mcp (set by `serve --toolset NAME` or MCPO_TOOLSET); default: everything." }),
  codeMode: CodeModeSchema.prefault({}).meta({ description: "Limits of run_code (code mode): time, tool calls, memory, result size." }),
  reload: ReloadSchema.prefault({}).meta({ description: "Live config reloads (docs/reload.md)." }),
})

export type ConfigInput = z.input<typeof ConfigSchema>
export type Config = z.output<typeof ConfigSchema>
