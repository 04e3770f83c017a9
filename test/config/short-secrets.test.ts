/**
 * config/short-secrets: a secret too short to redact safely (a 4-digit PIN, a 3-character key) is
 * not masked — masked, every such number or word would be blanked in every answer — and the config
 * load says so, naming the key and its file:line (qa277; before, nothing did). Trivial words
 * (`none`, `true`), empty values, settings and longer values get no warning.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { collectEnvSecrets, redactString, secrets } from "../../src/core/index.ts"
import { configDir } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const configs = configDir("mcpo-short-")
const env = { HOME: "/home/tester", XDG_CONFIG_HOME: join(configs.dir, "none") }

test("a secret-named env or header value under 4 characters or a number of up to 5 digits: a warning naming it; others none", () => {
  const path = configs.file(
    [
      "servers:",
      "  db:",
      "    command: db-mcp",
      "    env:",
      "      DB_PIN: '1234'",
      "      API_KEY: ab1",
      "      GITHUB_TOKEN: none",
      "      SECRET: ''",
      "      PASSWORD: hunter22",
      "      SESSION_TIMEOUT: '30'",
      "      MAX_TOKENS: '512'",
      "  web:",
      "    url: https://mcp.example.com/mcp",
      "    headers:",
      "      Authorization: Bearer x9z",
      "  off:",
      "    command: off-mcp",
      "    disabled: true",
      "    env: { PIN: '42' }",
      "",
    ].join("\n"),
  )
  const short = (loadConfig({ configPath: path, env }).warnings ?? []).filter((w) => w.includes("too short to redact"))
  expect(short).toEqual([
    expect.stringMatching(new RegExp(`^servers\\.db\\.env\\.DB_PIN \\(${path}:5\\): its value \\(a number of 4 digits\\) is too short to redact safely, so it is NOT masked`)),
    expect.stringContaining(`servers.db.env.API_KEY (${path}:6): its value (3 characters)`),
    expect.stringContaining(`servers.web.headers.Authorization (${path}:15): its value (3 characters)`),
  ])
  // no value is in the warnings
  expect(short.join(" ")).not.toMatch(/1234|ab1|x9z/)
})

test("the rule the warning states: such a value is not registered, and ordinary text keeps its numbers and words", () => {
  const out: string[] = []
  collectEnvSecrets({ DB_PIN: "1234", API_KEY: "ab1", TOKEN: "none", PASSWORD: "hunter22" }, out)
  expect(out).toEqual(["hunter22"])
  secrets.set("test-short", out)
  try {
    expect(redactString("page 1234 of 9999: ab1 none")).toBe("page 1234 of 9999: ab1 none")
    expect(redactString("pw hunter22")).toBe("pw [REDACTED]")
  } finally {
    secrets.delete("test-short")
  }
})

test("every place a value is taken by its name says so too: args flags, a command line, a URL's password and query, a URL in env, a client secret (qa310)", () => {
  const path = configs.file(
    [
      "servers:",
      "  cli:",
      "    command: cli-mcp",
      "    args: ['--api-key', 'ab1', '--token=xy9', '--verbose', 'pkg@1.2.3']",
      "    env:",
      "      DATABASE_URL: postgres://app:pw7@db.internal:5432/app",
      "      MODE: fast",
      "  line:",
      "    command: npx -y some-mcp --password q1w",
      "  remote:",
      "    url: https://bob:zz9@mcp.example.com/mcp?api_key=k12&page=2",
      "    auth: { clientSecret: c3x }",
      "  fine:",
      "    command: ok-mcp",
      "    args: ['--api-key', 'long-enough-key', '--port', '8080']",
      "    url: ''",
      "",
    ].join("\n"),
  )
  const short = (loadConfig({ configPath: path, env }).warnings ?? []).filter((w) => w.includes("too short to redact"))
  expect(short).toEqual([
    expect.stringContaining(`servers.cli.env.DATABASE_URL (${path}:6): a secret in it (3 characters) is too short to redact safely, so it is NOT masked`),
    expect.stringContaining(`servers.cli.args (${path}:4): 2 secrets in it (3 characters, 3 characters) are too short`),
    expect.stringContaining(`servers.line.command (${path}:9): a secret in it (3 characters) is too short`),
    expect.stringContaining(`servers.remote.url (${path}:11): 2 secrets in it (3 characters, 3 characters) are too short`),
    expect.stringContaining(`servers.remote.auth.clientSecret (${path}:12): its value (3 characters) is too short`),
  ])
  expect(short.join(" ")).not.toMatch(/ab1|xy9|pw7|q1w|zz9|k12|c3x/)
})
