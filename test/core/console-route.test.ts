/**
 * core/console-route: a library's console output while serving becomes one redacted JSON log line
 * on the log hub (never stdout, never a raw line): the MCP SDK's warnings quote downstream-chosen
 * text, and its console.log/debug would write to the MCP channel.
 */
import { afterEach, expect, test } from "bun:test"
import { createLogger, createLogHub, registerSecret, routeConsole } from "../../src/core/index.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the values registered here (by hand or by what runs: configured headers) are not left for later files
secretsRestoredAfterFile()

const saved = { log: console.log, info: console.info, debug: console.debug, trace: console.trace, warn: console.warn, error: console.error }
afterEach(() => Object.assign(console, saved))

function routed(): string[] {
  const lines: string[] = []
  routeConsole(createLogger(createLogHub("debug", (l) => lines.push(l)), "library"))
  return lines
}

test("each console method is one JSON line at its level, on the hub (not stdout)", () => {
  const lines = routed()
  console.log("a", 1)
  console.info("b")
  console.debug("c %s", "d")
  console.warn("[mcp-sdk] w")
  console.error(new Error("e"))
  const records = lines.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { level: string; component: string; msg: string })
  expect(records.map((r) => [r.level, r.msg.split("\n")[0]])).toEqual([
    ["info", "a 1"],
    ["info", "b"],
    ["debug", "c d"],
    ["warn", "[mcp-sdk] w"],
    ["error", "Error: e"],
  ])
  expect(records.every((r) => r.component === "library")).toBe(true)
})

test("a message with a newline stays one line, and a registered secret is masked", () => {
  const secret = "tok-" + crypto.randomUUID()
  registerSecret(secret, "test-console")
  const lines = routed()
  console.warn(`[mcp-sdk] excluding tool 'x\n{"level":"error","msg":"forged"}' ${secret}`)
  const out = lines.join("")
  expect(out.trim().split("\n")).toHaveLength(1)
  expect(out).not.toContain(secret)
  expect(JSON.parse(out).msg).toContain("forged")
})
