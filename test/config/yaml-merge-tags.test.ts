/**
 * YAML as people write it (QA round 7a): a merge key (`<<: *base`, the docker-compose way to share
 * a server's settings) merges instead of being read as a key named "<<" (the entry then failed as
 * "expected a stdio server"); an unknown tag (`!env NODE`) is an error naming file:line and the tag,
 * where its value used to be read as the plain text "NODE" without a word.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"

const { dir, file } = configDir("mcpo-yaml-merge-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }

test("a merge key merges: the entry gets the anchored settings, its own keys win", () => {
  const p = file(["servers:", "  a: &base", "    command: node", "    args: [a.js]", '    env: { LOG: "1" }', "  b:", "    <<: *base", "    args: [b.js]", ""].join("\n"))
  const { config } = loadConfig({ configPath: p, env: noEnv })
  expect(config.servers.b).toMatchObject({ command: "node", args: ["b.js"], env: { LOG: "1" } })
  expect(config.servers.a).toMatchObject({ command: "node", args: ["a.js"] })
})

test("an unknown tag is an error naming file:line and the tag", () => {
  const p = file("servers:\n  a:\n    command: !env NODE\n    args: [x]\n")
  expect(problems(() => loadConfig({ configPath: p, env: noEnv }))).toEqual([`${p}:3: unknown YAML tag !env; the value after it would be read as plain text`])
})
