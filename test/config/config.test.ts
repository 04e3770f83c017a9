import { describe, expect, test } from "bun:test"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { envBindings, loadConfig } from "../../src/config/index.ts"
import { flagLayer } from "../../src/cli/flags.ts"
import { configDir, problems } from "./helpers.ts"

const { dir, file } = configDir("mcpo-config-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }

describe("precedence: defaults < file < env < flags", () => {
  const p = file("pool:\n  maxInFlight: 3\n  queueLimit: 7\nlog:\n  level: warn\n")
  test("defaults apply when nothing is set", () => {
    const { config, file: f } = loadConfig({ env: noEnv })
    expect(f).toBeUndefined()
    expect(config.pool.maxInFlight).toBe(64)
    expect(config.log.level).toBe("info")
    expect(config.cache.ttl.catalog).toBe(12 * 3600_000)
  })
  test("file overrides defaults", () => {
    const { config, sources } = loadConfig({ configPath: p, env: noEnv })
    expect(config.pool.maxInFlight).toBe(3)
    expect(config.log.level).toBe("warn")
    expect(sources.get("pool.maxInFlight")).toBe(`${p}:2`)
  })
  test("env overrides file", () => {
    const { config, sources } = loadConfig({ configPath: p, env: { ...noEnv, MCPO_POOL_MAX_IN_FLIGHT: "5", MCPO_LOG_LEVEL: "debug" } })
    expect(config.pool.maxInFlight).toBe(5)
    expect(config.pool.queueLimit).toBe(7)
    expect(config.log.level).toBe("debug")
    expect(sources.get("pool.maxInFlight")).toBe("env MCPO_POOL_MAX_IN_FLIGHT")
  })
  test("a list variable takes a comma-separated list or a JSON array of strings; anything else stays a comma list", () => {
    const origins = (v: string) => loadConfig({ env: { ...noEnv, MCPO_HTTP_ALLOWED_ORIGINS: v } }).config.http.allowedOrigins
    expect(origins("https://a.example, https://b.example")).toEqual(["https://a.example", "https://b.example"])
    expect(origins(' ["https://a.example", "https://b,c.example"] ')).toEqual(["https://a.example", "https://b,c.example"])
    const hosts = (v: string) => loadConfig({ env: { ...noEnv, MCPO_HTTP_ALLOWED_HOSTS: v } }).config.http.allowedHosts
    // an IPv6 host and arrays of other things are not JSON string arrays: split at commas as always
    expect(hosts("[::1]")).toEqual(["[::1]"])
    expect(hosts("[1,2]")).toEqual(["[1", "2]"])
    expect(hosts('["a.example",]')).toEqual(['["a.example"', "]"])
  })
  test("flags override env", () => {
    const { config, sources } = loadConfig({ configPath: p, env: { ...noEnv, MCPO_LOG_LEVEL: "debug" }, flags: flagLayer({ logLevel: "error" }) })
    expect(config.log.level).toBe("error")
    expect(sources.get("log.level")).toBe("flag --log-level")
  })
  test("MCPO_CONFIG picks the file; --config wins over it", () => {
    const other = file("log:\n  level: error\n")
    expect(loadConfig({ env: { ...noEnv, MCPO_CONFIG: p } }).config.log.level).toBe("warn")
    expect(loadConfig({ configPath: other, env: { ...noEnv, MCPO_CONFIG: p } }).config.log.level).toBe("error")
  })
  test("default location under XDG_CONFIG_HOME", () => {
    const xdg = mkdtempSync(join(tmpdir(), "mcpo-xdg-"))
    require("node:fs").mkdirSync(join(xdg, "mcp-orchestrator"))
    writeFileSync(join(xdg, "mcp-orchestrator", "config.yaml"), "proxy:\n  nameBudget: 40\n")
    const r = loadConfig({ env: { HOME: dir, XDG_CONFIG_HOME: xdg } })
    expect(r.config.proxy.nameBudget).toBe(40)
    expect(r.file?.via).toBe("default location")
  })
  test("env lists, booleans and durations are coerced", () => {
    const f = file("servers:\n  a: {command: x}\n  b: {command: y}\n")
    const { config } = loadConfig({ configPath: f, env: { ...noEnv, MCPO_WARM: "a, b", MCPO_CACHE_ENABLED: "false", MCPO_POOL_CALL_TIMEOUT: "5s" } })
    expect(config.warm).toEqual(["a", "b"])
    expect(config.cache.enabled).toBe(false)
    expect(config.pool.callTimeout).toBe(5000)
  })
})

describe("Cursor mcp.json form", () => {
  test("an mcp.json file is accepted as is and merged into servers", () => {
    const p = file(
      JSON.stringify({ mcpServers: { memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"], env: { MEMORY_FILE_PATH: "/tmp/m.json" } }, remote: { url: "https://example.com/mcp", headers: { Authorization: "Bearer abc" } } } }, null, 2),
      "json",
    )
    const { config } = loadConfig({ configPath: p, env: noEnv })
    expect(Object.keys(config.servers).sort()).toEqual(["memory", "remote"])
    expect(config.servers.memory).toMatchObject({ command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] })
    expect(config.servers.remote).toMatchObject({ url: "https://example.com/mcp" })
    expect(config.mcpServers).toBeUndefined()
  })
  test("Cursor's `type` key is accepted", () => {
    const p = file(JSON.stringify({ mcpServers: { a: { type: "stdio", command: "x" }, b: { type: "sse", url: "http://127.0.0.1:1/sse" } } }), "json")
    expect(Object.keys(loadConfig({ configPath: p, env: noEnv }).config.servers)).toEqual(["a", "b"])
  })
  test("the same name in servers and mcpServers is an error of the mcpServers entry naming both (left out; servers' serves)", () => {
    const p = file("servers:\n  a: {command: x}\nmcpServers:\n  a: {command: y}\n")
    const l = loadConfig({ configPath: p, env: noEnv })
    expect(l.config.servers.a).toMatchObject({ command: "x" })
    expect(l.invalidServers?.map((s) => s.problems[0]!.problem)).toEqual([`defined in servers too (${p}:2); keep one`])
  })
})

describe("validation errors name the key, its source and what was expected", () => {
  test("unknown key with a did-you-mean suggestion and file:line", () => {
    const p = file("log:\n  level: info\npool:\n  maxInFlite: 3\n")
    const [msg] = problems(() => loadConfig({ configPath: p, env: noEnv }))
    expect(msg).toBe(`pool.maxInFlite (${p}:4): unknown key; did you mean "maxInFlight"?`)
  })
  test("unknown top-level section", () => {
    const p = file("sevrers:\n  a: {command: x}\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toContain('did you mean "servers"?')
  })
  test("unknown key inside a server entry", () => {
    const p = file("servers:\n  a:\n    command: x\n    argz: []\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toBe(`servers.a.argz (${p}:4): unknown key; did you mean "args"?`)
  })
  test("wrong type from a file", () => {
    const p = file("pool:\n  maxInFlight: many\n")
    const [msg] = problems(() => loadConfig({ configPath: p, env: noEnv }))
    expect(msg).toBe(`pool.maxInFlight (${p}:2): expected an integer, got "many"`)
  })
  test("wrong type from the environment names the variable", () => {
    const [msg] = problems(() => loadConfig({ env: { ...noEnv, MCPO_POOL_QUEUE_LIMIT: "lots" } }))
    expect(msg).toBe('pool.queueLimit (env MCPO_POOL_QUEUE_LIMIT): expected an integer, got "lots"')
  })
  test("bad enum from a flag names the flag and the choices", () => {
    const [msg] = problems(() => loadConfig({ env: noEnv, flags: flagLayer({ logLevel: "loud" }) }))
    expect(msg).toBe('log.level (flag --log-level): expected one of "debug", "info", "warn", "error", got "loud"')
  })
  test("a server that is neither stdio nor remote", () => {
    const p = file("servers:\n  bad: {}\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toBe(
      `servers.bad (${p}:2): missing required key: \`command\` (the program to run, for a stdio server {command, args?, env?, cwd?}) or \`url\` (the http:// or https:// endpoint, for an HTTP/SSE server {url, transport?, headers?}); the entry is empty`,
    )
  })
  test("a non-http URL", () => {
    const p = file("servers:\n  r:\n    url: ftp://x\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toBe(
      `servers.r.url (${p}:3): expected an http:// or https:// URL; its scheme is ftp: (mcp-orchestrator reaches remote servers over http:// or https://; a program run on this machine is a command, not a url)`,
    )
  })
  // pasted from an address bar or a README: the fix is said, the URL is not (it may carry a token)
  for (const [url, says] of [
    ["example.com/mcp?key=abc123", "it has no scheme: write https://"],
    ["localhost:3000/mcp", "it has no scheme: write https://"],
    ["https://my server.example.com/mcp", "it has a space inside it"],
  ] as const)
    test(`a url that is no URL as written: ${url}`, () => {
      const p = file(`servers:\n  r:\n    url: "${url}"\n`)
      const said = problems(() => loadConfig({ configPath: p, env: noEnv }))[0]!
      expect(said).toContain(`servers.r.url (${p}:3): expected an http:// or https:// URL; ${says}`)
      expect(said).not.toContain("abc123")
    })
  test("an invalid server name", () => {
    const p = file('servers:\n  "bad name": {command: x}\n')
    expect(problems(() => loadConfig({ configPath: p, env: noEnv })).join("\n")).toContain("bad name")
  })
  // the fix offered is a name that would do
  for (const [name, better] of [["my server.v1", "my-server-v1"], ["café", "cafe"], ["@org/mcp", "org-mcp"]] as const)
    test(`an invalid server name offers one that would do: ${name}`, () => {
      const p = file(`servers:\n  "${name}": {command: x}\n`)
      expect(problems(() => loadConfig({ configPath: p, env: noEnv })).join("\n")).toContain(`invalid key "${name}": server names are 1-64 of A-Z a-z 0-9 _ - and start with a letter or digit; rename it, e.g. to "${better}"`)
    })
  test("an invalid server name with nothing usable in it offers none", () => {
    const p = file(`servers:\n  "日本": {command: x}\n`)
    expect(problems(() => loadConfig({ configPath: p, env: noEnv })).join("\n")).not.toContain("rename it")
  })
  test("an invalid duration", () => {
    const [msg] = problems(() => loadConfig({ env: { ...noEnv, MCPO_CACHE_TTL_TOOLS: "soon" } }))
    expect(msg).toContain("cache.ttl.tools (env MCPO_CACHE_TTL_TOOLS): expected a duration")
  })
  test("a timer duration past 24.8 days (it would fire at once) names the key; a cache TTL may be longer", () => {
    const p = file("pool:\n  callTimeout: 25d\nservers:\n  a: {command: x, timeout: 99999999999}\ncache:\n  ttl:\n    catalog: 90d\n")
    const msgs = problems(() => loadConfig({ configPath: p, env: noEnv })).sort()
    expect(msgs).toEqual([
      `pool.callTimeout (${p}:2): expected at most 24.8 days (2147483647 ms; a longer timer fires at once), got 2160000000 ms`,
      `servers.a.timeout (${p}:4): expected at most 24.8 days (2147483647 ms; a longer timer fires at once), got 99999999999 ms`,
    ])
    expect(loadConfig({ configPath: file("cache:\n  ttl:\n    catalog: 90d\n"), env: noEnv }).config.cache.ttl.catalog).toBe(90 * 86_400_000)
  })
  test("warm names an unknown server, with a suggestion", () => {
    const p = file("servers:\n  memory: {command: x}\nwarm: [memroy]\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toContain('did you mean "memory"?')
  })
  test("warm naming a disabled server is a warning naming both keys (qa56: it was silently not started)", () => {
    const p = file("servers:\n  memory: {command: x, disabled: true}\n  other: {command: x}\nwarm: [other, memory]\n")
    const { warnings } = loadConfig({ configPath: p, env: noEnv })
    expect(warnings).toContain(`warm (${p}:4): "memory" is disabled (servers.memory.disabled), so it is not started at boot; remove it from warm, or enable the server`)
    expect((warnings ?? []).filter((w) => w.startsWith("warm"))).toHaveLength(1)
  })
  test("several problems are all reported, one line each", () => {
    const p = file("pool:\n  maxInFlight: 0\n  bogus: 1\nproxy:\n  separator: '!!!!'\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv })).length).toBe(3)
  })
  test("YAML syntax errors name the line", () => {
    const p = file("pool:\n  maxInFlight: 3\n   bad: [\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toMatch(new RegExp(`^${p}:\\d+: not valid YAML/JSON`))
  })
  test("a top level that is not a mapping", () => {
    const p = file("- a\n- b\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toContain("expected a mapping")
  })
  test("a missing explicit config file", () => {
    const [msg] = problems(() => loadConfig({ configPath: join(dir, "nope.yaml"), env: noEnv }))
    expect(msg).toContain("nope.yaml (--config): cannot read the config file (ENOENT)")
  })
  test("duplicate keys in YAML are errors, not silently merged", () => {
    const p = file("log:\n  level: info\nlog:\n  level: debug\n")
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))).toEqual([`log (${p}:3): duplicate key; it is already set on line 1`])
  })
})

describe("env bindings", () => {
  test("every scalar section key has an MCPO_ variable, servers are file-only", () => {
    const names = envBindings().map((b) => b.env)
    for (const n of ["MCPO_LOG_LEVEL", "MCPO_POOL_MAX_IN_FLIGHT", "MCPO_HTTP_TOKEN", "MCPO_CACHE_TTL_CATALOG", "MCPO_TOOLKIT_PROFILE", "MCPO_WARM", "MCPO_PLUGINS_DIRS"]) {
      expect(names).toContain(n)
    }
    expect(names.some((n) => n.startsWith("MCPO_SERVERS"))).toBe(false)
  })
})

describe("relative paths in settings (qa56)", () => {
  test("written in the file they start at the file's directory (not the editor's working directory); from MCPO_* or a flag, as typed", () => {
    const p = file('cache:\n  dir: cache\nplugins:\n  dirs: [plugins, "~/p", /abs]\nproxy:\n  pinsFile: state/pins.json\n')
    const { config } = loadConfig({ configPath: p, env: noEnv })
    expect(config.cache.dir).toBe(join(dir, "cache"))
    expect(config.plugins.dirs).toEqual([join(dir, "plugins"), join(dir, "p"), "/abs"])
    expect(config.proxy.pinsFile).toBe(join(dir, "state", "pins.json"))
    // the environment wins over the file and is a shell's value: left as typed
    const e = loadConfig({ configPath: p, env: { ...noEnv, MCPO_CACHE_DIR: "rel-cache", MCPO_PROXY_PINS_FILE: "rel.json" } }).config
    expect(e.cache.dir).toBe("rel-cache")
    expect(e.proxy.pinsFile).toBe("rel.json")
    expect(e.plugins.dirs).toEqual([join(dir, "plugins"), join(dir, "p"), "/abs"])
  })
})
