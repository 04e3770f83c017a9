/**
 * A secret written as a bare number (YAML reads `token: 12345678901234567890123` as a number) is a
 * config error that must not quote it (QA round 7a): `http.token`, an API-key header, an OAuth
 * client secret say "got a number"; a number at an ordinary key (`env.PORT: 8080`) is still shown.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"

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
      "",
    ].join("\n"),
  )
  const lines = problems(() => loadConfig({ configPath: p, env: noEnv }))
  const text = lines.join("\n")
  for (const digits of ["98765", "9.87", "55555", "5.55", "77777", "7.77"]) expect(text).not.toContain(digits)
  expect(lines).toContain(`http.token (${p}:2): expected a string, got a number`)
  expect(lines).toContain(`servers.r.headers.X-Api-Key (${p}:7): expected a string, got a number`)
  expect(lines).toContain(`servers.r.auth.clientSecret (${p}:10): expected a string, got a number`)
  expect(lines).toContain(`servers.s.env.PORT (${p}:14): expected a string, got number 8080`)
})
