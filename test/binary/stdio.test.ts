/**
 * The compiled binary driven over stdio: by the SDK Client, and raw (to check that stdout carries
 * only JSON-RPC and stderr only JSON log lines), plus shutdown and exit codes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, childrenOf, connectBinary, ensureBuilt, isAlive, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { BUDGET_OVERRUN, collect, exitCode, waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

describe("binary over stdio with the SDK Client", () => {
  let c: Connected
  beforeAll(async () => {
    c = await connectBinary(["serve"])
  })
  afterAll(() => c?.close())

  test("initialize: server info and capabilities", () => {
    const info = c.client.getServerVersion()
    expect(info?.name).toBe("mcp-orchestrator")
    expect(info?.version).toMatch(/^\d+\.\d+\.\d+/)
    const caps = c.client.getServerCapabilities()
    expect(caps?.tools).toBeDefined()
    expect(caps?.prompts).toBeDefined()
    expect(caps?.logging).toBeDefined()
  })

  test("tools/list includes orchestrator_status with input and output schemas", async () => {
    const { tools } = await c.client.listTools()
    const status = tools.find((t) => t.name === "orchestrator_status")
    expect(status).toBeDefined()
    expect(status!.inputSchema.type).toBe("object")
    expect(status!.outputSchema?.type).toBe("object")
  })

  test("orchestrator_status returns text and structured content", async () => {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    expect(r.isError).toBeFalsy()
    const s = r.structuredContent as { name: string; pid: number; config: { file: string | null } }
    expect(s.name).toBe("mcp-orchestrator")
    expect(s.pid).toBe(c.pid!)
    expect(s.config.file).toBeNull()
    expect((r.content as Array<{ text: string }>)[0]!.text).toContain("mcp-orchestrator")
  })

  test("invalid arguments to an own tool are a tool error, not a crash", async () => {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: { bogus: 1 } })
    expect(r.isError).toBe(true)
    expect((r.content as Array<{ text: string }>)[0]!.text).toContain("Invalid arguments")
  })

  test("an unknown tool is a JSON-RPC invalid-params error", async () => {
    await expect(c.client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toThrow(/Unknown tool/)
  })

  test("logs are forwarded as notifications/message once the client sets a level", async () => {
    const got: unknown[] = []
    const { LoggingMessageNotificationSchema } = await import("@modelcontextprotocol/sdk/types.js")
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void got.push(n.params))
    await c.client.setLoggingLevel("info")
    await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    await Bun.sleep(50)
    expect(got.some((p) => (p as { data?: { msg?: string } }).data?.msg === "tool call")).toBe(true)
  })
})

interface RawRun {
  stdout: string
  stderr: string
  code: number
}

/** Runs the binary on `input` then stdin EOF, to its exit (15 s bounds a hang: it is then SIGKILLed and this throws). */
async function runRaw(input: string, args: string[] = ["serve"], env = sandboxEnv()): Promise<RawRun> {
  const p = Bun.spawn([BIN, ...args], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  p.stdin.write(input)
  await p.stdin.end()
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), exitCode(p, `${args.join(" ")} to exit after stdin EOF`)])
  return { stdout, stderr, code }
}

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })

