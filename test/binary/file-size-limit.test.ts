/**
 * Regression (QA qa360): started under a file size limit (`ulimit -f`, a CI runner's or a
 * container's RLIMIT_FSIZE) smaller than what the cache writes (the stored first answer, a large
 * entry), the write failed with EFBIG and the warning said "Make <dir> writable by this user
 * (chmod u+rwx, or chown it to this user)": a directory that is writable, a remedy that changes
 * nothing. Now EFBIG is told as what it is (core/unwritable-fix): the file size limit, and how to
 * raise it; the first answer is complete and the process lives (Bun ignores SIGXFSZ). The compiled
 * binary under `bash -c 'ulimit -f 8'`, the SDK's real Client, server-memory from node_modules.
 */
import { beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { BIN, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

test.skipIf(process.platform !== "linux")("a file size limit below the stored first answer: the warning names the limit, not permissions", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "mem.jsonl") } } } })
  // 8 KiB: the early index (< 1 KiB) fits, server-memory's stored answer (~28 KiB) does not
  const transport = new StdioClientTransport({ command: "bash", args: ["-c", 'ulimit -f 8 && exec "$0" "$@"', BIN, "serve", "--config", cfg], env, stderr: "pipe", cwd: env.HOME })
  let err = ""
  transport.stderr?.on("data", (d: Buffer) => (err += d.toString()))
  const client = new Client({ name: "test-client", version: "1.0.0" })
  await client.connect(transport)
  try {
    expect(await listUntil(client, "memory__read_graph")).toContain("memory__create_entities")
    await waitFor("a write to fail", () => err.includes('"EFBIG') || err.includes("EFBIG"), 30_000)
  } finally {
    await client.close()
  }
  const warnings = err.split("\n").filter((l) => /"level":"(warn|error)"/.test(l))
  expect(warnings.length).toBe(1)
  expect(warnings[0]).toContain("ulimit -f")
  expect(warnings[0]).not.toContain("chmod")
}, 90_000)
