/**
 * A secret written as a bare number (YAML reads `token: 12345678901234567890123` as a number) is a
 * config error that must not quote it (QA round 7a): `http.token`, an API-key header, an OAuth
 * client secret say "got a number". In `env`, a whole number is taken as its text (`PORT: 8080`);
 * in YAML the text written, digit for digit (a 23-digit key: qa56); in JSON, where only the number
 * is known, one that cannot be kept digit for digit is refused without quoting it.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const { dir, file } = configDir("mcpo-secret-numbers-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }

test("a numeric secret is named by its key and type, never by its digits", () => {
  const p = file(
    [
      "http:",
      "  token: 98765432109876543210987",
      "servers:",
      "  r:",
      "    url: https://example.com/mcp",
      "    headers:",
      "      X-Api-Key: 55555555555555555",
      "    auth:",
      "      clientId: abc",
      "      clientSecret: 77777777777777777",
      "  s:",
      "    command: node",
      "    env:",
      "      PORT: 8080",
      "      API_KEY: 12345678901234567890123",
      "",
    ].join("\n"),
  )
  const lines = problems(() => loadConfig({ configPath: p, env: noEnv }))
  const text = lines.join("\n")
  for (const digits of ["98765", "9.87", "55555", "5.55", "77777", "7.77", "12345", "1.23"]) expect(text).not.toContain(digits)
  expect(lines).toContain(`http.token (${p}:2): expected a string, got a number`)
  expect(lines).toContain(`servers.r.headers.X-Api-Key (${p}:7): expected a string, got a number`)
  expect(lines).toContain(`servers.r.auth.clientSecret (${p}:10): expected a string, got a number`)
  // YAML: the env value is the text written, every digit kept
  expect(text).not.toContain("env.API_KEY")
  expect(text).not.toContain("env.PORT")
  const y = file("servers:\n  s:\n    command: node\n    env:\n      API_KEY: 12345678901234567890123\n")
  expect(loadConfig({ configPath: y, env: noEnv }).config.servers.s).toMatchObject({ env: { API_KEY: "12345678901234567890123" } })
})

test("JSON: an env number that cannot be kept digit for digit is refused without quoting it", () => {
  const p = file('{"servers": {"s": {"command": "node", "env": {"PORT": 8080, "API_KEY": 12345678901234567890123}}}}', "json")
  const lines = problems(() => loadConfig({ configPath: p, env: noEnv }))
  expect(lines).toEqual([`servers.s.env.API_KEY (${p}:1): expected a string: put this number in quotes (only whole numbers up to 2^53 are taken as their text; its digits would not be kept)`])
})
