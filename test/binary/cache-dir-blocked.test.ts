/**
 * Regression (QA qa280): a file where the cache directory should be (a user's `touch`, a script
 * that wrote its output to the wrong path) gave three warnings for one cause at every start: the
 * stored first answer "cannot be read" (ENOTDIR, no remedy), the cache "not writable", and the
 * stored first answer "cannot be stored", the last two with the same remedy. Now one warning, with
 * what to do; the first answer is complete (the servers are asked). The compiled binary, the SDK's
 * real Client, server-memory from node_modules.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

test("a file where the cache directory should be: one warning with the remedy, a complete first answer", async () => {
  const env = sandboxEnv()
  mkdirSync(env.XDG_CACHE_HOME!, { recursive: true })
  const cacheDir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  writeFileSync(cacheDir, "not a directory")
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "mem.jsonl") } } } })
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect(await listUntil(c.client, "memory__read_graph")).toContain("memory__create_entities")
    // the complete answer was offered to the store (which cannot write it): every cause has been met
    await waitFor("the first answer's store to fail", () => c.stderr().includes("cannot store the first tools/list answer"), 30_000)
  } finally {
    await c.close()
  }
  const warnings = c
    .stderr()
    .split("\n")
    .filter((l) => /"level":"(warn|error)"/.test(l))
  expect(warnings.length).toBe(1)
  expect(warnings[0]).toContain(`A file stands where ${cacheDir}`)
}, 90_000)
