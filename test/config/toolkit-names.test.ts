/**
 * Regression (QA defect 1): `toolkit.profile: "--help"` passed config validation and doctor, then
 * `serve` died in the Docker driver with "Invalid profile name" naming no key. A value that ends up
 * as a Toolkit name is checked at load with the driver's own rule (core/names.ts), from every source.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig, objectShape, ToolkitSchema } from "../../src/config/index.ts"
import { flagLayer } from "../../src/cli/flags.ts"
import { isValidName, PROFILE_ID_RE as DOCKER_PROFILE_RE } from "../../src/docker/index.ts"
import { PROFILE_ID_RE } from "../../src/core/index.ts"
import { configDir, problems } from "./helpers.ts"

const { dir, file } = configDir("mcpo-tknames-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }
const BAD = ["--help", "a b;c", "-x", "", "a".repeat(65), "x/y", "p\u0000", "$(id)"]
const GOOD = ["default", "dev-tools", "My.Profile_2", "a".repeat(64)]

describe("toolkit.profile is a Toolkit profile name, checked at load", () => {
  test("from the file: key, file:line and the rule", () => {
    const p = file('toolkit:\n  enabled: "off"\n  profile: "--help"\n')
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))).toEqual([
      `toolkit.profile (${p}:3): profile names are 1-64 of A-Z a-z 0-9 . _ - and start with a letter or digit, got "--help"`,
    ])
  })
  test("from a flag and from the environment", () => {
    expect(problems(() => loadConfig({ env: noEnv, flags: flagLayer({ profile: "a b;c" }) }))[0]).toStartWith("toolkit.profile (flag --profile): profile names are")
    expect(problems(() => loadConfig({ env: { ...noEnv, MCPO_TOOLKIT_PROFILE: "-x" } }))[0]).toStartWith("toolkit.profile (env MCPO_TOOLKIT_PROFILE): profile names are")
  })
  test("config accepts exactly the names the Docker driver accepts (one rule)", () => {
    expect(DOCKER_PROFILE_RE).toBe(PROFILE_ID_RE)
    for (const name of [...BAD, ...GOOD]) {
      let ok = true
      try {
        loadConfig({ env: noEnv, flags: flagLayer({ profile: name }) })
      } catch {
        ok = false
      }
      expect({ name, ok }).toEqual({ name, ok: isValidName("profile", name) })
    }
  })
  test("no other toolkit key takes a Toolkit name unchecked", () => {
    // if a key is added here (a server name, a catalog…) it needs the driver's rule like profile
    expect(Object.keys(objectShape(ToolkitSchema)!).sort()).toEqual(["docker", "enabled", "gateway", "profile", "timeout", "tools", "waitForDocker"])
  })
})
