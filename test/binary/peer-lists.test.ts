/**
 * Two editor windows started a moment apart, same config and cache directory: while the second's
 * first tools/list waits for its own start of a slow server, the first lists that server and stores
 * its list. The second answers with it (Cursor keeps that first answer for the whole session)
 * instead of waiting out proxy.listWait and answering without the server's tools. Through the
 * compiled binary; the slow server is list-gate-server, each orchestrator's copy gated by a file in
 * its own TMPDIR (one server definition, so one stored list, for both). The same for a first
 * prompts/list, resources/list and resources/templates/list (the server's prompts and resources
 * gated too).
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const GATED = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "window", version: "1" } } }

/** What a list answer holds, by its method: the names (tools, prompts) or URIs (resources, templates). */
const NAMES: Record<string, (r: Record<string, { name?: string; uri?: string; uriTemplate?: string }[] | undefined>) => string[]> = {
  "tools/list": (r) => (r.tools ?? []).map((t) => t.name!),
  "prompts/list": (r) => (r.prompts ?? []).map((p) => p.name!),
  "resources/list": (r) => (r.resources ?? []).map((x) => x.uri!),
  "resources/templates/list": (r) => (r.resourceTemplates ?? []).map((x) => x.uriTemplate!),
}

/** An orchestrator as Cursor starts one: initialize, initialized and its first list (`method`) in one write. */
function window(cfg: string, env: Record<string, string>, method = "tools/list") {
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  p.stdin.write([INIT, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method }].map((m) => JSON.stringify(m) + "\n").join(""))
  p.stdin.flush()
  const err = new Response(p.stderr).text()
  /** The names (or URIs) of its first list answer. */
  const listed = (async () => {
    const reader = p.stdout.getReader()
    let out = ""
    // the id may come anywhere in the answer's object
    while (!/"id":2[,}][^\n]*\n/.test(out)) {
      const { value, done } = await reader.read()
      if (done) break
      out += new TextDecoder().decode(value)
    }
    reader.releaseLock()
    const line = out.split("\n").find((l) => /"id":2[,}]/.test(l)) ?? "{}"
    return NAMES[method]!((JSON.parse(line) as { result?: Record<string, never> }).result ?? {})
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

for (const [method, expected, logged] of [
  ["prompts/list", "gated__held_prompt", "prompts/list"],
  ["resources/list", "held://doc", "resources/list"],
  ["resources/templates/list", "held://doc/{id}", "resources/list"],
] as const) {
  test(`the same for a first ${method}: the prompts and resources another window stored meanwhile`, async () => {
    const base = sandboxEnv()
    const home = base.HOME!
    const listLog = join(home, "lists.log")
    const cfg = join(home, "config.yaml")
    writeFileSync(
      cfg,
      [
        'toolkit: { enabled: "off" }',
        "plugins: { enabled: false }",
        // far beyond the test's time: the second window's answer cannot come from a wait running out
        // (its own listing, never answered, was waited for again after the list was taken: 20 s later)
        "proxy: { listWait: 10m }",
        "servers:",
        `  gated: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(GATED)}, "--gate-tmp", "open", "--with-lists", "--list-log", ${JSON.stringify(listLog)}] }`,
        "",
      ].join("\n"),
    )
    const tmp = (name: string): string => {
      const d = join(home, name)
      mkdirSync(d, { recursive: true })
      return d
    }
    const a = window(cfg, { ...base, TMPDIR: tmp("tmp-a") }, method)
    const b = window(cfg, { ...base, TMPDIR: tmp("tmp-b") }, method)
    try {
      // both servers were asked for the list (and hold it)
      const asked = (): number => (existsSync(listLog) ? readFileSync(listLog, "utf8").split("\n").filter((l) => l === logged).length : 0)
      for (let i = 0; i < 600 && asked() < 2; i++) await Bun.sleep(25)
      expect(asked()).toBe(2)
      writeFileSync(join(home, "tmp-a", "open"), "")
      expect(await a.listed).toContain(expected)
      const second = await b.listed
      expect(second).toContain(expected)
      b.p.stdin.end()
      await b.p.exited
      expect(await b.err).toContain("lists taken from the store another orchestrator wrote")
    } finally {
      a.p.kill("SIGKILL")
      b.p.kill("SIGKILL")
    }
  }, 60_000)
}
