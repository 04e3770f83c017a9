/**
 * Regression (QA round 5, item 5): a server named `__proto__` was dropped without a word (zod's
 * records skip that key; doctor said ✓ config with `"servers": {}`), while `_foo` was rejected. Now
 * every user-keyed map of the config rejects `__proto__` naming the key, file and line (doctor exits 2;
 * a server entry so named is left out, the others run: config/invalid-servers),
 * and names such as `constructor` or `toString` (valid server names) are ordinary names: they work
 * as servers, in `mcpServers`, and are not taken as configured when they are not (warm, toolsets,
 * --toolset / MCPO_TOOLSET), since `"constructor" in {}` is true.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { deepMerge, loadConfig } from "../../src/config/index.ts"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { configDir, problems } from "./helpers.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const NAME_RULE = "server names are 1-64 of A-Z a-z 0-9 _ - and start with a letter or digit"
/** The name offered instead (core/names suggestServerName). */
const RENAMED = '; rename it, e.g. to "proto"'
const PROTO_RULE = "JavaScript reads this name as an object's prototype, so the entry would be lost; rename it"
const { file } = configDir("mcpo-proto-")
const load = (path: string, env: Record<string, string> = {}) => loadConfig({ configPath: path, env })

describe("__proto__ as a key is an error, never dropped", () => {
  test("a server named __proto__: YAML, JSON and JSONC, in servers and mcpServers", () => {
    // next to a valid entry it is that entry's error: left out, named, the other loads (config/invalid-servers)
    const yaml = file(`servers:\n  ok: { command: node }\n  __proto__:\n    command: node\n`)
    const loaded = load(yaml)
    expect(Object.keys(loaded.config.servers)).toEqual(["ok"])
    expect(loaded.invalidServers?.flatMap((s) => s.problems.map((p) => `${p.at} (${p.source}): ${p.problem}`))).toEqual([`servers.__proto__ (${yaml}:3): invalid key "__proto__": ${NAME_RULE}${RENAMED}`])
    const json = file(`{\n  "servers": {\n    "__proto__": { "command": "node" }\n  }\n}\n`, "json")
    expect(problems(() => load(json))).toEqual([`servers.__proto__ (${json}:3): invalid key "__proto__": ${NAME_RULE}${RENAMED}`])
    const jsonc = file(`{\n  // Cursor's key\n  "mcpServers": {\n    "__proto__": { "command": "node" },\n  }\n}\n`, "jsonc")
    expect(problems(() => load(jsonc))).toEqual([`mcpServers.__proto__ (${jsonc}:4): invalid key "__proto__": ${NAME_RULE}${RENAMED}`])
  })

  test("every other user-keyed map: env, headers, toolTimeouts, toolsets", () => {
    const p = file(
      [
        "servers:",
        "  a:",
        "    command: node",
        "    env: { __proto__: x, B: y }",
        "    toolTimeouts:",
        "      __proto__: 5s",
        "  r:",
        "    url: https://mcp.example.com/mcp",
        "    headers:",
        "      __proto__: v",
        "toolsets:",
        "  __proto__: { servers: [a] }",
        "",
      ].join("\n"),
    )
    expect(problems(() => load(p)).sort()).toEqual(
      [
        `servers.a.env.__proto__ (${p}:4): invalid key "__proto__": ${PROTO_RULE}`,
        `servers.a.toolTimeouts.__proto__ (${p}:6): invalid key "__proto__": ${PROTO_RULE}`,
        `servers.r.headers.__proto__ (${p}:10): invalid key "__proto__": ${PROTO_RULE}`,
        `toolsets.__proto__ (${p}:12): invalid key "__proto__": toolset names are 1-64 of A-Z a-z 0-9 _ - and start with a letter or digit`,
      ].sort(),
    )
  })

  test("a __proto__ line in a server's envFile is a problem of that file", () => {
    const { dir } = configDir("mcpo-proto-env-")
    writeFileSync(join(dir, "a.env"), "A=1\n__proto__=2\n")
    const p = join(dir, "c.yaml")
    writeFileSync(p, "servers:\n  a: { command: node, envFile: a.env }\n")
    const lines = problems(() => load(p))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`line 2: "__proto__" cannot be a variable name here; rename it`)
  })

  test("deepMerge keeps a __proto__ key as a key (the prototype stays Object.prototype)", () => {
    const over = JSON.parse('{"servers": {"__proto__": {"command": "x"}}}') as Record<string, unknown>
    const merged = deepMerge({ servers: { a: { command: "a" } } }, over)
    const servers = merged.servers as Record<string, unknown>
    expect(Object.keys(servers).sort()).toEqual(["__proto__", "a"])
    expect(Object.getPrototypeOf(servers)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(deepMerge({}, JSON.parse('{"__proto__": {"polluted": true}}')))).toBe(Object.prototype)
  })
})

