/**
 * Cursor's mcp.json variables (`${env:NAME}`, `${NAME}`, `${userHome}`, `${workspaceFolder}`, …) and
 * `envFile` in server entries: resolved in command, args, env, url and headers before validation;
 * unknown forms and malformed env files are config errors naming the key and its file:line (an env
 * file that cannot be read fails its own server only: test/config/env-file-runtime.test.ts); and,
 * through the compiled binary, the child really gets the resolved argv and env.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join, sep } from "node:path"
import { interpolate, loadConfig, parseDotenv, type StdioServerSpec, type RemoteServerSpec } from "../../src/config/index.ts"
import { redactString } from "../../src/core/index.ts"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { configDir, problems } from "./helpers.ts"

const configs = configDir("mcpo-interp-")
const dir = configs.dir
const file = (text: string, name?: string): string => configs.file(text, "yaml", name)
const baseEnv = { HOME: "/home/tester", XDG_CONFIG_HOME: join(dir, "none") }

describe("interpolate", () => {
  const ctx = { env: { HOME: "/h", TOKEN: "abc", EMPTY: "" }, workspace: "/work/proj" }
  test("every form Cursor knows", () => {
    expect(interpolate("${env:TOKEN}|${TOKEN}|${userHome}|${workspaceFolder}|${workspaceFolderBasename}|${pathSeparator}|${/}", ctx).value).toBe(`abc|abc|/h|/work/proj|proj|${sep}|${sep}`)
  })
  test("text without variables, a lone $, $VAR without braces and $${ are left as written", () => {
    expect(interpolate("a $b $ c$", ctx).value).toBe("a $b $ c$")
    expect(interpolate("$${env:TOKEN}", ctx).value).toBe("${env:TOKEN}")
  })
  test("unset variables become empty and are reported; set-but-empty ones are not", () => {
    const r = interpolate("x${env:NOPE}y${EMPTY}${NOPE2}", ctx)
    expect(r.value).toBe("xy")
    // as written (QA: an unset ${env:X} was reported as ${X})
    expect(r.unset).toEqual(["env:NOPE", "NOPE2"])
    expect(r.errors).toEqual([])
  })
  test("${NAME:-default} (Claude Code's .mcp.json, a shell's): the default when unset or empty, else the value; no unset warning", () => {
    const r = interpolate("${NOPE:-@scope/pkg}|${EMPTY:-d}|${TOKEN:-d}|${env:NOPE:-e}|${NOPE:-}|${TOKEN:-}", ctx)
    expect(r.value).toBe("@scope/pkg|d|abc|e||abc")
    expect(r.unset).toEqual([])
    expect(r.errors).toEqual([])
    // a default under a secret name is a secret too, as the variable's value would be
    expect(interpolate("${API_KEY:-sk-live-0123456789abcdefghij}", ctx).secrets).toEqual(["sk-live-0123456789abcdefghij"])
    // the name must still be a variable name
    expect(interpolate("${A-B:-x}", ctx).errors[0]).toContain('unknown variable "${A-B:-x}"')
  })
  test("unknown forms and an unterminated ${ are errors", () => {
    expect(interpolate("${config:x}", ctx).errors[0]).toContain('unknown variable "${config:x}"')
    expect(interpolate("${env:}", ctx).errors).toHaveLength(1)
    expect(interpolate("${a b}", ctx).errors).toHaveLength(1)
    expect(interpolate("abc ${env:TOKEN", ctx).errors[0]).toContain("unterminated")
  })
})

describe("loadConfig resolves server entries", () => {
  test("command, args, env, cwd, url and headers; other keys untouched", () => {
    const p = file(
      [
        "servers:",
        "  local:",
        '    command: "${userHome}/bin/tool"',
        '    args: ["--root", "${workspaceFolder}", "--token=${env:API_TOKEN}", "$${literal}"]',
        '    env: { KEY: "${API_TOKEN}", PLAIN: "x" }',
        '    cwd: "${workspaceFolder}/sub"',
        "mcpServers:",
        "  remote:",
        '    url: "${env:BASE_URL}/mcp"',
        '    headers: { Authorization: "Bearer ${env:API_TOKEN}" }',
      ].join("\n"),
    )
    const env = { ...baseEnv, API_TOKEN: "tok-1234567890abcdef", BASE_URL: "https://mcp.example.com", MCPO_WORKSPACE: "/work/proj" }
    const { config, warnings } = loadConfig({ configPath: p, env })
    const local = config.servers.local as StdioServerSpec
    expect(local.command).toBe("/home/tester/bin/tool")
    expect(local.args).toEqual(["--root", "/work/proj", "--token=tok-1234567890abcdef", "${literal}"])
    expect(local.env).toEqual({ KEY: "tok-1234567890abcdef", PLAIN: "x" })
    expect(local.cwd).toBe("/work/proj/sub")
    const remote = config.servers.remote as RemoteServerSpec
    expect(remote.url).toBe("https://mcp.example.com/mcp")
    expect(remote.headers).toEqual({ Authorization: "Bearer tok-1234567890abcdef" })
    // no unset variable; the token put on local's command line is said (config/argv-secrets), never shown
    expect(warnings).toHaveLength(1)
    expect(warnings![0]).toContain("servers.local (")
    expect(warnings![0]).toContain("a secret is given on its command line (args[2])")
    expect(warnings![0]).not.toContain("tok-1234567890abcdef")
    // the resolved secret joins the redaction set like a written one
    expect(redactString("leak tok-1234567890abcdef")).not.toContain("tok-1234567890abcdef")
  })

  test("${workspaceFolder} is the working directory when MCPO_WORKSPACE is unset", () => {
    const p = file('servers:\n  a:\n    command: x\n    args: ["${workspaceFolder}"]\n')
    expect((loadConfig({ configPath: p, env: baseEnv }).config.servers.a as StdioServerSpec).args).toEqual([process.cwd()])
  })

  test("an unset variable resolves to empty and is a warning naming the key", () => {
    const p = file('servers:\n  a:\n    command: x\n    args: ["--k", "${env:MCPO_TEST_SURELY_UNSET}"]\n')
    const { config, warnings } = loadConfig({ configPath: p, env: baseEnv })
    expect((config.servers.a as StdioServerSpec).args).toEqual(["--k", ""])
    expect(warnings).toEqual([`servers.a.args.1 (${p}:4): \${env:MCPO_TEST_SURELY_UNSET} is not set in the environment; it resolves to ""`])
  })

  test("unknown forms are config errors naming the key path and file:line", () => {
    const p = file('servers:\n  a:\n    command: x\n    args: ["ok", "${input:token}"]\n    env:\n      K: "${env:A-B}"\n')
    const ps = problems(() => loadConfig({ configPath: p, env: baseEnv }))
    expect(ps).toHaveLength(2)
    // VS Code's prompt form, told apart: what to write instead
    expect(ps[0]).toStartWith(`servers.a.args.1 (${p}:4): "\${input:token}" is a VS Code input (a value VS Code prompts for); the orchestrator cannot prompt`)
    expect(ps[0]).toContain("write ${env:NAME}")
    expect(ps[1]).toStartWith(`servers.a.env.K (${p}:6): unknown variable "\${env:A-B}"`)
  })

  test("a VS Code mcp.json pasted as is (servers, type, inputs) loads; inputs are not kept", () => {
    const p = configs.file(
      JSON.stringify({
        inputs: [{ type: "promptString", id: "tok", description: "Token", password: true }],
        servers: { mem: { type: "stdio", command: "npx", args: ["-y", "${env:PKG:-@modelcontextprotocol/server-memory}"] } },
      }),
      "json",
    )
    const { config } = loadConfig({ configPath: p, env: baseEnv })
    expect((config.servers.mem as StdioServerSpec).args).toEqual(["-y", "@modelcontextprotocol/server-memory"])
    expect(Object.hasOwn(config, "inputs")).toBe(false)
    // `inputs` is a list: anything else is named
    const bad = configs.file('{"inputs": {"id": "x"}, "servers": {}}', "json")
    expect(problems(() => loadConfig({ configPath: bad, env: baseEnv }))[0]).toStartWith(`inputs (${bad}:1)`)
  })

  test("a ${…} outside server entries is an error naming the key and its MCPO_* variable, never the text taken as written (qa56)", () => {
    const p = file('cache:\n  dir: "${HOME}/c"\nhttp:\n  token: "${env:MY_TOKEN_FOR_HTTP_0123}"\nplugins:\n  dirs: ["/ok", "${userHome}/p"]\nservers:\n  a: { command: x, args: ["${HOME}"] }\n')
    const ps = problems(() => loadConfig({ configPath: p, env: { ...baseEnv, MY_TOKEN_FOR_HTTP_0123: "abcdefghijklmnopqrstuvwxyz" } }))
    const why = "${…} variables are resolved in server entries only (command, args, env, url, headers, cwd, envFile), so this would be taken as written"
    expect(ps).toEqual([
      `cache.dir (${p}:2): ${why}; write the value, or leave it out here and set MCPO_CACHE_DIR in the environment`,
      `http.token (${p}:4): ${why}; write the value, or leave it out here and set MCPO_HTTP_TOKEN in the environment`,
      `plugins.dirs.1 (${p}:6): ${why}; write the value, or leave it out here and set MCPO_PLUGINS_DIRS in the environment`,
    ])
    // the same values from the environment are values, not config text
    const q = file("servers: {}\n")
    const { config } = loadConfig({ configPath: q, env: { ...baseEnv, MCPO_CACHE_DIR: "/tmp/${x}" } })
    expect(config.cache.dir).toBe("/tmp/${x}")
  })

  test("a URL written with a variable validates as the URL it becomes", () => {
    const p = file('servers:\n  r:\n    url: "${env:BASE}/mcp"\n')
    expect((loadConfig({ configPath: p, env: { ...baseEnv, BASE: "http://127.0.0.1:9" } }).config.servers.r as RemoteServerSpec).url).toBe("http://127.0.0.1:9/mcp")
    expect(problems(() => loadConfig({ configPath: p, env: { ...baseEnv, BASE: "not a url" } }))[0]).toStartWith(`servers.r.url (${p}:3)`)
  })
})

describe("envFile", () => {
  test("dotenv syntax: export, comments, quotes, escapes, multi-line", () => {
    const r = parseDotenv(['# c', 'export A=1', 'B = two words # note', "C='lit $x \\n'", 'D="x\\ny \\"q\\""', 'E="line1', 'line2"', '', 'F=', 'G=a#b'].join("\n"))
    expect(r.problems).toEqual([])
    expect(r.values).toEqual({ A: "1", B: "two words", C: "lit $x \\n", D: 'x\ny "q"', E: "line1\nline2", F: "", G: "a#b" })
    expect(parseDotenv("ok=1\nnot a line\nX='open").problems).toEqual(["line 2: expected KEY=VALUE", "line 3: unterminated single-quoted value"])
  })

  test("its values become the env, keys in env win, the path is relative to the config file", () => {
    const sub = join(dir, "proj")
    mkdirSync(sub, { recursive: true })
    writeFileSync(join(sub, ".env"), "A=from-file\nB=from-file\nSECRET_TOKEN=s3cr3t-0123456789abcdef\n")
    const p = file('servers:\n  a:\n    command: x\n    envFile: .env\n    env: { B: explicit }\n', "proj/config.yaml")
    const spec = loadConfig({ configPath: p, env: baseEnv }).config.servers.a as StdioServerSpec
    expect(spec.env).toEqual({ A: "from-file", B: "explicit", SECRET_TOKEN: "s3cr3t-0123456789abcdef" })
    expect(redactString("s3cr3t-0123456789abcdef")).toBe("[REDACTED]")
  })

  test("a variable in its path resolves first", () => {
    writeFileSync(join(dir, "ws.env"), "W=1\n")
    const p = file('servers:\n  a:\n    command: x\n    envFile: "${workspaceFolder}/ws.env"\n')
    expect((loadConfig({ configPath: p, env: { ...baseEnv, MCPO_WORKSPACE: dir } }).config.servers.a as StdioServerSpec).env).toEqual({ W: "1" })
  })

  test("a missing file is no config error: a warning naming the key, the source and the path (its server fails when it starts)", () => {
    const p = file('mcpServers:\n  a:\n    command: x\n    envFile: missing.env\n')
    const loaded = loadConfig({ configPath: p, env: baseEnv })
    expect(loaded.config.servers.a).toBeDefined()
    expect(loaded.warnings).toContain(`mcpServers.a.envFile (${p}:4): cannot read ${join(dir, "missing.env")} (ENOENT: no such file); server a will fail to start until it can be read (the other servers are not affected)`)
  })

  test("a malformed line is a config error with its line", () => {
    writeFileSync(join(dir, "bad.env"), "A=1\n??\n")
    const p = file('servers:\n  a:\n    command: x\n    envFile: bad.env\n')
    expect(problems(() => loadConfig({ configPath: p, env: baseEnv }))).toEqual([`servers.a.envFile (${p}:4): ${join(dir, "bad.env")} line 2: expected KEY=VALUE`])
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("the child gets the resolved command, args and env (envFile under explicit env)", async () => {
    const env = sandboxEnv({ ECHO_SCRIPT: join(ROOT, "test", "fixtures", "servers", "env-echo-server.ts"), MY_TOKEN: "tok-abcdef0123456789" })
    const cfgDir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
    mkdirSync(cfgDir, { recursive: true })
    writeFileSync(join(cfgDir, "secrets.env"), "FROM_FILE=yes\nOVERRIDDEN=file\n")
    writeFileSync(
      join(cfgDir, "config.yaml"),
      [
        "servers:",
        "  echo:",
        `    command: "${process.execPath}"`,
        '    args: ["${env:ECHO_SCRIPT}", "--home=${userHome}", "--ws=${workspaceFolder}", "--mode=${MCPO_TEST_UNSET_MODE:-fast}"]',
        "    envFile: secrets.env",
        '    env: { TOKEN: "${MY_TOKEN}", OVERRIDDEN: explicit }',
      ].join("\n"),
    )
    const c = await connectBinary(["serve"], { ...env, MCPO_WORKSPACE: "/somewhere/proj" })
    try {
      const r = (await c.client.callTool({ name: "echo__whoami", arguments: {} })) as { content: Array<{ text: string }> }
      const seen = JSON.parse(r.content[0]!.text) as { argv: string[]; env: Record<string, string>; envSha256: Record<string, string> }
      expect(seen.argv).toEqual([`--home=${env.HOME}`, "--ws=/somewhere/proj", "--mode=fast"])
      // the child got the token; the model sees it redacted (a configured secret in a successful result)
      expect(seen.envSha256.TOKEN).toBe(new Bun.CryptoHasher("sha256").update("tok-abcdef0123456789").digest("hex"))
      expect(seen.env.TOKEN).toBe("[REDACTED]")
      expect(seen.env.FROM_FILE).toBe("yes")
      expect(seen.env.OVERRIDDEN).toBe("explicit")
    } finally {
      await c.close()
    }
  }, 30_000)
})
