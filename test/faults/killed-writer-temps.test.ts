/**
 * Temp files a killed orchestrator left (SIGKILLed between writing a state file's temp and renaming
 * it: a multi-MB stored first answer, the pins, the protocol eras, an OAuth record) do not pile up
 * in the cache and state directories over many killed starts: the next start that writes such a
 * file removes them (core/atomic-write), and a new stored answer removes those of any config
 * state (app/snapshot-prune). A temp file another process is still writing stays, and so does
 * anything not ours. Through the compiled binary with server-memory.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

/** Writes `path` last modified `ageMs` ago. */
function file(path: string, ageMs: number): string {
  writeFileSync(path, "x".repeat(1024))
  const t = new Date(Date.now() - ageMs)
  utimesSync(path, t, t)
  return path
}

test("temp files of killed writers are removed by the next start's writes; one being written and files not ours stay", async () => {
  const env = sandboxEnv()
  const home = env.HOME!
  const cache = join(home, "cache", "mcp-orchestrator")
  const state = join(home, ".local", "state", "mcp-orchestrator")
  mkdirSync(cache, { recursive: true })
  mkdirSync(state, { recursive: true })
  // the pid of a writer that is gone
  const gone = Bun.spawn(["true"])
  await gone.exited
  const dead = gone.pid
  // a process that is running (this test): its temp files are being written
  const live = process.pid
  const left = [
    // another config state's stored answer, killed mid-write 10 s ago
    file(join(cache, `tools-0123456789abcdef.snapshot.json.${dead}.ab12cd34.tmp`), 10_000),
    file(join(cache, `early-0123456789abcdef.json.${dead}.ab12cd35.tmp`), 10_000),
    // the pins and eras of a writer killed 10 s ago; an eras temp last written two hours ago (its pid reused since)
    file(join(state, `pins.json.${dead}.k1.tmp`), 10_000),
    file(join(state, `protocol-eras.json.${live}.k2.tmp`), 2 * 3600_000),
  ]
  const kept = [
    // being written right now by another process sharing the directories
    file(join(cache, `tools-0123456789abcdef.snapshot.json.${live}.ab12cd36.tmp`), 0),
    file(join(state, `pins.json.${live}.k3.tmp`), 0),
    // not ours
    file(join(cache, `notes.json.${dead}.ab12cd37.tmp`), 2 * 3600_000),
    file(join(state, `other.json.${dead}.k4.tmp`), 2 * 3600_000),
  ]
  const cfg = join(home, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { mem: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(home, "mem.jsonl") } } } }))
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect(await listUntil(c.client, "mem__read_graph")).toContain("mem__read_graph")
  } finally {
    await c.close()
  }
  // the start wrote its state files (a stored answer, pins, eras)
  const names = [...readdirSync(cache), ...readdirSync(state)]
  expect(names.some((n) => /^tools-[0-9a-f]{16}\.snapshot\.json$/.test(n))).toBe(true)
  expect(names).toContain("pins.json")
  expect(names).toContain("protocol-eras.json")
  expect(left.filter(existsSync)).toEqual([])
  expect(kept.filter(existsSync)).toEqual(kept)
}, 60_000)
