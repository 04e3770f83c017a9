import { afterEach, beforeEach, expect, test } from "bun:test"
import { configFlag, setConfigHint } from "../../src/core/index.ts"

// the hint is process-wide: an orchestrator an earlier test file started in this bun process set it
beforeEach(() => setConfigHint(undefined))
afterEach(() => setConfigHint(undefined))

test("configFlag: nothing for the default config; the file, shell-quoted when needed", () => {
  expect(configFlag()).toBe("")
  setConfigHint("/home/u/.config/mcpo/work.yaml")
  expect(configFlag()).toBe(" --config /home/u/.config/mcpo/work.yaml")
  setConfigHint("/home/u/My Configs/it's.yaml")
  expect(configFlag()).toBe(` --config '/home/u/My Configs/it'\\''s.yaml'`)
})
