/**
 * Two editor windows started a moment apart, same config and cache directory: while the second's
 * first tools/list waits for its own start of a slow server, the first lists that server and stores
 * its list. The second answers with it (Cursor keeps that first answer for the whole session)
 * instead of waiting out proxy.listWait and answering without the server's tools. Through the
 * compiled binary; the slow server is list-gate-server, each orchestrator's copy gated by a file in
 * its own TMPDIR (one server definition, so one stored list, for both).
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const GATED = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "window", version: "1" } } }

/** An orchestrator as Cursor starts one: initialize, initialized and tools/list in one write. */
function window(cfg: string, env: Record<string, string>) {
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  p.stdin.write([INIT, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }].map((m) => JSON.stringify(m) + "\n").join(""))
  p.stdin.flush()
  const err = new Response(p.stderr).text()
  /** The tool names of its first tools/list answer. */
  const listed = (async () => {
    const reader = p.stdout.getReader()
    let out = ""
    while (!/"id":2,[^\n]*\n/.test(out)) {
      const { value, done } = await reader.read()
      if (done) break
      out += new TextDecoder().decode(value)
    }
    reader.releaseLock()
    const line = out.split("\n").find((l) => l.includes('"id":2,')) ?? "{}"
    return ((JSON.parse(line) as { result?: { tools?: { name: string }[] } }).result?.tools ?? []).map((t) => t.name)
  })()
  return { p, err, listed }
}

test("a window whose first tools/list waits for a slow server answers with the list another window stored meanwhile", async () => {
  const base = sandboxEnv()
  const home = base.HOME!
  const listLog = join(home, "lists.log")
  const cfg = join(home, "config.yaml")
  writeFileSync(
    cfg,
    [
      'toolkit: { enabled: "off" }',
      "plugins: { enabled: false }",
      // long enough that the second window's answer cannot come from its own wait running out
      "proxy: { listWait: 20s }",
      "servers:",
      `  gated: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(GATED)}, "--gate-tmp", "open", "--list-log", ${JSON.stringify(listLog)}] }`,
      "",
    ].join("\n"),
  )
  const tmp = (name: string): string => {
    const d = join(home, name)
    mkdirSync(d, { recursive: true })
    return d
  }
  const a = window(cfg, { ...base, TMPDIR: tmp("tmp-a") })
  const b = window(cfg, { ...base, TMPDIR: tmp("tmp-b") })
  try {
    // both are waiting for their own copy of the server to list (nothing stored yet: each asked it)
    const asked = (): number => (existsSync(listLog) ? readFileSync(listLog, "utf8").split("\n").filter(Boolean).length : 0)
    for (let i = 0; i < 600 && asked() < 2; i++) await Bun.sleep(25)
    expect(asked()).toBe(2)
    // the first window's server lists (the second's never does)
    writeFileSync(join(home, "tmp-a", "open"), "")
    expect(await a.listed).toContain("gated__held_alpha")
    const second = await b.listed
    expect(second).toContain("gated__held_alpha")
    b.p.stdin.end()
    await b.p.exited
    expect(await b.err).toContain("lists taken from the store another orchestrator wrote")
  } finally {
    a.p.kill("SIGKILL")
    b.p.kill("SIGKILL")
  }
}, 60_000)
