/**
 * Regression (QA qa268): `cursor connect --import` of an entry whose `command` is a whole command
 * line, as pasted from a README (`"command": "npx -y @modelcontextprotocol/server-memory"`):
 * - with a `/` in an argument it was kept in mcp.json saying the command "is a relative path" and
 *   asking for an absolute path (no path would help: the fix is the split into command + args);
 * - without one (`"node server.js"`) it was moved as written, and then failed to start behind the
 *   orchestrator (no shell runs it), while it had been in Cursor's list.
 * Both now stay in mcp.json with the split to write.
 */
import { describe, expect, test } from "bun:test"
import { planConnect } from "../../src/app/cursor-plan.ts"

const entry = { command: "/opt/mo", args: ["serve"] }

describe("cursor connect --import: a command written as a whole command line", () => {
  test("stays in mcp.json, told the split to write (with or without a / in its arguments)", () => {
    const mcp = {
      mcpServers: {
        scoped: { command: "node --no-warnings @scope/pkg/bin.js", args: ["--port", "1"] },
        plain: { command: "node server.js" },
        piped: { command: "node server.js | tee log" },
        fine: { command: "node", args: ["-y", "@scope/pkg"] },
      },
    }
    const p = planConnect(mcp, {}, { name: "mo", entry, importServers: true })
    expect(Object.keys(p.imported)).toEqual(["fine"])
    const why = Object.fromEntries(p.skipped.map((s) => [s.name, s.reason]))
    expect(why.scoped).toBe(
      'command "node --no-warnings @scope/pkg/bin.js" looks like a command line (the whole string is taken as the name of one executable, never run through a shell): write command: node, args: ["--no-warnings", "@scope/pkg/bin.js", "--port", "1"] in mcp.json first',
    )
    expect(why.plain).toContain('write command: node, args: ["server.js"] in mcp.json first')
    expect(why.piped).toContain("looks like a shell command line")
    expect(why.scoped).not.toContain("relative path")
    // nothing of them left mcp.json
    expect(Object.keys(p.mcpJson.mcpServers as object).sort()).toEqual(["mo", "piped", "plain", "scoped"])
  })
})
