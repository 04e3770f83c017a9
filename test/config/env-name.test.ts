/**
 * An env key that is no environment variable name (a `NAME=value` line pasted as the key, an empty
 * key) was accepted: the value inside the key went unvalidated, was never registered as a secret
 * (so never masked), and reached the child as a malformed environment. It is now a config problem
 * naming the key path and what is expected, without quoting the key (it holds the value).
 */
import { describe, expect, test } from "bun:test"
import { loadConfig, serverEntryProblems } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"

const { file } = configDir("mcpo-env-name-")
const SECRET = "horse-battery-staple-41"

describe("env keys must be environment variable names", () => {
  test("a NAME=value line as the key: a config error naming the path, the value not quoted", () => {
    const p = file(["servers:", "  gh:", "    command: node", "    env:", `      "GITHUB_TOKEN=${SECRET}": ""`, ""].join("\n"))
    const found = problems(() => loadConfig({ configPath: p, env: {} }))
    expect(found.length).toBe(1)
    expect(found[0]).toContain("servers.gh.env")
    expect(found[0]).toContain("expected an environment variable name")
    expect(found.join("\n")).not.toContain(SECRET)
    expect(found.join("\n")).not.toContain("horse")
  })

  test("an entry read for import says the same; a plain name is fine", () => {
    const bad = serverEntryProblems({ command: "node", env: { [`GITHUB_TOKEN=${SECRET}`]: "" } })
    expect(bad.length).toBe(1)
    expect(bad[0]).toContain("expected an environment variable name")
    expect(bad[0]).not.toContain(SECRET)
    expect(serverEntryProblems({ command: "node", env: { GITHUB_TOKEN: SECRET, "weird.name-1": "x" } })).toEqual([])
  })
})
