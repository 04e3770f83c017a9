/**
 * The early face answers `initialize` before the app is loaded only on a start whose early index
 * vouches for the config files (config-unresolved.test.ts: a config that does not resolve is never
 * answered). What vouches, as a restarting client (Cursor) needs it:
 *  - a start that loaded the config, even one that ended before any tools/list was stored (a
 *    client that kills the server it just started): it leaves an index of the config files alone;
 *  - a stored answer that no longer holds (its bytes rewritten) leaves `tools/list` to the real
 *    face, not `initialize` too;
 *  - a config changed since, broken or not, vouches for nothing (the real face reads it first).
 * The "ready" line's `earlyInit` / `earlyList` say who answered (timing-free evidence).
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }
const LIST = [{ jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }]

type Ready = { earlyInit?: boolean; earlyList?: boolean }

/** One start: writes `messages`, waits for "ready" and `until`, ends stdin; its ready line, stdout and exit code. */
async function start(cfg: string, env: Record<string, string>, messages: unknown[], until: () => boolean = () => true): Promise<{ ready?: Ready; stdout: string; stderr: string; code: number }> {
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  p.stdin.write(messages.map((m) => JSON.stringify(m) + "\n").join(""))
  p.stdin.flush()
  let out = ""
  let err = ""
  const reading = Promise.all([
    (async () => {
      for await (const c of p.stdout) out += new TextDecoder().decode(c)
    })(),
    (async () => {
      for await (const c of p.stderr) err += new TextDecoder().decode(c)
    })(),
  ])
  const ready = (): Ready | undefined =>
    err
      .split("\n")
      .filter((l) => l.includes('"ready"'))
      .map((l) => JSON.parse(l) as Ready & { msg: string })
      .find((r) => r.msg === "ready")
  let exited = false
  void p.exited.then(() => (exited = true))
  for (let i = 0; i < 800 && !exited && !(ready() && until()); i++) await Bun.sleep(25)
  p.stdin.end()
  const code = await p.exited
  await reading
  return { ready: ready(), stdout: out, stderr: err, code }
}

const indexes = (env: Record<string, string>): string[] => {
  const dir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith("early-")).map((f) => join(dir, f)) : []
}

function setup(): { env: Record<string, string>; cfg: string } {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, 'servers: {}\ntoolkit: { enabled: "off" }\nplugins: { enabled: false }\n')
  return { env, cfg }
}

test("a start that ended before any list was stored vouches for its config: the next start answers initialize early", async () => {
  const { env, cfg } = setup()
  const first = await start(cfg, env, [INIT], () => indexes(env).length > 0)
  expect(first.ready?.earlyInit).toBe(false)
  expect(indexes(env).length).toBe(1)
  // the index vouches for the config files only: no stored answer named
  expect(JSON.parse(readFileSync(indexes(env)[0]!, "utf8")).snapshot).toBeUndefined()
  const second = await start(cfg, env, [INIT, ...LIST])
  expect(second.ready?.earlyInit).toBe(true)
  // and its tools/list, with nothing stored, by the real face
  expect(second.ready?.earlyList).toBe(false)
  // one answer to initialize (the real face drops its own)
  expect(second.stdout.split("\n").filter((l) => l.length > 0 && (JSON.parse(l) as { id?: number }).id === 1).length).toBe(1)
  expect(second.stdout).toContain('"id":2,"result":{"tools":[')
}, 60_000)

test("a stored answer rewritten since: tools/list from the real face, initialize still early", async () => {
  const { env, cfg } = setup()
  // two starts that list: the second answers both early from the first's index
  await start(cfg, env, [INIT, ...LIST], () => indexes(env).some((p) => JSON.parse(readFileSync(p, "utf8")).snapshot !== undefined))
  const warm = await start(cfg, env, [INIT, ...LIST])
  expect(warm.ready).toEqual(expect.objectContaining({ earlyInit: true, earlyList: true }))
  const ix = JSON.parse(readFileSync(indexes(env)[0]!, "utf8")) as { snapshot: { path: string } }
  // the answer's bytes no longer those the index recorded (same size: only its hash tells)
  const text = readFileSync(ix.snapshot.path, "utf8")
  expect(text).toContain('"tools":[{"name":"')
  writeFileSync(ix.snapshot.path, text.replace('"tools":[{"name":"', '"tools":[{"nAme":"'))
  const r = await start(cfg, env, [INIT, ...LIST])
  expect(r.ready?.earlyInit).toBe(true)
  expect(r.ready?.earlyList).toBe(false)
  expect(r.stdout).toContain('"id":2,"result":{"tools":[')
  expect(r.stdout).not.toContain('"nAme"')
}, 60_000)

test("a config changed since the index: the real face reads it before answering (broken: exit 2, nothing on stdout)", async () => {
  const { env, cfg } = setup()
  await start(cfg, env, [INIT], () => indexes(env).length > 0)
  expect(indexes(env).length).toBe(1)
  // changed and still valid: not vouched (the real face answers), and the new one vouched in turn
  writeFileSync(cfg, 'servers: {}\ntoolkit: { enabled: "off" }\nplugins: { enabled: false }\nlog: { level: "info" }\n')
  const changed = await start(cfg, env, [INIT, ...LIST])
  expect(changed.ready?.earlyInit).toBe(false)
  // broken: no answer at all
  writeFileSync(cfg, 'servers: {}\ntoolkit: { enabled: "off" }\nplugins: { enabled: nope }\n')
  const broken = await start(cfg, env, [INIT])
  expect(broken.code).toBe(2)
  expect(broken.stdout).toBe("")
  expect(broken.stderr).toContain("plugins.enabled")
}, 60_000)
