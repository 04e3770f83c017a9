/**
 * Environment values written as numbers or booleans (QA 9c: an editor's mcp.json with
 * `"env": {"PORT": 8080}` refused the whole config; Node-based clients pass such values on as text):
 * a whole number or true/false is taken as its text, in YAML and in JSON, for `servers` and
 * `mcpServers`.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig, type StdioServerSpec } from "../../src/config/index.ts"
import { configDir } from "./helpers.ts"

const { dir, file } = configDir("mcpo-env-values-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }

test("mcpServers JSON: numbers and booleans in env are their text", () => {
  const p = file(JSON.stringify({ mcpServers: { a: { command: "node", env: { PORT: 8080, DEBUG: true, OFF: false, NEG: -1, NAME: "x" } } } }, null, 2), "json")
  const spec = loadConfig({ configPath: p, env: noEnv }).config.servers.a as StdioServerSpec
  expect(spec.env).toEqual({ PORT: "8080", DEBUG: "true", OFF: "false", NEG: "-1", NAME: "x" })
})

test("YAML servers: PORT: 8080, VERBOSE: true, ZERO: 0", () => {
  const p = file("servers:\n  a:\n    command: node\n    env:\n      PORT: 8080\n      VERBOSE: true\n      ZERO: 0\n")
  const spec = loadConfig({ configPath: p, env: noEnv }).config.servers.a as StdioServerSpec
  expect(spec.env).toEqual({ PORT: "8080", VERBOSE: "true", ZERO: "0" })
})

test("YAML env numbers keep the text written where YAML would read another (01234, 0x1F, 0o17, 1e3, -0); other settings stay numbers (qa56)", () => {
  const p = file(
    [
      "pool:",
      "  maxInFlight: 0x10",
      "servers:",
      "  a:",
      "    command: node",
      "    env: &e",
      "      ZIP: 01234",
      "      MASK: 0x1F",
      "      MODE: 0o17",
      "      N: 1e3",
      "      Z: -0",
      "      PORT: 8080",
      "      NEG: -5",
      "  b:",
      "    command: node",
      "    env: *e",
      "mcpServers:",
      "  c: { command: node, env: { PIN: 007 } }",
      "",
    ].join("\n"),
  )
  const { config } = loadConfig({ configPath: p, env: noEnv })
  const want = { ZIP: "01234", MASK: "0x1F", MODE: "0o17", N: "1e3", Z: "-0", PORT: "8080", NEG: "-5" }
  expect((config.servers.a as StdioServerSpec).env).toEqual(want)
  // an alias of that map is the same map
  expect((config.servers.b as StdioServerSpec).env).toEqual(want)
  expect((config.servers.c as StdioServerSpec).env).toEqual({ PIN: "007" })
  expect(config.pool.maxInFlight).toBe(16)
})
