/**
 * Regression (qa184): a 2026-07-28 client (SDK v2 Client pinned or in auto negotiation) sends no
 * `initialize`: its `server/discover` probe and its first `tools/list` waited for the whole app to
 * load on a warm start (twice a legacy client's time), as the early face answered only `initialize`.
 * Now the early face answers both, the list from the stored snapshot, completed for that era: the
 * same answers the real face gives to the same requests later in the session.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "t", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
}
const req = (id: string | number, method: string) => JSON.stringify({ jsonrpc: "2.0", id, method, params: { _meta: ENVELOPE } }) + "\n"

beforeAll(ensureBuilt, 120_000)

/**
 * One start as an SDK v2 client makes it: the probe, then (its answer read) tools/list; then the
 * same two again, answered by the real face. Stdin ends once the app has logged "ready" (whose
 * `earlyList` says who answered the first list: timing-free evidence).
 */
async function modernStart(cfg: string, env: Record<string, string>) {
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  const out = p.stdout.getReader()
  const dec = new TextDecoder()
  let buf = ""
  const answer = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const nl = buf.indexOf("\n")
      if (nl >= 0) {
        const m = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>
        buf = buf.slice(nl + 1)
        if (m.id !== undefined) return m
        continue
      }
      const r = await out.read()
      if (r.done) throw new Error("stdout ended")
      buf += dec.decode(r.value, { stream: true })
    }
  }
  let err = ""
  const ready = (async () => {
    for await (const c of p.stderr) {
      err += dec.decode(c, { stream: true })
      const line = err.split("\n").find((l) => l.includes('"msg":"ready"'))
      if (line) return JSON.parse(line) as { earlyList?: boolean }
    }
    throw new Error(`no ready line: ${err}`)
  })()
  const send = (s: string) => {
    p.stdin.write(s)
    p.stdin.flush()
  }
  send(req("probe", "server/discover"))
  const discover = await answer()
  send(req(1, "tools/list"))
  const list = await answer()
  const r = await ready
  send(req(2, "tools/list"))
  const list2 = await answer()
  send(req("probe2", "server/discover"))
  const discover2 = await answer()
  p.stdin.end()
  await p.exited
  return { discover, list, list2, discover2, earlyList: r.earlyList }
}

test("a 2026-07-28 client's probe and first tools/list on a warm start come from the early face, equal to the real face's", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  // a boot long enough that no start here sees the real list before its first answers
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nproxy:\n  listWait: 10s\nservers:\n  slow:\n    command: ${process.execPath}\n    args: ["${FAULT}", "--slow-boot", "3000"]\n`)
  const cold = await modernStart(cfg, env)
  expect(cold.earlyList).toBe(false)
  expect(JSON.stringify(cold.list)).toContain('"name":"slow__echo"')

  const warm = await modernStart(cfg, env)
  expect(warm.earlyList).toBe(true)
  const result = warm.list.result as { tools: { name: string }[]; resultType: string; ttlMs: number; cacheScope: string }
  expect(result.tools.map((t) => t.name)).toContain("slow__echo")
  expect(result).toMatchObject({ resultType: "complete", ttlMs: 0, cacheScope: "private" })
  // the real face's answers to the same requests, later in the same session
  expect(warm.list).toEqual({ ...warm.list2, id: 1 })
  expect(warm.discover).toEqual({ ...warm.discover2, id: "probe" })
}, 60_000)
