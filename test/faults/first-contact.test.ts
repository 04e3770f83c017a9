/**
 * First contact through the compiled binary (issue 11 §2): Cursor keeps the first lists it gets and
 * ignores list_changed, so the first answers must be complete.
 * - prompts/list as the very first request (alone, or written together with tools/list) holds the
 *   plugin prompts and the downstream's prompts;
 * - prompts/get, resources/read and completion/complete as the first requests wait for the first
 *   listing, as tools/call does;
 * - on a warm start, a server not under `warm:` still has its prompts, resources and templates
 *   listed, and a read of its URI goes to it (not to the warm server);
 * - an error reaches the client with exactly one "MCP error <code>: " prefix (none on the wire),
 *   whether we wrote it or a downstream SDK server did;
 * - the tool list persisted for the next start follows changes announced after the first answer.
 * Raw JSON-RPC is used where the order of writes matters; the SDK Client elsewhere.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, isAlive, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const NOTES = join(ROOT, "test", "faults", "servers", "notes-server.ts")
const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const BUN = process.execPath

beforeAll(ensureBuilt, 120_000)

interface RpcMessage {
  jsonrpc: "2.0"
  id?: number | string | null
  method?: string
  result?: Record<string, unknown>
  error?: { code: number; message: string; data?: unknown }
}

/** The binary on raw stdio: we write lines exactly when we want, and read every message it writes in order. */
class RawSession {
  readonly messages: RpcMessage[] = []
  private readonly proc: ReturnType<typeof Bun.spawn>
  private readonly reading: Promise<void>
  private stderr = ""

  constructor(args: string[], env: Record<string, string>) {
    this.proc = Bun.spawn([BIN, ...args], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    this.reading = this.read()
    void new Response(this.proc.stderr as ReadableStream).text().then((t) => (this.stderr = t))
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder()
    let buf = ""
    for await (const chunk of this.proc.stdout as ReadableStream<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true })
      let nl: number
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim()
        buf = buf.slice(nl + 1)
        if (line) this.messages.push(JSON.parse(line) as RpcMessage)
      }
    }
  }

  /** Writes the messages in one write (as a client that sends them together). */
  write(...msgs: object[]): void {
    const stdin = this.proc.stdin as import("bun").FileSink
    stdin.write(msgs.map((m) => JSON.stringify({ jsonrpc: "2.0", ...m }) + "\n").join(""))
    stdin.flush()
  }

  async response(id: number, timeoutMs = 20_000): Promise<RpcMessage> {
    const until = performance.now() + timeoutMs
    for (;;) {
      const m = this.messages.find((x) => x.id === id && x.method === undefined)
      if (m) return m
      if (performance.now() > until) throw new Error(`no response to ${id}; stderr:\n${this.stderr.slice(-2000)}`)
      await Bun.sleep(10)
    }
  }

  /** Index of the response to `id` among everything written so far. */
  indexOf(id: number): number {
    return this.messages.findIndex((x) => x.id === id && x.method === undefined)
  }

  async close(): Promise<void> {
    await (this.proc.stdin as import("bun").FileSink).end()
    const killer = setTimeout(() => this.proc.kill("SIGKILL"), 5000)
    await this.proc.exited
    clearTimeout(killer)
    await this.reading.catch(() => {})
  }
}

const INITIALIZE = { id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "first-contact", version: "1" } } }
const INITIALIZED = { method: "notifications/initialized" }

