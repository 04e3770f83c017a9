/**
 * Regression (QA qa280): a file where the cache directory should be (a user's `touch`, a script
 * that wrote its output to the wrong path) gave three warnings for one cause at every start: the
 * stored first answer "cannot be read" (ENOTDIR, no remedy), the cache "not writable", and the
 * stored first answer "cannot be stored", the last two with the same remedy. A cache directory this
 * user cannot enter (mode 0000, another user's) gave two: the stored first answer's "cannot read"
 * (no remedy) and the cache's. Now one warning, with what to do; the first answer is complete (the
 * servers are asked). The compiled binary, the SDK's real Client, server-memory from node_modules
 * (as root, the second test runs the binary as nobody: root enters any directory).
 */
import { beforeAll, expect, test } from "bun:test"
import { chmodSync, mkdirSync, writeFileSync } from "node:fs"
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { connectAsNobody, IS_ROOT as isRoot, NOBODY, nobodyServer } from "../helpers/nobody-server.ts"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
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


test.skipIf(process.platform !== "linux")("a cache directory this user cannot enter: one warning with the remedy, a complete first answer", async () => {
  const env = sandboxEnv()
  const cacheDir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  mkdirSync(join(cacheDir, "entries"), { recursive: true })
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { memory: nobodyServer(env.HOME!) } })
  // as root, the binary runs as nobody in a home it owns (root would enter the 0000 directory)
  if (isRoot) execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, env.HOME!])
  chmodSync(cacheDir, 0o000)
  const argv = ["serve", "--config", cfg]
  const { client, stderr } = await connectAsNobody(BIN, argv, env)
  try {
    expect(await listUntil(client, "memory__read_graph")).toContain("memory__create_entities")
    await waitFor("the cache to find the directory too", () => stderr().includes("cache directory not writable"), 30_000)
  } finally {
    await client.close()
    chmodSync(cacheDir, 0o700)
  }
  const warnings = stderr().split("\n").filter((l) => /"level":"(warn|error)"/.test(l))
  expect(warnings.length).toBe(1)
  expect(warnings[0]).toContain(`Make ${cacheDir} writable by this user`)
}, 90_000)
