/**
 * The early face (src/early-face.ts) checks, before anything else runs, that every file the last
 * start's config was loaded from is unchanged: by size, then by reading it. An empty envFile (size
 * 0) replaced by a FIFO since has size 0 too: it was opened for that read, and open(2) of a FIFO
 * with no writer blocked the process before it answered `initialize`, for good (deaf to SIGTERM).
 * Now a file that is no regular file is a change: the real face starts, and the envFile's server
 * fails its start (a FIFO no program wrote to) while the others list. The compiled binary, the
 * SDK's real Client, server-memory.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

test("an empty envFile replaced by a FIFO since the last start: the next start answers, the others' tools list", async () => {
  const env = sandboxEnv()
  const envFile = join(env.HOME!, "empty.env")
  writeFileSync(envFile, "")
  const server = (name: string) => ({ command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, `${name}.jsonl`) } })
  const cfg = join(env.HOME!, "c.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { a: { ...server("a"), envFile }, b: server("b") } }))
  const first = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect(await listUntil(first.client, "a__read_graph")).toContain("b__read_graph")
  } finally {
    await first.close()
  }
  const cache = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  await waitFor("the early index", () => existsSync(cache) && readdirSync(cache).some((f) => /^early-[0-9a-f]+\.json$/.test(f)), 20_000)
  rmSync(envFile)
  expect(Bun.spawnSync(["mkfifo", envFile]).exitCode).toBe(0)
  const second = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect(await listUntil(second.client, "b__read_graph")).toContain("b__read_graph")
  } finally {
    await second.close()
  }
}, 90_000)
