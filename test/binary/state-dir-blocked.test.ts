/**
 * Regression (QA qa360): a file (or a symlink loop) where the state directory should be
 * (`$XDG_STATE_HOME/mcp-orchestrator`, pins and protocol eras) gave two warnings for one cause,
 * and both were wrong: the pins store's remedy for a loop was "check the disk"; and the protocol-era store called its file "damaged" (ENOTDIR/ELOOP from
 * the directory above it) with the remedy "nothing to do: the next verdict rewrites it", which it
 * cannot. Now the era store tells a problem of the file's place (not of its content) at info, with
 * what to do; the one warning is the pins store's (it has the remedy, and the cost that matters);
 * the first answer is complete. The compiled binary, the SDK's real Client, server-memory from
 * node_modules.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

const blockers: Record<string, (stateDir: string) => void> = {
  "a file": (stateDir) => writeFileSync(stateDir, "not a directory"),
  "a symlink loop": (stateDir) => symlinkSync(stateDir, stateDir),
}

for (const [what, block] of Object.entries(blockers)) {
  test(`${what} where the state directory should be: one warning with the remedy, the era file not called damaged`, async () => {
    const env = sandboxEnv()
    env.XDG_STATE_HOME = join(env.HOME!, "state")
    mkdirSync(env.XDG_STATE_HOME, { recursive: true })
    const stateDir = join(env.XDG_STATE_HOME, "mcp-orchestrator")
    block(stateDir)
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "mem.jsonl") } } } })
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect(await listUntil(c.client, "memory__read_graph")).toContain("memory__create_entities")
      // every cause met: the pins store found the directory (a write for a file in the way, a read for a loop);
      // the era store read at the first connect
      await waitFor("the pins store to fail", () => /"level":"warn","component":"pins"/.test(c.stderr()), 30_000)
    } finally {
      await c.close()
    }
    const lines = c.stderr().split("\n")
    const warnings = lines.filter((l) => /"level":"(warn|error)"/.test(l))
    expect(warnings.length).toBe(1)
    expect(warnings[0]).toContain(stateDir)
    // the remedy says what stands in the way, not "check the disk"
    expect(warnings[0]).not.toContain("check the disk")
    expect(c.stderr()).not.toContain("protocol era file damaged")
    const era = lines.find((l) => l.includes(`"component":"eras"`))
    expect(era).toBeDefined()
    expect(era).toContain(join(stateDir, "protocol-eras.json"))
    expect(era).not.toContain("nothing to do")
  }, 90_000)
}
