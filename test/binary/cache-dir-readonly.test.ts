/**
 * Regression (QA qa360): a cache directory its owner made read-only (chmod 555, `chmod a-w` to
 * freeze the cache, a read-only home's copy) was made writable again by the first start: the cache
 * set its directories to 0700 to keep other users out, adding the owner's write bit too, and then
 * wrote into it (this start's entries, the next start's stored answer). Now only the group and
 * other bits are taken off: the directory stays read-only, nothing is written into it, the cache
 * says once that it cannot write there, and the first answer is complete. The compiled binary as
 * nobody (root here: chmod does not deny root), the SDK's real Client.
 */
import { beforeAll, expect, test } from "bun:test"
import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs"
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { connectAsNobody, IS_ROOT, NOBODY, nobodyServer } from "../helpers/nobody-server.ts"
import { BIN, ensureBuilt, listUntil, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

test.skipIf(process.platform !== "linux")("a read-only cache directory stays read-only: nothing written into it, one warning, a complete first answer", async () => {
  const env = sandboxEnv()
  const cacheDir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  mkdirSync(cacheDir, { recursive: true })
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { memory: nobodyServer(env.HOME!) } })
  if (IS_ROOT) execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, env.HOME!])
  chmodSync(cacheDir, 0o555)
  try {
    const { client, stderr } = await connectAsNobody(BIN, ["serve", "--config", cfg], env)
    try {
      expect(await listUntil(client, "memory__read_graph")).toContain("memory__create_entities")
      await waitFor("the cache to find it not writable", () => stderr().includes("cache directory not writable"), 30_000)
    } finally {
      await client.close()
    }
    // the owner's bits as left (r-x); the group's and others' taken off, as before
    expect(statSync(cacheDir).mode & 0o777).toBe(0o500)
    expect(readdirSync(cacheDir)).toEqual([])
    const cacheWarnings = stderr().split("\n").filter((l) => /"level":"(warn|error)"/.test(l) && l.includes(cacheDir))
    expect(cacheWarnings.length).toBe(1)
  } finally {
    chmodSync(cacheDir, 0o700)
  }
}, 90_000)
