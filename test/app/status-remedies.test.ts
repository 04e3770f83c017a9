/**
 * Regression (QA): orchestrator_status plugin rows showed a file that does not load, or hooks
 * turned off after faults, without a word on what to do. (The failed file is seen through the
 * binary in test/binary/plugins.test.ts; the rows' remedies are checked here for each state.)
 */
import { expect, test } from "bun:test"
import { withPluginRemedy } from "../../src/app/status-remedies.ts"
import type { PluginInfo } from "../../src/plugin/index.ts"

const row = (o: Partial<PluginInfo>): PluginInfo => ({ name: "p", file: "/plugins/p.ts", hooks: ["route"], prompts: [], parsers: [], state: "active", calls: 0, faults: 0, ...o })

test("a failed file: check it with plugins check, then save", () => {
  expect(withPluginRemedy(row({ state: "failed", lastError: "/plugins/p.ts:3: SyntaxError" })).remedy).toContain("mcp-orchestrator plugins check /plugins/p.ts")
})

test("hooks turned off (active or disabled): fix the hooks named and save; they turn on when the file changes", () => {
  for (const state of ["active", "disabled"] as const) {
    const r = withPluginRemedy(row({ state, hooksOff: { route: "3 faults in a row: TypeError at /plugins/p.ts:7" } }))
    expect(r.remedy).toContain("plugins test /plugins/p.ts")
    expect(r.remedy).toContain("turn on again when it changes")
  }
})

test("a plugin without a problem has no remedy", () => {
  expect(withPluginRemedy(row({})).remedy).toBeUndefined()
  expect(withPluginRemedy(row({ hooksOff: {} })).remedy).toBeUndefined()
})
