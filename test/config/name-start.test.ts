/**
 * QA 104: a server named with a digit first (`1password`) lists its tools as `1password__x`, which
 * Gemini's function calling refuses (names must start with a letter or `_`): a client handing MCP
 * tools to a Gemini model as they are (Vercel AI SDK, LangChain) failed the whole request without a
 * word from us. Such an entry still loads and serves; the config load (serve, doctor) warns, naming
 * the entry, its line and a name to use. Not for disabled entries, nor with proxy.passthrough
 * (unprefixed tool names).
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { configDir } from "./helpers.ts"

const configs = configDir("mcpo-name-start-")
const env = { HOME: "/home/tester", XDG_CONFIG_HOME: join(configs.dir, "none") }
const load = (path: string) => loadConfig({ configPath: path, env })
const about = (path: string) => (load(path).warnings ?? []).filter((w) => w.includes("Gemini"))

describe("server names that start with a digit", () => {
  test("load and serve, with a warning naming the entry, its line, the tool names and a remedy (servers and mcpServers)", () => {
    const path = configs.file("servers:\n  1password:\n    command: node\n  ok1:\n    command: node\n  9off:\n    command: node\n    disabled: true\nmcpServers:\n  2web:\n    url: https://example.com/mcp\n")
    expect(Object.keys(load(path).config.servers).sort()).toEqual(["1password", "2web", "9off", "ok1"])
    const w = about(path)
    expect(w).toHaveLength(2)
    expect(w[0]).toBe(
      `servers.1password (${path}:2): its tools are listed as 1password__<tool>, names that start with a digit, which Gemini's function calling refuses (a client handing the tools to a Gemini model as they are, such as the Vercel AI SDK or LangChain, fails the whole request); rename the server to start with a letter (e.g. x1password)`,
    )
    expect(w[1]).toStartWith(`mcpServers.2web (${path}:10): its tools are listed as 2web__<tool>`)
  })
  test("no warning with proxy.passthrough (tool names unprefixed), and the separator is the configured one", () => {
    expect(about(configs.file("proxy:\n  passthrough: true\nservers:\n  1password:\n    command: node\n"))).toEqual([])
    expect(about(configs.file("proxy:\n  separator: \"-\"\nservers:\n  1password:\n    command: node\n"))[0]).toContain("listed as 1password-<tool>")
  })
})