describe("binary over raw stdio", () => {
  test("stdout carries only JSON-RPC, stderr only JSON log lines; garbage input gets a parse error", async () => {
    const input = [
      INIT,
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
      "this is not json",
      JSON.stringify({ hello: "world" }),
      JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "orchestrator_status", arguments: {} } }),
      JSON.stringify({ jsonrpc: "2.0", id: 4, method: "no/such/method" }),
      "",
    ].join("\n")
    const r = await runRaw(input)
    expect(r.code).toBe(0)
    const lines = r.stdout.split("\n").filter(Boolean)
    const msgs = lines.map((l) => JSON.parse(l) as { jsonrpc: string; id: unknown; result?: unknown; error?: { code: number } })
    for (const m of msgs) expect(m.jsonrpc).toBe("2.0")
    const byId = new Map(msgs.map((m) => [m.id, m]))
    expect(byId.get(1)?.result).toBeDefined()
    expect(byId.get(2)?.result).toBeDefined()
    expect(byId.get(3)?.result).toBeDefined()
    expect(byId.get(4)?.error?.code).toBe(-32601)
    // not JSON: -32700; valid JSON that is no message and has no id: no answer (no one waits for it), a warning
    expect(msgs.filter((m) => m.id === null).map((m) => m.error?.code)).toEqual([-32700])
    expect(r.stderr).toContain("an invalid message without an id was not answered")
    const logLines = r.stderr.split("\n").filter(Boolean)
    expect(logLines.length).toBeGreaterThan(0)
    for (const l of logLines) {
      const rec = JSON.parse(l) as Record<string, unknown>
      expect(typeof rec.ts).toBe("string")
      expect(["debug", "info", "warn", "error"]).toContain(rec.level as string)
      expect(typeof rec.component).toBe("string")
      expect(typeof rec.msg).toBe("string")
    }
  })

  test("exits on its own at stdin EOF (within its shutdown budget), after answering what it was asked", async () => {
    // regression: a request followed at once by EOF (as `printf … | mcp-orchestrator`) lost its answer
    for (let i = 0; i < 3; i++) {
      const r = await runRaw(INIT + "\n")
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).not.toMatch(BUDGET_OVERRUN)
      expect(JSON.parse(r.stdout.split("\n")[0]!).result.serverInfo.name).toBe("mcp-orchestrator")
    }
  })

  test("exits on its own at SIGTERM (within its shutdown budget) and leaves no child processes", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "c.yaml")
    // a downstream that the pool may start; when there is no pool yet this is just config
    writeFileSync(cfg, `servers:\n  sleeper:\n    command: sleep\n    args: ["30"]\n`)
    const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env })
    const err = collect(p.stderr)
    p.stdin.write(INIT + "\n")
    // once it is ready (its signal handlers are installed by then)
    await waitFor("the orchestrator ready", () => err.now().includes('"msg":"ready"'), 15_000)
    const kids = childrenOf(p.pid)
    p.kill("SIGTERM")
    expect(await exitCode(p, "the orchestrator to exit after SIGTERM")).toBe(0)
    const log = await err.all
    expect(log).not.toMatch(BUDGET_OVERRUN)
    expect(log).not.toContain("exiting now")
    await waitFor("its children to be gone", () => kids.every((k) => !isAlive(k)), 15_000)
  })

  test("invalid config: exit 2, one line per problem naming key and source", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "bad.yaml")
    writeFileSync(cfg, "pool:\n  maxInFlite: 3\n")
    const r = await runRaw("", ["serve", "--config", cfg], env)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toContain(`pool.maxInFlite (${cfg}:2): unknown key; did you mean "maxInFlight"?`)
  })

  test("invalid config with a client's initialize waiting: no answer at all (not a server that connected and died), exit 2 naming key and source", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "bad.yaml")
    writeFileSync(cfg, "pool:\n  maxInFlite: 3\n")
    const r = await runRaw(INIT + "\n", ["serve", "--config", cfg], env)
    expect(r.code).toBe(2)
    // the early face answers only on a start its index vouches for (test/binary/config-unresolved)
    expect(r.stdout).toBe("")
    expect(r.stderr).toContain(`pool.maxInFlite (${cfg}:2): unknown key; did you mean "maxInFlight"?`)
  })

  test("invalid env value: exit 2 naming the variable", async () => {
    const r = await runRaw("", ["serve"], sandboxEnv({ MCPO_LOG_LEVEL: "loud" }))
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("log.level (env MCPO_LOG_LEVEL)")
  })

  test("unknown flag: exit 2", async () => {
    const r = await runRaw("", ["serve", "--no-such-flag"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown option")
  })

  test("--help on every command exits 0", async () => {
    for (const args of [["--help"], ["serve", "--help"], ["doctor", "--help"], ["version", "--help"]]) {
      const r = await runRaw("", args)
      expect(r.code).toBe(0)
      expect(r.stdout).toContain("Usage:")
    }
  })

  test("doctor --json reports checks with remedies and never crashes without docker", async () => {
    const env = sandboxEnv({ PATH: "/nonexistent" })
    const r = await runRaw("", ["doctor", "--json"], env)
    expect(r.code).toBe(0)
    const rep = JSON.parse(r.stdout) as { checks: Array<{ name: string; status: string; remedy?: string }> }
    const docker = rep.checks.find((c) => c.name === "docker")
    expect(docker?.status).toBe("warn")
    expect(docker?.remedy).toBeTruthy()
  })

  test("doctor masks secrets in the effective config", async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: "s3cr3t-token-value-123456" })
    const r = await runRaw("", ["doctor", "--json"], env)
    expect(r.stdout).not.toContain("s3cr3t-token-value-123456")
    expect(r.stdout).toContain("[REDACTED]")
  })
})

describe("a server that cannot start", () => {
  test("its tools answer SERVER_UNAVAILABLE with the reason; other servers and unknown names behave", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "c.json")
    writeFileSync(cfg, JSON.stringify({ mcpServers: { nope: { command: "definitely-not-a-command-xyz" } }, toolkit: { enabled: "off" } }))
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      await c.client.listTools()
      const r = await c.client.callTool({ name: "nope__anything", arguments: {} })
      expect(r.isError).toBe(true)
      const text = (r.content as Array<{ text: string }>)[0]!.text
      expect(text).toContain("SERVER_UNAVAILABLE")
      expect(text).toContain("definitely-not-a-command-xyz")
      const err = await c.client.callTool({ name: "other__tool", arguments: {} }).catch((e: Error) => e)
      expect(err).toBeInstanceOf(Error)
      expect((err as Error).message).toBe("MCP error -32602: Unknown tool: other__tool (find names with search_tools)")
    } finally {
      await c.close()
    }
  }, 20_000)
})
