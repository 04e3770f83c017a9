/**
 * Regression: `doctor` said ✓ for a stdio server that fails only when started. It checked that the
 * command (and its `#!` interpreter) exists but never started the server, so one that exits at start
 * for a missing token, one whose tools/list crashes it, and one that hangs before answering
 * `initialize` all passed. Now each enabled stdio server is started as `serve` starts it (same
 * environment), listed and stopped: ✓ with its tool count and protocol revision, or a warning with
 * the reason its stderr gives and the remedy (the env entry to write); `--json` lists each start
 * under `servers`; nothing it started is left running; `--no-start` starts nothing. Through the
 * compiled binary, with the npm reference servers as the good ones and the fault fixtures as the
 * failing ones. Env values are never shown, only names.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { isAlive } from "../helpers/proc.ts"

beforeAll(ensureBuilt, 120_000)

const BUN = process.execPath
const NODE = Bun.which("node") ?? "node"
const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const REFUSING = join(ROOT, "test", "faults", "servers", "refusing-start-server.ts")
const LIST_CRASH = join(ROOT, "test", "faults", "servers", "list-crash-server.ts")
const LIST_SHAPE = join(ROOT, "test", "faults", "servers", "list-shape-server.ts")
const STUBBORN = join(ROOT, "test", "faults", "servers", "stubborn-server.ts")
const DETACHING = join(ROOT, "test", "faults", "servers", "detaching-server.ts")
const SECRET = "sk_live_9f8e7d6c5b4a39281706"

interface Row {
  name: string
  transport: string
  status: string
  tools?: number
  protocolVersion?: string
  era?: string
  error?: { code?: string; message: string; remedy?: string }
  skipped?: string
}

async function doctor(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([BIN, "doctor", ...args], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

function config(env: Record<string, string>, servers: Record<string, unknown>, pool: Record<string, unknown> = {}): string {
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, pool: { connectTimeout: "20s", ...pool }, servers }))
  return cfg
}

/** stderr holds JSON log lines only (stdout is the report). */
function expectJsonLines(err: string): void {
  for (const line of err.split("\n").filter((l) => l.trim())) expect(() => JSON.parse(line)).not.toThrow()
}

