/**
 * Regressions (QA qa14):
 * - a `~/.cursor/mcp.json` (or orchestrator config) that is a directory or unreadable crashed
 *   `cursor connect`/`disconnect` with "EISDIR: illegal operation on a directory, read" (exit 1),
 *   naming no file; it is now a usage error (exit 2) naming the file, with a remedy, nothing written.
 * - `connect --import` kept an entry it could not move saying zod's "Invalid input" or
 *   "Unrecognized key: …"; the reason is now worded as the config loader words it (the key, what it
 *   expects, a did-you-mean).
 * - a second `cursor connect` (the entry already there, nothing to import) wrote
 * nothing, yet printed "wrote …/mcp.json: entry "mo" → …" and "Restart Cursor … to pick up the
 * change": the user restarted the editor for nothing and could not tell a run that changed the file
 * from one that did not. It now says the entry is already there and that nothing changes, with and
 * without --dry-run; the file and its directory stay untouched (no backup).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { planConnect } from "../../src/app/cursor-plan.ts"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

function run(args: string[], env: Record<string, string>): { code: number; out: string } {
  const r = Bun.spawnSync([BIN, ...args], { env, cwd: env.HOME })
  return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() }
}

describe("cursor connect when everything is already in place", () => {
  test("the second run says nothing changes, writes nothing and asks for no restart", () => {
    const env = sandboxEnv()
    const dir = join(env.HOME!, ".cursor")
    const mcpPath = join(dir, "mcp.json")
    mkdirSync(dir)
    writeFileSync(mcpPath, `{\n  // mine\n  "mcpServers": {\n    "ws": { "command": "node", "args": ["\${workspaceFolder}/x.js"] },\n  },\n}\n`)
    const first = run(["cursor", "connect", "--import"], env)
    expect(first.code).toBe(0)
    expect(first.out).toContain(`wrote ${mcpPath}: entry "mo" → ${BIN} serve`)
    expect(first.out).toContain("Restart Cursor")
    const after = readFileSync(mcpPath, "utf8")
    const files = readdirSync(dir).sort()
    const mtime = statSync(mcpPath).mtimeMs

    for (const args of [["cursor", "connect", "--import"], ["cursor", "connect", "--import", "--dry-run"], ["cursor", "connect"]]) {
      const again = run(args, env)
      expect(again.code).toBe(0)
      expect(again.out).toContain(`${mcpPath} already has entry "mo" → ${BIN} serve; nothing to change`)
      expect(again.out).not.toContain("wrote ")
      expect(again.out).not.toContain("would write")
      expect(again.out).not.toContain("Restart Cursor")
    }
    expect(readFileSync(mcpPath, "utf8")).toBe(after)
    expect(statSync(mcpPath).mtimeMs).toBe(mtime)
    expect(readdirSync(dir).sort()).toEqual(files)
  })
})

describe("an mcp.json or config that cannot be read", () => {
  test("a directory where the file should be: exit 2 naming it, for connect and disconnect", () => {
    const env = sandboxEnv()
    const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
    mkdirSync(mcpPath, { recursive: true })
    for (const args of [["cursor", "connect"], ["cursor", "disconnect"]]) {
      const r = run(args, env)
      expect(r.code).toBe(2)
      expect(r.out).toContain(`${mcpPath}: cannot read the file (EISDIR)`)
      expect(r.out).toContain("That is a directory")
      expect(r.out).not.toContain("illegal operation")
    }
    const env2 = sandboxEnv()
    const cfg = join(env2.XDG_CONFIG_HOME!, "mcp-orchestrator", "config.yaml")
    mkdirSync(cfg, { recursive: true })
    mkdirSync(join(env2.HOME!, ".cursor"))
    writeFileSync(join(env2.HOME!, ".cursor", "mcp.json"), '{ "mcpServers": { "a": { "command": "npx" } } }\n')
    const r = run(["cursor", "connect", "--import"], env2)
    expect(r.code).toBe(2)
    expect(r.out).toContain(`${cfg}: cannot read the file (EISDIR)`)
    expect(r.out).toContain("--config")
    expect(readFileSync(join(env2.HOME!, ".cursor", "mcp.json"), "utf8")).toBe('{ "mcpServers": { "a": { "command": "npx" } } }\n')
  })
})

describe("why an entry stays in mcp.json", () => {
  test("named with its key and what is expected, not zod's wording", () => {
    const mcp = {
      mcpServers: {
        // Cline's approval list: not used by the orchestrator (a warning when it loads), so it moves (qa218)
        cline: { command: "npx", args: ["-y", "x"], autoApprove: ["t"] },
        // a tool list that cannot be read as a filter: stays, named
        hides: { command: "npx", args: ["-y", "x"], disabledTools: "rm" },
        typed: { type: "websocket", url: "https://x.example/mcp" },
        // Cline's spelling of streamable-http (qa19): read as ours, so it moves
        cline2: { type: "streamableHttp", url: "https://x.example/mcp" },
        // Windsurf's name for url: read as url, so it moves (qa218)
        windsurf: { serverUrl: "https://x.example/mcp" },
        endpoint: { endpoint: "https://x.example/mcp" },
        fine: { type: "sse", url: "https://x.example/sse" },
      },
    }
    const p = planConnect(mcp, {}, { name: "mo", entry: { command: "/opt/mo", args: ["serve"] }, importServers: true })
    expect(Object.keys(p.imported)).toEqual(["cline", "cline2", "windsurf", "fine"])
    expect(p.imported.cline).toEqual({ command: "npx", args: ["-y", "x"], autoApprove: ["t"] })
    const why = Object.fromEntries(p.skipped.map((s) => [s.name, s.reason]))
    expect(why.hides).toStartWith("not a server entry mcp-orchestrator understands: disabledTools: unknown key (a list of tools to hide); write `tools: { deny: [...] }`")
    expect(why.typed).toBe('not a server entry mcp-orchestrator understands: type: expected one of "stdio", "http", "streamable-http", "sse", got "websocket"')
    expect(why.endpoint).toBe('not a server entry mcp-orchestrator understands: endpoint: unknown key; did you mean "url"? (a server needs `command` (stdio) or `url` (remote))')
  })
})
