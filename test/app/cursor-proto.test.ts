/**
 * Regression (QA round 5, item 5, the Cursor import path): `cursor connect --import` read mcp.json
 * with jsonc-parser's parse(), which assigns keys: a `__proto__` server became the map's prototype
 * and was neither imported nor reported. And `name in ours` made every server named like an
 * Object.prototype member (`constructor`, `toString`) "a different server with this name already in
 * the config", so it was never imported. Now `__proto__` is kept in mcp.json with the naming rule
 * as the reason, and those names import like any other.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parse } from "yaml"
import { planConnect } from "../../src/app/cursor-plan.ts"
import { parseJsonc } from "../../src/app/jsonc-edit.ts"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"

const entry = { command: "/opt/mo", args: ["serve"] }
const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const NAME_REASON = "name is not usable as a tool prefix (server names are 1-64 of A-Z a-z 0-9 _ - and start with a letter or digit); rename it in mcp.json first (e.g. to \"proto\")"

const MCP_JSON = `{
  // my servers
  "mcpServers": {
    "__proto__": { "command": "node", "args": ["p.js"] },
    "constructor": { "command": "node", "args": ["c.js"] },
    "toString": { "command": "node", "args": ["t.js"] },
  }
}
`

describe("plan", () => {
  test("parseJsonc keeps a __proto__ key as a key (with comments, as in Cursor's mcp.json)", () => {
    const v = parseJsonc(MCP_JSON) as { mcpServers: Record<string, unknown> }
    expect(Object.keys(v.mcpServers)).toEqual(["__proto__", "constructor", "toString"])
    expect(Object.getPrototypeOf(v.mcpServers)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(v.mcpServers, "__proto__")?.value).toEqual({ command: "node", args: ["p.js"] })
  })

  test("__proto__ stays in mcp.json with the reason; constructor and toString are imported", () => {
    const p = planConnect(parseJsonc(MCP_JSON) as Record<string, unknown>, {}, { name: "mo", entry, importServers: true })
    expect(p.skipped).toEqual([{ name: "__proto__", reason: NAME_REASON }])
    expect(Object.keys(p.imported).sort()).toEqual(["constructor", "toString"])
    expect(Object.keys(p.mcpJson.mcpServers as object).sort()).toEqual(["__proto__", "mo"])
  })

  test("an entry already in our config under such a name is recognised as the same one; the other is imported", () => {
    const spec = { command: "node", args: ["t.js"] }
    const ours = JSON.parse('{"toString": {"args": ["t.js"], "command": "node"}}') as Record<string, unknown>
    const p = planConnect({ mcpServers: { constructor: { command: "node" }, toString: spec } }, ours, { name: "mo", entry, importServers: true })
    expect(p.already).toEqual(["toString"])
    expect(Object.keys(p.imported)).toEqual(["constructor"])
    expect(p.skipped).toEqual([])
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("connect --import says why __proto__ stays, moves constructor, and the orchestrator serves it", async () => {
    const env = sandboxEnv()
    mkdirSync(join(env.HOME!, ".cursor"))
    const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
    const spec = JSON.stringify({ command: process.execPath, args: [FAULT] })
    writeFileSync(mcpPath, `{\n  "mcpServers": {\n    "__proto__": ${spec},\n    "constructor": ${spec}\n  }\n}\n`)
    const run = Bun.spawnSync([BIN, "cursor", "connect", "--import"], { env, cwd: env.HOME })
    expect(run.exitCode).toBe(0)
    const out = run.stdout.toString()
    expect(out).toMatch(/moved into .*: constructor\n/)
    expect(out).toContain(`kept in mcp.json: __proto__ (${NAME_REASON})`)
    const cursor = parseJsonc(readFileSync(mcpPath, "utf8")) as { mcpServers: Record<string, { args: string[]; env: Record<string, string> }> }
    expect(Object.keys(cursor.mcpServers)).toEqual(["__proto__", "mo"])
    const cfgPath = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator", "config.yaml")
    expect(Object.keys(parse(readFileSync(cfgPath, "utf8")).servers)).toEqual(["constructor"])

    const mo = cursor.mcpServers.mo!
    const c = await connectBinary(mo.args, { ...env, ...mo.env, MCPO_TOOLKIT_ENABLED: "off" })
    try {
      expect(await listUntil(c.client, "constructor__echo")).toContain("constructor__echo")
    } finally {
      await c.close()
    }
  }, 30_000)
})
