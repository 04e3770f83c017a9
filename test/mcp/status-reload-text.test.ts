/**
 * Regression (QA): orchestrator_status's text (what a client such as Cursor shows the model) said
 * a rejected reload, but not a reload held until the file holds still, settings that need a
 * restart (`proxy.separator`…), nor a watched config folder that is gone: only the structured
 * part did, so "why did my edit do nothing?" had no answer in the text. Each is a line now, and an
 * applied reload adds none.
 */
import { expect, test } from "bun:test"
import { statusTool } from "../../src/mcp/index.ts"
import { fakeStatus } from "../http/helpers.ts"

const ctx = {} as Parameters<ReturnType<typeof statusTool>["handler"]>[1]

async function text(reload: NonNullable<ReturnType<typeof fakeStatus>["config"]["reload"]>): Promise<string> {
  const s = fakeStatus()
  const out = await statusTool(async () => ({ ...s, config: { ...s.config, file: "/c/config.yaml", reload } })).handler({}, ctx)
  return out.text
}

test("held, restart-needed and waiting-for reload states are in the text; an applied reload adds nothing", async () => {
  const base = { watching: "/c/config.yaml", applied: 3, last: "applied" as const }
  expect(await text(base)).not.toContain("config reload")
  const t = await text({
    ...base,
    held: "would stop every; applied once the config has not changed for 2 s (a file written in pieces is not applied half-way)",
    restartNeeded: ["proxy.separator", "http.listen"],
    waitingFor: ["/c (watching / until it appears)"],
  })
  expect(t).toContain("config reload held: it would stop every; applied once")
  expect(t).toMatch(/need a restart[^\n]*: proxy\.separator, http\.listen/)
  expect(t).toContain("/c (watching / until it appears)")
})