describe("doctor starts each stdio server", () => {
  test("working servers: ✓ with their tool count and protocol revision (legacy and 2026-07-28), in text and --json", async () => {
    const env = sandboxEnv()
    const cfg = config(env, {
      memory: { command: NODE, args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.json") } },
      everything: { command: NODE, args: [EVERYTHING, "stdio"] },
      modern: { command: BUN, args: [MODERN] },
    })
    const text = await doctor(["--config", cfg], env)
    expect(text.code).toBe(0)
    expect(text.out).toMatch(/✓ servers: server memory started: 9 tools, MCP 20\d\d-\d\d-\d\d \(memory-server [\d.]+\), 1 resource, [\d.]+ s; stopped again/)
    expect(text.out).toMatch(/✓ servers: server everything started: \d+ tools, MCP 20\d\d-\d\d-\d\d/)
    expect(text.out).toMatch(/✓ servers: server modern started: \d+ tools, MCP 2026-07-28/)
    expectJsonLines(text.err)

    const json = await doctor(["--config", cfg, "--json"], env)
    expect(json.code).toBe(0)
    const rows = (JSON.parse(json.out) as { servers: Row[] }).servers
    const by = Object.fromEntries(rows.map((r) => [r.name, r]))
    expect(by.memory).toMatchObject({ transport: "stdio", status: "ok", tools: 9, era: "legacy" })
    expect(by.everything!.status).toBe("ok")
    expect(by.everything!.tools).toBeGreaterThan(5)
    expect(by.modern).toMatchObject({ status: "ok", era: "modern", protocolVersion: "2026-07-28" })
  }, 60_000)

  test("a server that exits at start for a missing token: a warning with its reason and the env entry to write, never the value", async () => {
    // ACME_SECRET_KEY is set where doctor runs (as in the user's shell), but a server gets only a minimal environment and its env
    const env = sandboxEnv({ ACME_SECRET_KEY: SECRET })
    const cfg = config(env, {
      brave: { command: BUN, args: [REFUSING, "env"] },
      stripe: { command: BUN, args: [REFUSING, "uncaught"] },
      sentry: { command: BUN, args: [REFUSING, "usage"] },
      nocmd: { command: "no-such-program-xyz" },
      // a server that prints the token it was given when it refuses it
      echoer: { command: "sh", args: ["-c", 'echo "token $API_TOKEN was rejected" >&2; exit 1'], env: { API_TOKEN: "${env:ACME_SECRET_KEY}" } },
    })
    const r = await doctor(["--config", cfg], env)
    // a server that cannot start is a warning (as a command not found is): exit 0, documented
    expect(r.code).toBe(0)
    expect(r.out).not.toContain("✓ servers")
    expect(r.out).toContain("! servers: server brave failed to start:")
    expect(r.out).toContain("ACME_API_KEY environment variable is required")
    expect(r.out).toContain('remedy: Set it in servers.brave.env (or an envFile), e.g. env: { ACME_API_KEY: "${env:ACME_API_KEY}" }')
    expect(r.out).toContain("! servers: server stripe failed to start:")
    expect(r.out).toContain("Acme API key not provided")
    expect(r.out).toContain('remedy: Pass it in servers.stripe.env: { ACME_SECRET_KEY: "${env:ACME_SECRET_KEY}" }')
    expect(r.out).toContain("! servers: server sentry failed to start:")
    expect(r.out).toContain("No access token was provided.")
    expect(r.out).toContain("! servers: server echoer failed to start:")
    expect(r.out).toContain("token [REDACTED] was rejected")
    expect(r.out + r.err).not.toContain(SECRET)
    expectJsonLines(r.err)

    const json = await doctor(["--config", cfg, "--json"], env)
    expect(json.out).not.toContain(SECRET)
    const rows = (JSON.parse(json.out) as { servers: Row[]; checks: { status: string }[] }).servers
    const brave = rows.find((x) => x.name === "brave")!
    expect(brave.status).toBe("failed")
    expect(brave.error!.code).toBe("CONNECT_FAILED")
    expect(brave.error!.message).toContain("ACME_API_KEY is not set for server brave")
    expect(brave.error!.remedy).toContain("servers.brave.env")
    // one whose command is not there is not started, and is a failed row too (its check says why)
    const nocmd = rows.find((x) => x.name === "nocmd")!
    expect(nocmd.status).toBe("failed")
    expect(nocmd.error!.message).toStartWith('server nocmd cannot start: no program named "no-such-program-xyz"')
    // the code serve reports for it (docs/troubleshooting.md: SPAWN_FAILED is a command or cwd not there), not CONNECT_FAILED
    expect(nocmd.error!.code).toBe("SPAWN_FAILED")
    expect(rows.map((x) => x.status)).toEqual(["failed", "failed", "failed", "failed", "failed"])
  }, 60_000)

  test("a server whose tools/list crashes it or is no list, and one that hangs before initialize (ignoring SIGTERM, with a grandchild): warnings, and nothing left running", async () => {
    const env = sandboxEnv()
    const pids = join(env.HOME!, "stubborn.pids")
    const cfg = config(
      env,
      {
        lister: { command: BUN, args: [LIST_CRASH] },
        shape: { command: BUN, args: [LIST_SHAPE, "--bad", "string", "--bad-now"] },
        notools: { command: BUN, args: [LIST_SHAPE, "--no-tools-cap"] },
        hang: { command: BUN, args: [STUBBORN, "--slow-boot", "600000", "--pid-file", pids] },
        slowpoke: { command: BUN, args: [STUBBORN, "--slow-boot", "600000"], connectTimeout: "1s" },
      },
      { connectTimeout: "2s" },
    )
    const r = await doctor(["--config", cfg], env)
    expect(r.code).toBe(0)
    expect(r.out).toContain("! servers: server lister answered initialize, then exited with code 1 on tools/list")
    expect(r.out).toContain("stderr: list-crash-server: crashing on tools/list")
    expect(r.out).toContain('! servers: server shape started but answered tools/list without a tools array (keys: tools)')
    // one that declares no tools and has no tools/list serves none: not a failure
    expect(r.out).toMatch(/✓ servers: server notools started: \d+ tools?, MCP/)
    expect(r.out).toContain("! servers: server hang failed to start: it did not answer initialize within pool.connectTimeout (2 s)")
    // its own budget is the one named
    expect(r.out).toContain("! servers: server slowpoke failed to start: it did not answer initialize within servers.slowpoke.connectTimeout (1 s)")
    expect(r.out).toContain("raise servers.slowpoke.connectTimeout")
    // it was started (its pid file), and neither it nor its grandchild outlived doctor
    const started = readFileSync(pids, "utf8").trim().split(/\s+/).map(Number)
    expect(started).toHaveLength(2)
    for (const pid of started) expect(isAlive(pid)).toBe(false)
    expectJsonLines(r.err)
  }, 60_000)

  test("a server whose helpers leave its process group: they are ended too", async () => {
    const env = sandboxEnv()
    const pids = join(env.HOME!, "detaching.pids")
    const cfg = config(env, { detaching: { command: BUN, args: [DETACHING, "--pid-file", pids] } })
    const r = await doctor(["--config", cfg], env)
    expect(r.out).toMatch(/✓ servers: server detaching started: 1 tool, MCP/)
    const started = readFileSync(pids, "utf8").trim().split(/\s+/).map(Number)
    expect(started).toHaveLength(3)
    for (const pid of started) expect(isAlive(pid)).toBe(false)
  }, 60_000)

  test("--no-start starts nothing and says so; --json has no servers rows then", async () => {
    const env = sandboxEnv()
    const starts = join(env.HOME!, "starts")
    const cfg = config(env, { lister: { command: BUN, args: [LIST_CRASH, "--starts", starts] } })
    const r = await doctor(["--config", cfg, "--no-start"], env)
    expect(r.code).toBe(0)
    expect(r.out).toContain("✓ servers: 1 stdio server: command found, working directory usable (not started: --no-start)")
    const json = JSON.parse((await doctor(["--config", cfg, "--no-start", "--json"], env)).out) as { servers?: unknown }
    expect(json.servers).toBeUndefined()
    expect(existsSync(starts)).toBe(false)
    // without it, the server is started (once per doctor run)
    await doctor(["--config", cfg], env)
    expect(readFileSync(starts, "utf8").trim().split("\n")).toHaveLength(1)
  }, 60_000)
})
