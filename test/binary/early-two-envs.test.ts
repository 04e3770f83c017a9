/**
 * The early index (app/tool-snapshot, read by src/early-face.ts) is keyed by the environment too:
 * two clients (two editors) starting the same command in the same directory with other
 * environments each keep their own, so each start answers its first tools/list from disk instead
 * of finding the other's index and waiting for the real list. The indexes are bounded
 * (MAX_EARLY_INDEXES, least recently used first). The compiled binary, with the SDK Client, over a
 * real server (server-everything); the "ready" log line says whether the early face answered.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

async function start(cfg: string, env: Record<string, string>): Promise<{ early: boolean; names: string[] }> {
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    for (let i = 0; i < 750 && !c.stderr().includes('"msg":"ready"'); i++) await Bun.sleep(20)
    const ready = c.stderr().split("\n").find((l) => l.includes('"msg":"ready"')) ?? ""
    return { early: ready.includes('"earlyList":true'), names }
  } finally {
    await c.close()
  }
}

const indexes = (dir: string) => readdirSync(dir).filter((f) => /^early-[0-9a-f]+\.json$/.test(f))

describe("two environments keep their own early index", () => {
  test("alternating starts of two editors each answer from disk; old indexes beyond the cap go", async () => {
    const base = sandboxEnv()
    const cfg = join(base.HOME!, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  everything:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\n`)
    const dir = join(base.XDG_CACHE_HOME!, "mcp-orchestrator")
    mkdirSync(dir, { recursive: true })
    // 20 indexes of other (older) command lines and environments, last used an hour ago
    const hourAgo = new Date(Date.now() - 3600_000)
    for (let i = 0; i < 20; i++) {
      const f = join(dir, `early-${(0xabc000 + i).toString(16)}.json`)
      writeFileSync(f, "{}")
      utimesSync(f, hourAgo, hourAgo)
    }
    const a = { ...base, EDITOR_SESSION: "a" }
    const b = { ...base, EDITOR_SESSION: "b" }
    for (const env of [a, b]) {
      const first = await start(cfg, env)
      expect(first.names.some((n) => n.startsWith("everything__"))).toBe(true)
    }
    const a2 = await start(cfg, a)
    const b2 = await start(cfg, b)
    expect(a2.early).toBe(true)
    expect(b2.early).toBe(true)
    expect(a2.names.some((n) => n.startsWith("everything__"))).toBe(true)
    // bounded: the two in use stay, the oldest others went
    expect(indexes(dir).length).toBeLessThanOrEqual(16)
  }, 90_000)
})