describe("names that Object.prototype has are ordinary names", () => {
  test("constructor and toString in mcpServers are servers, not duplicates of servers' prototype", () => {
    const p = file(JSON.stringify({ servers: { a: { command: "node" } }, mcpServers: { constructor: { command: "node" }, toString: { command: "node" } } }), "json")
    const { config } = load(p)
    expect(Object.keys(config.servers).sort()).toEqual(["a", "constructor", "toString"])
    expect(Object.getOwnPropertyDescriptor(config.servers, "constructor")?.value).toEqual({ command: "node", args: [] })
  })

  test("a name that is no server is not configured because Object.prototype has it", () => {
    const base = "servers:\n  a: { command: node }\n"
    const warm = file(`${base}warm: [constructor]\n`)
    expect(problems(() => load(warm))).toEqual([`warm (${warm}:3): "constructor" is not a configured server`])
    const ts = file(`${base}toolsets:\n  t: { servers: [valueOf] }\n`)
    expect(problems(() => load(ts))).toEqual([`toolsets.t.servers.0 (${ts}:4): "valueOf" is not a configured server`])
    const sel = file(`${base}toolset: constructor\n`)
    expect(problems(() => load(sel))).toEqual([`unknown toolset "constructor" (${sel}:3); the config defines no toolsets`])
    // the environment layer: MCPO_WARM / MCPO_TOOLSET
    const plain = file(base)
    expect(problems(() => load(plain, { MCPO_WARM: "hasOwnProperty" }))).toEqual([`warm (env MCPO_WARM): "hasOwnProperty" is not a configured server`])
    expect(problems(() => load(plain, { MCPO_TOOLSET: "toString" }))).toEqual([`unknown toolset "toString" (env MCPO_TOOLSET); the config defines no toolsets`])
  })
})

describe("keys named like Object.prototype members inside an entry (lookup tables answer their own entries only)", () => {
  test("`constructor` or `__proto__` beside no command or url: the missing key is named, never read as `url` or suggested as \"[object Object]\"", () => {
    const p = file(`{\n  "servers": {\n    "ok": { "command": "node" },\n    "a": { "constructor": "x" },\n    "c": { "__proto__": { "command": "evil" } },\n    "d": { "toString": "y", "command": "node" }\n  }\n}\n`, "json")
    const loaded = load(p)
    expect(Object.keys(loaded.config.servers)).toEqual(["ok"])
    const said = (loaded.invalidServers ?? []).flatMap((s) => s.problems.map((q) => `${q.at}: ${q.problem}`))
    expect(said.find((l) => l.startsWith("servers.a"))).toMatch(/^servers\.a: missing required key: `command`.*it has only `constructor`$/)
    expect(said.join("\n")).not.toContain("[object Object]")
    expect(said.join("\n")).not.toContain("servers.a.url")
    expect(said.find((l) => l.startsWith("servers.d"))).toMatch(/^servers\.d\.toString: unknown key/)
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("doctor and serve: a __proto__ server is a config error (exit 2), in JSON and YAML", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    const json = join(env.HOME!, "proto.json")
    writeFileSync(json, `{"servers":{"__proto__":{"command":"node"},"ok":{"command":"node"}}}`)
    const yaml = join(env.HOME!, "proto.yaml")
    writeFileSync(yaml, `servers:\n  ok:\n    command: node\n  "__proto__":\n    command: node\n`)
    for (const [cfg, line] of [
      [json, 1],
      [yaml, 4],
    ] as const) {
      const doctor = Bun.spawnSync([BIN, "doctor", "--no-start", "--config", cfg], { env, cwd: env.HOME })
      expect(doctor.exitCode).toBe(2)
      expect(doctor.stdout.toString()).toContain(`servers.__proto__ (${cfg}:${line}): invalid key "__proto__": ${NAME_RULE}${RENAMED}`)
      // serve runs `ok` and says why __proto__ is left out
      const serve = Bun.spawnSync([BIN, "serve", "--config", cfg], { env, cwd: env.HOME, stdin: "ignore" })
      expect(serve.exitCode).toBe(0)
      const left = serve.stderr.toString().split("\n").filter((l) => l.includes("left out")).map((l) => JSON.parse(l) as { level: string; problems: string[] })
      expect(left).toHaveLength(1)
      expect(left[0]!.level).toBe("error")
      expect(left[0]!.problems).toEqual([`servers.__proto__ (${cfg}:${line}): invalid key "__proto__": ${NAME_RULE}${RENAMED}`])
    }
  }, 30_000)

  test("servers named constructor and toString (Cursor's mcpServers) are served and called", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    const cfg = join(env.HOME!, "names.json")
    const spec = { command: process.execPath, args: [FAULT] }
    writeFileSync(cfg, JSON.stringify({ mcpServers: { constructor: spec, toString: spec }, servers: { plain: spec } }, null, 2))
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const names = await listUntil(c.client, "toString__echo")
      expect(names).toContain("constructor__echo")
      expect(names).toContain("toString__echo")
      const r = (await c.client.callTool({ name: "constructor__echo", arguments: { message: "hi" } })) as { content: Array<{ text: string }>; isError?: boolean }
      expect(r.isError).toBeFalsy()
      expect(r.content[0]!.text).toContain("hi")
    } finally {
      await c.close()
    }
  }, 30_000)
})
