/**
 * Regression: server names that differ only in case (`GitHub` and `github`) both loaded, and their
 * tools were `GitHub__x` and `github__x`: one name to a client that folds tool names, and one file
 * to a case-insensitive file system. Now a config error naming both keys (with file:line), in
 * `servers`, in `mcpServers` and across the two; the same name in both maps keeps its own error.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"

const configs = configDir("mcpo-case-")
const env = { HOME: "/home/tester", XDG_CONFIG_HOME: join(configs.dir, "none") }

describe("server names that differ only in case", () => {
  test("in servers: a config error naming both keys and their lines", () => {
    const path = configs.file("servers:\n  GitHub:\n    command: node\n  other:\n    command: node\n  github:\n    url: https://example.com/mcp\n")
    expect(problems(() => loadConfig({ configPath: path, env }))).toEqual([
      `servers.github (${path}:6): differs from servers.GitHub (${path}:2) only in case; server names must differ in more than case (clients that fold tool names, and case-insensitive file systems, take them for one server): rename one of them, or keep one`,
    ])
  })
  test("across servers and mcpServers (Cursor's key), three spellings: one problem per extra one", () => {
    const path = configs.file(JSON.stringify({ servers: { Linear: { command: "node" } }, mcpServers: { linear: { command: "node" }, LINEAR: { command: "node" } } }, null, 2), "json")
    const p = problems(() => loadConfig({ configPath: path, env }))
    expect(p).toHaveLength(2)
    expect(p[0]).toStartWith(`mcpServers.linear (${path}:8): differs from servers.Linear (${path}:3) only in case`)
    expect(p[1]).toStartWith(`mcpServers.LINEAR (${path}:11): differs from servers.Linear (${path}:3) only in case`)
  })
  test("the same name in both maps keeps its own error; names that differ otherwise load", () => {
    const both = configs.file(JSON.stringify({ servers: { a: { command: "node" } }, mcpServers: { a: { command: "node" } } }), "json")
    expect(problems(() => loadConfig({ configPath: both, env }))[0]).toContain("defined in both servers and mcpServers")
    const fine = configs.file("servers:\n  github:\n    command: node\n  github-2:\n    command: node\n  git_hub:\n    command: node\n")
    expect(Object.keys(loadConfig({ configPath: fine, env }).config.servers)).toEqual(["github", "github-2", "git_hub"])
  })
})
