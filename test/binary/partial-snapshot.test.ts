/**
 * The persisted first answer (app/tool-snapshot) is never taken from a half-started state. Cursor
 * keeps the first tools/list it gets for its whole session, and a start answers it from the
 * snapshot at once: a snapshot written while a server had not listed yet would hide that server's
 * tools for the next session.
 *
 * Three starts of the binary on three real servers (server-everything, server-memory and a fixture
 * whose tools/list is held until a file appears, so nothing depends on timing):
 * 1. a complete run: every server lists; then the held server stops listing (the file goes) and
 *    crashes, which drops its stored list (the proxy's rule for crashes) while its restart's
 *    listing never finishes;
 * 2. a start that ends during its start-up: answered from the snapshot, its real list (after
 *    proxy.listWait, without the held server, which has no stored list and never lists) differs and
 *    list_changed says so; then stdin closes;
 * 3. the next start's first answer still has every tool of the complete run.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const NM = join(ROOT, "node_modules", "@modelcontextprotocol")
const EVERYTHING = join(NM, "server-everything", "dist", "index.js")
const MEMORY = join(NM, "server-memory", "dist", "index.js")
const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const BUN = process.execPath

beforeAll(ensureBuilt, 120_000)

interface RpcMessage {
  id?: number | string | null
  method?: string
  result?: { tools?: { name: string }[] }
}

/** The binary on raw stdio, as Cursor starts it: initialize, initialized and tools/list in one write. */
class Start {
  readonly messages: RpcMessage[] = []
  private readonly proc: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>
  private readonly reading: Promise<void>
  private stderr = ""

  constructor(cfg: string, env: Record<string, string>) {
    // the environment connectBinary's SDK transport gives (its defaults, TERM, SHELL…, under env): one
    // window's starts, which share one stored first answer (its key holds the base environment: app/env-tag)
    this.proc = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: { ...getDefaultEnvironment(), ...env }, cwd: env.HOME })
    this.reading = this.read()
    void new Response(this.proc.stderr).text().then((t) => (this.stderr = t))
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "cursor-like", version: "1" } } }
    this.proc.stdin.write([init, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }].map((m) => JSON.stringify(m) + "\n").join(""))
    this.proc.stdin.flush()
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder()
    let buf = ""
    for await (const chunk of this.proc.stdout) {
      buf += decoder.decode(chunk, { stream: true })
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const line = buf.slice(0, nl).trim()
        buf = buf.slice(nl + 1)
        if (line) this.messages.push(JSON.parse(line) as RpcMessage)
      }
    }
  }

  /** Polls (no deadline of its own: the test's timeout bounds it) until `pred` holds. */
  async until(pred: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      if (pred()) return
      await Bun.sleep(20)
    }
    throw new Error(`${what} never came; stderr:\n${this.stderr.slice(-3000)}`)
  }

  /** The names in the first tools/list answer. */
  async firstList(): Promise<string[]> {
    await this.until(() => this.messages.some((m) => m.id === 2), "the tools/list answer")
    return this.messages.find((m) => m.id === 2)!.result!.tools!.map((t) => t.name)
  }

  /** stdin EOF (the client going away), then the exit. */
  async close(): Promise<number> {
    this.proc.stdin.end()
    const code = await this.proc.exited
    await this.reading
    return code
  }
}

/** Does any entry of the file cache (the per-server stored lists) hold `text`? */
function cacheHolds(env: Record<string, string>, text: string): boolean {
  const dir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator", "entries")
  try {
    return readdirSync(dir).some((f) => f.endsWith(".entry") && readFileSync(join(dir, f), "utf8").includes(text))
  } catch {
    return false
  }
}

describe("the persisted first answer is never taken from a half-started state", () => {
  test("a start that ends while a server has not listed leaves the complete snapshot for the next start", async () => {
    const env = sandboxEnv({ MCPO_PROXY_LIST_WAIT: "300ms" })
    const gate = join(env.HOME!, "gate-open")
    writeFileSync(gate, "")
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(
      cfg,
      [
        "toolkit:",
        '  enabled: "off"',
        "servers:",
        "  everything:",
        "    command: node",
        `    args: ["${EVERYTHING}", "stdio"]`,
        "  memory:",
        "    command: node",
        `    args: ["${MEMORY}"]`,
        "  held:",
        `    command: ${BUN}`,
        `    args: ["${GATE_SERVER}", "--gate", "${gate}"]`,
        "",
      ].join("\n"),
    )

    // 1. the complete run
    const first = await connectBinary(["serve", "--config", cfg], env)
    let complete: string[] = []
    try {
      for (let i = 0; i < 500; i++) {
        complete = (await first.client.listTools()).tools.map((t) => t.name)
        if (["everything__", "memory__", "held__held_alpha"].every((p) => complete.some((n) => n.startsWith(p)))) break
        await Bun.sleep(20)
      }
      expect(complete).toContain("held__held_alpha")
      expect(complete.some((n) => n.startsWith("everything__"))).toBe(true)
      expect(complete.some((n) => n.startsWith("memory__"))).toBe(true)
      expect(cacheHolds(env, "held_alpha")).toBe(true)
      // the held server stops listing, then crashes: its stored list is dropped, its restart never lists
      rmSync(gate)
      await first.client.callTool({ name: "held__crash", arguments: {} })
      for (let i = 0; i < 500 && cacheHolds(env, "held_alpha"); i++) await Bun.sleep(20)
      expect(cacheHolds(env, "held_alpha")).toBe(false)
    } finally {
      await first.close()
    }

    // 2. a start that ends during its start-up, after its real (incomplete) list was computed
    const second = new Start(cfg, env)
    try {
      expect(await second.firstList()).toEqual(complete)
      await second.until(() => second.messages.some((m) => m.method === "notifications/tools/list_changed"), "list_changed for the incomplete real list")
    } finally {
      expect(await second.close()).toBe(0)
    }

    // 3. the next start's first answer has every tool of the complete run
    const third = new Start(cfg, env)
    try {
      const listed = await third.firstList()
      for (const name of complete) expect(listed).toContain(name)
    } finally {
      await third.close()
    }
  }, 60_000)
})
