/**
 * Regression: a shell's `$NAME` (no braces) in a server entry was taken as written without a word:
 * `"API_KEY": "$GITHUB_TOKEN"` pasted from a shell snippet gave the server the text `$GITHUB_TOKEN`
 * (only `${NAME}` / `${env:NAME}` are variables, as in Cursor). The value still stays as written,
 * and each such reference is a config warning (serve's start log, doctor) naming the key, its file
 * and line, and the form to write; a `$` that is plainly data (`pa$$word`, `$1`, a lone `$`,
 * `$${…}`, `pa$word`) is not warned about. The warning never shows a secret value.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { bareVarNames, loadConfig, type StdioServerSpec, type RemoteServerSpec } from "../../src/config/index.ts"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { configDir } from "./helpers.ts"

const configs = configDir("mcpo-bare-")
const baseEnv = { HOME: "/home/tester", XDG_CONFIG_HOME: join(configs.dir, "none"), GITHUB_TOKEN: "ghp_0123456789abcdefghijklmnopqrstuvwxyz", lower: "x" }

describe("bareVarNames", () => {
  test("a shell variable reference: set in the environment, or written in capitals", () => {
    expect(bareVarNames("$GITHUB_TOKEN", baseEnv)).toEqual(["GITHUB_TOKEN"])
    expect(bareVarNames("$HOME/projects", baseEnv)).toEqual(["HOME"])
    expect(bareVarNames("Bearer $API_KEY", baseEnv)).toEqual(["API_KEY"])
    expect(bareVarNames("--dir=$lower:$NOT_SET_ANYWHERE", baseEnv)).toEqual(["lower", "NOT_SET_ANYWHERE"])
  })
  test("a $ that is data is left alone", () => {
    for (const v of ["pa$$word", "$$HOME", "$1", "$", "a $ b", "cost: 5$", "pa$word", "$${HOME}", "${HOME}", "$notset", "x$HOME"]) expect(bareVarNames(v, baseEnv)).toEqual([])
  })
})

describe("loadConfig", () => {
  test("each $NAME in command, args, env, url and headers is a warning naming the key, file:line and ${NAME}; the values stay as written", () => {
    const path = configs.file(
      [
        "servers:",
        "  gh:",
        "    command: $HOME/bin/github-mcp",
        "    args: [--token, $GITHUB_TOKEN, pa$$word, $1, $]",
        "    env:",
        "      API_KEY: $GITHUB_TOKEN",
        "      PASSWORD: pa$$word",
        "  web:",
        "    url: https://mcp.example.com/$TENANT/mcp",
        "    headers:",
        "      Authorization: Bearer $API_TOKEN",
        "",
      ].join("\n"),
    )
    const loaded = loadConfig({ configPath: path, env: baseEnv })
    const gh = loaded.config.servers.gh as StdioServerSpec
    expect(gh.env!.API_KEY).toBe("$GITHUB_TOKEN")
    expect(gh.env!.PASSWORD).toBe("pa$$word")
    expect(gh.args).toEqual(["--token", "$GITHUB_TOKEN", "pa$$word", "$1", "$"])
    expect((loaded.config.servers.web as RemoteServerSpec).url).toBe("https://mcp.example.com/$TENANT/mcp")
    const bare = (loaded.warnings ?? []).filter((w) => w.includes("after a bare $"))
    expect(bare).toEqual([
      `servers.gh.command (${path}:3): HOME after a bare $ is taken as written, not as the variable (only \${…} forms are resolved, as in Cursor); write \${HOME} (or \${env:HOME}) for the variable's value`,
      expect.stringContaining(`servers.gh.args.1 (${path}:4): GITHUB_TOKEN after a bare $`),
      expect.stringContaining(`servers.gh.env.API_KEY (${path}:6): GITHUB_TOKEN after a bare $ is taken as written, not as the variable (only \${…} forms are resolved, as in Cursor); write \${GITHUB_TOKEN}`),
      expect.stringContaining(`servers.web.url (${path}:9): TENANT after a bare $ is taken as written`),
      expect.stringContaining(`servers.web.headers.Authorization (${path}:11): API_TOKEN after a bare $`),
    ])
  })
  test("the braces forms and $${ give no such warning", () => {
    const path = configs.file("servers:\n  a:\n    command: node\n    args: ['${HOME}/x', '$${HOME}']\n    env: { K: '${env:GITHUB_TOKEN}' }\n")
    expect((loadConfig({ configPath: path, env: baseEnv }).warnings ?? []).filter((w) => w.includes("bare $"))).toEqual([])
  })
})

describe("opencode's {env:NAME} (QA qa268: taken as text without a word)", () => {
  test("is a warning naming the key, file:line and ${env:NAME}; the value stays as written", () => {
    const path = configs.file("servers:\n  a:\n    command: node\n    args: ['--home={env:HOME}', '${env:HOME}', '$${env:HOME}']\n    env: { K: '{env:GITHUB_TOKEN}' }\n")
    const loaded = loadConfig({ configPath: path, env: baseEnv })
    expect((loaded.config.servers.a as StdioServerSpec).env!.K).toBe("{env:GITHUB_TOKEN}")
    expect((loaded.warnings ?? []).filter((w) => w.includes("opencode"))).toEqual([
      `servers.a.args.0 (${path}:4): {env:HOME} (opencode's form, no $) is taken as written, not as the variable; write \${env:HOME} (or \${HOME}) for the variable's value`,
      `servers.a.env.K (${path}:5): {env:GITHUB_TOKEN} (opencode's form, no $) is taken as written, not as the variable; write \${env:GITHUB_TOKEN} (or \${GITHUB_TOKEN}) for the variable's value`,
    ])
  })
})

describe("doctor (the binary)", () => {
  beforeAll(ensureBuilt, 120_000)
  test("shows the warning with its remedy, under a secret key too, and no secret", async () => {
    const env = sandboxEnv({ GITHUB_TOKEN: baseEnv.GITHUB_TOKEN })
    const cfg = join(env.HOME!, "mcp.json")
    await Bun.write(cfg, JSON.stringify({ toolkit: { enabled: "off" }, mcpServers: { github: { command: "node", env: { GITHUB_PERSONAL_ACCESS_TOKEN: "$GITHUB_TOKEN" } } } }))
    const p = Bun.spawn([BIN, "doctor", "--no-start", "--config", cfg], { env, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
    const [out, , code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    expect(code).toBe(0)
    expect(out).toContain(`! config: mcpServers.github.env.GITHUB_PERSONAL_ACCESS_TOKEN (${cfg}:1): GITHUB_TOKEN after a bare $ is taken as written`)
    expect(out).toContain("write ${GITHUB_TOKEN} (or ${env:GITHUB_TOKEN})")
    expect(out).toContain("remedy: write the variable as the warning says (${NAME} or ${env:NAME})")
    expect(out).not.toContain(baseEnv.GITHUB_TOKEN)
  }, 30_000)
})
