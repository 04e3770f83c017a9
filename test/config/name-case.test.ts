/**
 * Regression: server names that differ only in case (`GitHub` and `github`) both loaded, and their
 * tools were `GitHub__x` and `github__x`: one name to a client that folds tool names, and one file
 * to a case-insensitive file system. Now an error of the later entry naming both keys (with
 * file:line), in `servers`, in `mcpServers` and across the two: it is left out and the first one
 * serves (config/invalid-servers), as is the second entry of a name in both maps.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { configDir } from "./helpers.ts"

const configs = configDir("mcpo-case-")
const env = { HOME: "/home/tester", XDG_CONFIG_HOME: join(configs.dir, "none") }

describe("server names that differ only in case", () => {
  const load = (path: string) => loadConfig({ configPath: path, env })
  const problems = (path: string) => (load(path).invalidServers ?? []).flatMap((s) => s.problems.map((p) => `${p.at} (${p.source}): ${p.problem}`))
  test("in servers: the later entry is left out, naming both keys and their lines; the first serves", () => {
    const path = configs.file("servers:\n  GitHub:\n    command: node\n  other:\n    command: node\n  github:\n    url: https://example.com/mcp\n")
    expect(Object.keys(load(path).config.servers)).toEqual(["GitHub", "other"])
    expect(problems(path)).toEqual([
      `servers.github (${path}:6): differs from servers.GitHub (${path}:2) only in case; server names must differ in more than case (clients that fold tool names, and case-insensitive file systems, take them for one server): rename one of them, or keep one`,
    ])
  })
  test("across servers and mcpServers (Cursor's key), three spellings: one problem per extra one", () => {
    const path = configs.file(JSON.stringify({ servers: { Linear: { command: "node" } }, mcpServers: { linear: { command: "node" }, LINEAR: { command: "node" } } }, null, 2), "json")
    const p = problems(path)
    expect(Object.keys(load(path).config.servers)).toEqual(["Linear"])
    expect(p).toHaveLength(2)
    expect(p[0]).toStartWith(`mcpServers.linear (${path}:8): differs from servers.Linear (${path}:3) only in case`)
    expect(p[1]).toStartWith(`mcpServers.LINEAR (${path}:11): differs from servers.Linear (${path}:3) only in case`)
  })
  test("the same name in both maps: mcpServers' entry is left out (servers' serves); names that differ otherwise load", () => {
    const both = configs.file(JSON.stringify({ servers: { a: { command: "node" } }, mcpServers: { a: { command: "python3" }, b: { command: "node" } } }, null, 2), "json")
    const l = load(both)
    expect(l.config.servers).toEqual({ a: { command: "node", args: [] }, b: { command: "node", args: [] } })
    expect(problems(both)).toEqual([`mcpServers.a (${both}:8): defined in servers too (${both}:3); keep one`])
    expect(l.invalidServers![0]!.remedy).toContain("servers.a is the one served")
    const fine = configs.file("servers:\n  github:\n    command: node\n  github-2:\n    command: node\n  git_hub:\n    command: node\n")
    expect(Object.keys(loadConfig({ configPath: fine, env }).config.servers)).toEqual(["github", "github-2", "git_hub"])
  })
})
