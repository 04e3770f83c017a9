/**
 * Regression: `doctor` printed a warning and a remedy per server, so 200 entries whose `npx` is not
 * on PATH were 400 lines of the same text with another name in it, and the one server failing for
 * another reason was lost among them. Servers failing for the same reason are one row now (the
 * problem and remedy with `NAME`, the first names and "and N more"); a different problem keeps its
 * own row, as worded for its server; `--json` keeps every name (the row's `servers`, and one
 * `servers` entry per server when they are started). Through the compiled binary: missing commands
 * (--no-start), servers that refuse to start for the same missing token (started), the npm memory
 * server as the one that works.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const BUN = process.execPath
const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const REFUSING = join(ROOT, "test", "faults", "servers", "refusing-start-server.ts")

interface Check {
  name: string
  status: string
  detail: string
  remedy?: string
  server?: string
  servers?: string[]
}

async function doctor(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const p = Bun.spawn([BIN, "doctor", ...args], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [out, , code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out }
}

function config(env: Record<string, string>, servers: Record<string, unknown>): string {
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, pool: { connectTimeout: "30s" }, servers }))
  return cfg
}

/** A PATH holding only bun (no npx), so `npx` is missing for every server. */
function shortPath(env: Record<string, string>): string {
  const bin = join(env.HOME!, "bin")
  mkdirSync(bin, { recursive: true })
  symlinkSync(BUN, join(bin, "bun"))
  return bin
}

describe("doctor groups servers that fail for the same reason", () => {
  test("200 servers without npx are one row; another problem keeps its own; --json keeps every name", async () => {
    const env = sandboxEnv()
    env.PATH = shortPath(env)
    const servers: Record<string, unknown> = {}
    for (let i = 0; i < 200; i++) servers[`srv${i}`] = { command: "npx", args: ["-y", "some-mcp-server"] }
    servers.lonely = { command: "bun", cwd: join(env.HOME!, "no-such-dir") }
    const cfg = config(env, servers)

    const text = await doctor(["--config", cfg, "--no-start"], env)
    expect(text.code).toBe(0)
    const report = text.out.split("\nEffective configuration")[0]!
    const npxRows = report.split("\n").filter((l) => l.includes('no program named "npx"'))
    expect(npxRows).toHaveLength(1)
    expect(npxRows[0]).toContain("200 servers")
    expect(npxRows[0]).toContain("servers.NAME.command")
    expect(npxRows[0]).toContain("srv0, srv1, srv2, srv3, srv4 and 195 more")
    expect(report).toContain("remedy: Install it, write its absolute path in servers.NAME.command")
    expect(report).not.toContain("srv199")
    // the other problem, as worded for its server
    expect(report).toContain(`server lonely cannot start: its working directory ${join(env.HOME!, "no-such-dir")} (servers.lonely.cwd) does not exist`)
    expect(report.split("\n").length).toBeLessThan(30)

    const json = await doctor(["--config", cfg, "--no-start", "--json"], env)
    const checks = (JSON.parse(json.out) as { checks: Check[] }).checks.filter((c) => c.name === "servers")
    const grouped = checks.find((c) => c.servers)!
    expect(grouped.servers).toEqual(Array.from({ length: 200 }, (_, i) => `srv${i}`))
    expect(checks.find((c) => c.server === "lonely")?.detail).toContain("servers.lonely.cwd")
    expect(checks).toHaveLength(2)
  }, 60_000)

  test("servers that exit at start for the same missing token are one row; the working one is listed; each start stays in --json", async () => {
    const env = sandboxEnv()
    const servers: Record<string, unknown> = { memory: { command: BUN, args: [MEMORY] } }
    for (const n of ["brave-a", "brave-b", "brave-c"]) servers[n] = { command: BUN, args: [REFUSING, "env"] }
    servers.stripe = { command: BUN, args: [REFUSING, "uncaught"] }
    const cfg = config(env, servers)

    const json = await doctor(["--config", cfg, "--json"], env)
    const report = JSON.parse(json.out) as { checks: Check[]; servers: { name: string; status: string; error?: { message: string } }[] }
    const failing = report.checks.filter((c) => c.name === "servers" && c.status === "warn")
    const grouped = failing.filter((c) => c.servers)
    expect(grouped).toHaveLength(1)
    expect(grouped[0]!.servers).toEqual(["brave-a", "brave-b", "brave-c"])
    expect(grouped[0]!.detail).toContain("3 servers")
    expect(grouped[0]!.detail).toContain("brave-a, brave-b and brave-c")
    // a different reason: its own row
    expect(failing.filter((c) => c.server === "stripe")).toHaveLength(1)
    expect(report.checks.some((c) => c.status === "ok" && c.detail.startsWith("server memory started"))).toBe(true)
    // per server, as before
    for (const n of ["brave-a", "brave-b", "brave-c", "stripe"]) {
      const row = report.servers.find((s) => s.name === n)!
      expect(row.status).toBe("failed")
      expect(row.error!.message).toContain(n)
    }
    expect(report.servers.find((s) => s.name === "memory")!.status).toBe("ok")
  }, 120_000)

  // Which side of the race a server that exits at start lands on (our initialize broke on its closed
  // stdin, or got in and went unanswered) depends on the machine's load: under load the test above
  // got two wordings for one cause and no group. Servers here take either side (one surely the second).
  test("the same exit reads the same whether or not our first write got in before it", async () => {
    const env = sandboxEnv()
    const servers: Record<string, unknown> = { "brave-a": { command: BUN, args: [REFUSING, "env", "after-first-line"] } }
    const racing = ["b", "c", "d", "e", "f", "g", "h", "i"].map((x) => `brave-${x}`)
    for (const n of racing) servers[n] = { command: BUN, args: [REFUSING, "env", "stdin-closed"] }
    const report = JSON.parse((await doctor(["--config", config(env, servers), "--json"], env)).out) as { checks: Check[] }
    const failing = report.checks.filter((c) => c.name === "servers" && c.status === "warn")
    expect(failing.map((c) => c.detail)).toEqual([expect.stringContaining("9 servers, each: server NAME failed to start: server NAME exited with code 1 before answering initialize")])
    expect(failing[0]!.servers).toEqual(["brave-a", ...racing])
  }, 120_000)
})
