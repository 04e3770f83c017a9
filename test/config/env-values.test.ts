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
