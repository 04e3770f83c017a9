/**
 * `cursor connect|disconnect`: the plan (import, Docker gateway replacement, skips), JSONC input,
 * and the real command through the built binary: files written with backups, and the imported
 * server actually served by the orchestrator afterwards.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parse } from "yaml"
import { parseJsonc, planConnect } from "../../src/app/cursor-plan.ts"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const entry = { command: "/opt/mo", args: ["serve"] }

describe("plan", () => {
  const mcp = {
    other: "kept",
    mcpServers: {
      memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"], env: { MEMORY_FILE_PATH: "/tmp/m.json" } },
      MCP_DOCKER: { command: "docker", args: ["mcp", "gateway", "run", "--profile", "dev-tools"] },
      "bad name": { command: "x" },
      weird: { command: 42 },
      taken: { command: "y" },
    },
  }
  test("import moves valid servers, replaces the Docker gateway, skips with reasons", () => {
    const p = planConnect(mcp, { taken: { command: "z" } }, { name: "mo", entry, importServers: true })
    expect(Object.keys(p.imported)).toEqual(["memory"])
    expect(p.imported.memory).toMatchObject({ command: "npx", env: { MEMORY_FILE_PATH: "/tmp/m.json" } })
    expect(p.replacedDocker).toBe(true)
    expect(p.dockerProfile).toBe("dev-tools")
    expect(p.skipped.map((s) => s.name).sort()).toEqual(["bad name", "taken", "weird"])
    expect(Object.keys(p.mcpJson.mcpServers as object).sort()).toEqual(["bad name", "mo", "taken", "weird"])
    expect(p.mcpJson.other).toBe("kept")
  })
  test("without import only our entry is added (or replaced)", () => {
    const p = planConnect(mcp, {}, { name: "mo", entry, importServers: false })
    expect(Object.keys(p.imported)).toEqual([])
    expect(Object.keys(p.mcpJson.mcpServers as object)).toContain("MCP_DOCKER")
    expect((p.mcpJson.mcpServers as Record<string, unknown>).mo).toEqual(entry)
  })
  test("JSONC: comments and trailing commas, strings untouched", () => {
    const v = parseJsonc('{\n // note\n "a": "x // not a comment, }", /* b */ "b": [1, 2,],\n}')
    expect(v).toEqual({ a: "x // not a comment, }", b: [1, 2] })
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("connect --import, then the orchestrator serves the imported server; disconnect removes the entry", async () => {
    const env = sandboxEnv()
    const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
    require("node:fs").mkdirSync(join(env.HOME!, ".cursor"))
    const memory = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
    writeFileSync(mcpPath, `{\n  // my servers\n  "mcpServers": {\n    "mem": { "command": "${process.execPath}", "args": ["${memory}"] },\n    "MCP_DOCKER": { "command": "docker", "args": ["mcp", "gateway", "run"] },\n  }\n}\n`)
    const dry = Bun.spawnSync([BIN, "cursor", "connect", "--import", "--dry-run"], { env, cwd: env.HOME })
    expect(dry.exitCode).toBe(0)
    expect(dry.stdout.toString()).toContain("would move")
    expect(readdirSync(join(env.HOME!, ".cursor"))).toEqual(["mcp.json"]) // dry run wrote nothing

    const run = Bun.spawnSync([BIN, "cursor", "connect", "--import"], { env, cwd: env.HOME })
    expect(run.exitCode).toBe(0)
    const out = JSON.parse(readFileSync(mcpPath, "utf8"))
    expect(Object.keys(out.mcpServers)).toEqual(["mo"])
    expect(out.mcpServers.mo).toEqual({ command: BIN, args: ["serve"], env: { MCPO_PROXY_NAME_BUDGET: "58" } })
    expect(readdirSync(join(env.HOME!, ".cursor")).some((f) => f.startsWith("mcp.json.bak-"))).toBe(true)
    const cfgPath = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator", "config.yaml")
    expect(existsSync(cfgPath)).toBe(true)
    expect(parse(readFileSync(cfgPath, "utf8")).servers.mem.command).toBe(process.execPath)

    // what Cursor would now start: the orchestrator with the imported server behind it
    const c = await connectBinary(out.mcpServers.mo.args, { ...env, ...out.mcpServers.mo.env })
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names).toContain("mem__read_graph")
    } finally {
      await c.close()
    }

    const off = Bun.spawnSync([BIN, "cursor", "disconnect"], { env, cwd: env.HOME })
    expect(off.exitCode).toBe(0)
    expect(JSON.parse(readFileSync(mcpPath, "utf8")).mcpServers).toEqual({})
  }, 30_000)
})
