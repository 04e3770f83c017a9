/**
 * Regression: `doctor` said ✓ for a server whose tools list fine but whose other listings fail
 * (server-postgres with its database down: "✓ started: 1 tool", while serve's orchestrator_status
 * showed "resources/list failed: connect ECONNREFUSED"). Now it lists the prompts and resources a
 * server declares, counts them on the ✓ line, and says each listing that failed as a warning with
 * the error and a remedy (`--json`: `listFailures`). A raw fixture server that lists its tools and
 * fails resources/list and prompts/list; server-everything as one whose lists all work. The
 * compiled binary, as a user runs it.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const BUN = process.execPath
const NODE = Bun.which("node") ?? "node"
const HALF = join(ROOT, "test", "faults", "servers", "half-working-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

async function doctor(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([BIN, "doctor", ...args], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

function config(env: Record<string, string>, servers: Record<string, unknown>): string {
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, pool: { connectTimeout: "20s" }, servers }))
  return cfg
}

interface Row {
  name: string
  status: string
  tools?: number
  prompts?: number
  resources?: number
  listFailures?: { method: string; message: string; remedy: string }[]
  partly?: boolean
  ms?: number
}

describe("doctor lists a server's prompts and resources too", () => {
  test("resources/list and prompts/list failing while tools list: a warning each, with the error and a remedy", async () => {
    const env = sandboxEnv()
    const cfg = config(env, {
      pg: { command: BUN, args: [HALF, "--resources-fail"] },
      both: { command: BUN, args: [HALF, "--resources-fail", "--prompts-fail"] },
      tools: { command: BUN, args: [HALF] },
    })
    const text = await doctor(["--config", cfg], env)
    expect(text.out).toMatch(/! servers: server pg lists its tools, but resources\/list failed: connect ECONNREFUSED 127\.0\.0\.1:5432/)
    expect(text.out).toMatch(/! servers: server both lists its tools, but prompts\/list failed: prompt store unavailable/)
    expect(text.out).toMatch(/! servers: server both lists its tools, but resources\/list failed: connect ECONNREFUSED/)
    expect(text.out).toContain("check what the server depends on (a database")
    // the server's own line is no ✓ when a listing failed: it says which ones
    expect(text.out).toMatch(/! servers: server pg started, partly \(resources\/list failed\): 2 tools/)
    expect(text.out).toMatch(/! servers: server both started, partly \(prompts\/list and resources\/list failed\): 2 tools/)
    expect(text.out).not.toMatch(/✓ servers: server (pg|both) /)
    // a server declaring tools only: ✓ as before, nothing asked of it but its tools
    expect(text.out).toMatch(/✓ servers: server tools started: 2 tools, MCP [\d-]+ \(half-working 1\.0\.0\), [\d.]+ s; stopped again/)
    expect(text.out).not.toMatch(/server tools lists its tools, but/)

    const json = await doctor(["--config", cfg, "--json"], env)
    const rows = (JSON.parse(json.out) as { servers: Row[] }).servers
    const pg = rows.find((r) => r.name === "pg")!
    expect(pg.status).toBe("ok")
    expect(pg.tools).toBe(2)
    expect(pg.resources).toBeUndefined()
    expect(pg.listFailures!.map((f) => f.method)).toEqual(["resources/list"])
    expect(pg.listFailures![0]!.remedy).toContain("its tools work")
    expect(pg.partly).toBe(true)
    expect(rows.find((r) => r.name === "tools")!.partly).toBeUndefined()
    expect(rows.find((r) => r.name === "both")!.listFailures!.map((f) => f.method)).toEqual(["prompts/list", "resources/list"])
    expect(rows.find((r) => r.name === "tools")!.listFailures).toBeUndefined()
  }, 90_000)

  test("a server whose resources/list hangs: within one budget for its whole start, not one more after its tools", async () => {
    const env = sandboxEnv()
    // tools answered 3 s late, a budget of 6 s: its resources/list gets what is left (~3 s), not 6 s more
    const cfg = config(env, { slow: { command: BUN, args: [HALF, "--resources-hang", "--tools-after=3000"], connectTimeout: "6s" } })
    const json = await doctor(["--config", cfg, "--json"], env)
    const row = (JSON.parse(json.out) as { servers: Row[] }).servers[0]!
    expect(row.status).toBe("ok")
    expect(row.tools).toBe(2)
    expect(row.partly).toBe(true)
    expect(row.listFailures!.map((f) => f.method)).toEqual(["resources/list"])
    expect(row.listFailures![0]!.message).toContain("did not answer resources/list within what was left of servers.slow.connectTimeout (6 s for its whole start and listings)")
    // (the old way took the tools' 3 s and then a whole 6 s more; no timed assertion here: the message
    // above names the one shared budget, which only the shared deadline writes)
  }, 90_000)

  test("a server whose lists all work: ✓ with its prompts and resources counted", async () => {
    const env = sandboxEnv()
    const cfg = config(env, { everything: { command: NODE, args: [EVERYTHING, "stdio"] } })
    const text = await doctor(["--config", cfg], env)
    expect(text.out).toMatch(/✓ servers: server everything started: \d+ tools, MCP [\d-]+ \([^)]*\), \d+ prompts, \d+ resources/)
    expect(text.out).not.toContain("! servers: server everything")
    const row = (JSON.parse((await doctor(["--config", cfg, "--json"], env)).out) as { servers: Row[] }).servers[0]!
    expect(row.prompts).toBeGreaterThan(0)
    expect(row.resources).toBeGreaterThan(0)
  }, 90_000)
})