/** A sandbox with a config (server-everything as `ev`, plus `extra` YAML) and the example prompt plugin. */
function setup(extra = ""): { env: Record<string, string>; args: string[] } {
  const env = sandboxEnv()
  const plugins = join(env.HOME!, "plugins")
  mkdirSync(plugins)
  copyFileSync(join(ROOT, "plugins", "prompt-pack.ts"), join(plugins, "prompt-pack.ts"))
  copyFileSync(join(ROOT, "plugins", "types.d.ts"), join(plugins, "types.d.ts"))
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  ev:\n    command: ${BUN}\n    args: ["${EVERYTHING}", "stdio"]\n${extra}`)
  return { env, args: ["serve", "--config", cfg, "--plugins", plugins] }
}

const names = (m: RpcMessage, field: string): string[] => ((m.result?.[field] ?? []) as { name: string }[]).map((x) => x.name)

/** How many times the SDK's error prefix occurs in a text. */
const prefixes = (s: string): number => s.match(/MCP error -?\d+: /g)?.length ?? 0

describe("prompts/list as the first request is complete", () => {
  test("alone, right after initialize: plugin prompts, built-in prompts and the downstream's prompts", async () => {
    const { env, args } = setup()
    const s = new RawSession(args, env)
    try {
      s.write(INITIALIZE, INITIALIZED, { id: 2, method: "prompts/list" })
      const r = await s.response(2)
      const got = names(r, "prompts")
      expect(got).toContain("review_diff") // plugin
      expect(got).toContain("write_commit_message") // plugin
      expect(got).toContain("ev__simple-prompt") // downstream, never started before this request
    } finally {
      await s.close()
    }
  }, 30_000)

  test("written together with tools/list: both answers complete", async () => {
    const { env, args } = setup()
    const s = new RawSession(args, env)
    try {
      s.write(INITIALIZE, INITIALIZED, { id: 2, method: "prompts/list" }, { id: 3, method: "tools/list" }, { id: 4, method: "resources/list" }, { id: 5, method: "resources/templates/list" })
      const [prompts, tools, resources, templates] = await Promise.all([s.response(2), s.response(3), s.response(4), s.response(5)])
      expect(names(prompts, "prompts")).toEqual(expect.arrayContaining(["review_diff", "ev__simple-prompt"]))
      expect(names(tools, "tools")).toEqual(expect.arrayContaining(["orchestrator_status", "ev__echo"]))
      expect((resources.result?.resources as unknown[]).length).toBeGreaterThan(0)
      expect((templates.result?.resourceTemplates as { uriTemplate: string }[]).some((t) => t.uriTemplate.startsWith("demo://resource/dynamic/text/"))).toBe(true)
    } finally {
      await s.close()
    }
  }, 30_000)
})

describe("get, read and complete as the first requests wait for the first listing", () => {
  test("prompts/get (downstream and plugin), resources/read and completion/complete before any list", async () => {
    const { env, args } = setup()
    const s = new RawSession(args, env)
    try {
      s.write(
        INITIALIZE,
        INITIALIZED,
        { id: 2, method: "prompts/get", params: { name: "ev__simple-prompt" } },
        { id: 3, method: "resources/read", params: { uri: "demo://resource/dynamic/text/1" } },
        { id: 4, method: "completion/complete", params: { ref: { type: "ref/prompt", name: "ev__completable-prompt" }, argument: { name: "department", value: "S" } } },
        { id: 5, method: "prompts/get", params: { name: "write_commit_message", arguments: { summary: "first contact" } } },
      )
      const [get, read, complete, plugin] = await Promise.all([s.response(2), s.response(3), s.response(4), s.response(5)])
      expect(get.error).toBeUndefined()
      expect((get.result?.messages as unknown[]).length).toBeGreaterThan(0)
      expect(read.error).toBeUndefined()
      expect((read.result?.contents as { uri: string }[])[0]!.uri).toBe("demo://resource/dynamic/text/1")
      expect(complete.error).toBeUndefined()
      expect(((complete.result?.completion as { values: string[] }).values ?? []).sort()).toEqual(["Sales", "Support"])
      expect(plugin.error).toBeUndefined()
      expect(JSON.stringify(plugin.result)).toContain("first contact")
    } finally {
      await s.close()
    }
  }, 30_000)
})

describe("warm start: a server not under warm: is listed and read from", () => {
  const { env, args } = setup(`  notes:\n    command: ${BUN}\n    args: ["${NOTES}"]\nwarm: [notes]\n`)
  let second: Connected
  const EV_DOC = "demo://resource/dynamic/text/7"

  beforeAll(async () => {
    // First run fills the cache (tool snapshot and per-server lists); the second starts from it.
    const first = await connectBinary(args, env)
    await first.client.listTools()
    const prompts = (await first.client.listPrompts()).prompts.map((p) => p.name)
    expect(prompts).toEqual(expect.arrayContaining(["ev__simple-prompt", "notes__notes-prompt"]))
    await first.client.listResources()
    const firstPid = first.pid!
    await first.close()
    // the snapshot is written on shutdown, the cache writes awaited there too: once it has exited
    await waitFor("the first run to exit", () => !isAlive(firstPid), 15_000)
    second = await connectBinary(args, env)
  }, 60_000)
  afterAll(() => second?.close())

  test("prompts, resources and templates of both servers on the second start, without starting the lazy one", async () => {
    const tools = (await second.client.listTools()).tools.map((t) => t.name)
    expect(tools).toEqual(expect.arrayContaining(["ev__echo", "notes__note"]))
    const prompts = (await second.client.listPrompts()).prompts.map((p) => p.name)
    expect(prompts).toEqual(expect.arrayContaining(["review_diff", "ev__simple-prompt", "notes__notes-prompt"]))
    const resources = (await second.client.listResources()).resources.map((r) => r.uri)
    expect(resources).toContain("notes://readme")
    expect(resources.some((u) => u.startsWith("demo://resource/static/document/"))).toBe(true)
    const templates = (await second.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)
    expect(templates).toContain("notes://page/{n}")
    expect(templates.some((t) => t.startsWith("demo://resource/dynamic/text/"))).toBe(true)
    // answered from the lists stored by the first run: the lazy server was not started for them
    const st = await second.client.callTool({ name: "orchestrator_status", arguments: {} })
    const servers = (st.structuredContent as { servers: { name: string; state: string }[] }).servers
    expect(servers.find((x) => x.name === "ev")?.state).toBe("idle")
  })

  test("a read goes to the server that owns the URI, started on demand", async () => {
    const ev = await second.client.readResource({ uri: EV_DOC })
    expect(ev.contents[0]!.uri).toBe(EV_DOC)
    const notes = await second.client.readResource({ uri: "notes://page/3" })
    expect((notes.contents[0] as { text: string }).text).toBe("notes page 3")
    const got = await second.client.getPrompt({ name: "ev__simple-prompt" })
    expect(got.messages.length).toBeGreaterThan(0)
  })

  test("a URI no server serves: a clear error with one prefix", async () => {
    const e = (await second.client.readResource({ uri: "nowhere://x" }).catch((x: unknown) => x)) as Error & { code?: number }
    expect(e).toBeInstanceOf(Error)
    expect(e.code).toBe(-32002)
    expect(e.message).toContain("no server behind mcp-orchestrator serves nowhere://x")
    expect(prefixes(e.message)).toBe(1)
  })

  test("a downstream SDK server's own error (its wire message already prefixed) reaches the client with one prefix", async () => {
    // matches the notes template, so it goes to notes, whose handler refuses it
    const e = (await second.client.readResource({ uri: "notes://page/0" }).catch((x: unknown) => x)) as Error & { code?: number }
    expect(e).toBeInstanceOf(Error)
    expect(e.code).toBe(-32602)
    expect(e.message).toContain("notes has no page 0")
    expect(prefixes(e.message)).toBe(1)
  })

  test("our own protocol errors carry one prefix too", async () => {
    const e = (await second.client.getPrompt({ name: "nope__nothing" }).catch((x: unknown) => x)) as Error
    expect(e.message).toContain("Unknown prompt: nope__nothing")
    expect(prefixes(e.message)).toBe(1)
  })
})

describe("error messages on the wire", () => {
  test("no JSON-RPC error written by the orchestrator starts with the SDK prefix", async () => {
    const { env, args } = setup(`  notes:\n    command: ${BUN}\n    args: ["${NOTES}"]\n`)
    const s = new RawSession(args, env)
    try {
      s.write(
        INITIALIZE,
        INITIALIZED,
        { id: 2, method: "resources/read", params: { uri: "nowhere://x" } },
        { id: 3, method: "resources/read", params: { uri: "notes://page/0" } },
        { id: 4, method: "prompts/get", params: { name: "nope__nothing" } },
        { id: 5, method: "tools/call", params: { name: "nope__nothing", arguments: {} } },
      )
      const answers = await Promise.all([2, 3, 4, 5].map((id) => s.response(id)))
      for (const a of answers) {
        expect(a.error).toBeDefined()
        expect(prefixes(a.error!.message)).toBe(0)
      }
      expect(answers[0]!.error!.code).toBe(-32002)
    } finally {
      await s.close()
    }
  }, 30_000)
})

describe("the persisted tool list follows changes nobody asked for", () => {
  test("a server that came up after the first tools/list is in the next start's first answer", async () => {
    // a first start ever is not waited for past listWait here (firstListWait no longer than it): the
    // case is a server that came up after the first answer, as one does after its first start
    const env = sandboxEnv({ MCPO_PROXY_LIST_WAIT: "300ms", MCPO_PROXY_FIRST_LIST_WAIT: "300ms" })
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  slow:\n    command: ${BUN}\n    args: ["${FAULT}", "--slow-boot", "1500"]\n`)
    // First run, as Cursor: one tools/list (answered after listWait, without the slow server), then
    // only list_changed, which it does not act on (a raw client: nothing re-lists behind our back).
    const first = new RawSession(["serve", "--config", cfg], env)
    try {
      first.write(INITIALIZE, INITIALIZED, { id: 2, method: "tools/list" })
      expect(names(await first.response(2), "tools")).not.toContain("slow__echo")
      // announced once the slow server is up and listed (its 1.5 s boot, slower on a loaded machine: the test's timeout bounds it)
      while (!first.messages.some((m) => m.method === "notifications/tools/list_changed")) await Bun.sleep(25)
    } finally {
      await first.close()
    }
    // Second run, tools/list written with initialize: answered from the snapshot before anything is
    // loaded, it has the slow server's tools.
    const second = new RawSession(["serve", "--config", cfg], env)
    try {
      second.write(INITIALIZE, INITIALIZED, { id: 2, method: "tools/list" })
      expect(names(await second.response(2), "tools")).toContain("slow__echo")
    } finally {
      await second.close()
    }
  }, 30_000)
})
