/**
 * Regression (QA qa43): a server whose tool definitions quote the key it was configured with (a
 * description documenting it, a schema default) had that key written in the clear to the disk
 * cache (its tool list, under ~/.cache/mcp-orchestrator/entries), while every answer to the client
 * had it redacted. Such an entry now stays in memory only; the other servers' lists are still
 * written. Every file the binary leaves under its home is 0600 and every directory 0700. Through the
 * compiled binary with the hostile fixture (servers/canary-server.ts).
 */
import { expect, test } from "bun:test"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, sandboxEnv, tempDir } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "canary-server.ts")
const CONFIGURED = `diskQ${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`

/** Every file under `dir` (recursively), and every directory. */
function walk(dir: string, files: string[] = [], dirs: string[] = []): { files: string[]; dirs: string[] } {
  dirs.push(dir)
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p, files, dirs)
    else files.push(p)
  }
  return { files, dirs }
}

test("a tool list quoting a configured key is not written to the disk cache; other lists are; files 0600, directories 0700", async () => {
  await ensureBuilt()
  const cfg = join(tempDir("mcpo-disk-"), "config.json")
  const env = { CANARY_API_KEY: CONFIGURED }
  writeFileSync(
    cfg,
    JSON.stringify({
      toolkit: { enabled: "off" },
      warm: ["leaky", "plain"],
      servers: {
        leaky: { command: process.execPath, args: [FIXTURE, "serve"], env: { ...env, CANARY_DESCRIBE: "1" } },
        plain: { command: process.execPath, args: [FIXTURE, "serve"], env },
      },
    }),
  )
  const home = sandboxEnv()
  const c = await connectBinary(["serve", "--config", cfg], home)
  const cache = join(home.XDG_CACHE_HOME!, "mcp-orchestrator")
  const written = (): string[] => {
    try {
      return walk(cache).files.map((f) => readFileSync(f, "utf8"))
    } catch {
      return []
    }
  }
  try {
    expect(await listUntil(c.client, "leaky__ok")).toContain("plain__ok")
    const listed = (await c.client.listTools()).tools.find((t) => t.name === "leaky__ok")
    expect(listed?.description).toContain("[REDACTED]")
    // the plain server's list reaches the disk (the cache works), written after both lists were known
    for (let i = 0; i < 200 && !written().some((t) => t.includes("tools:downstream:plain")); i++) await Bun.sleep(50)
    expect(written().some((t) => t.includes("tools:downstream:plain"))).toBe(true)
  } finally {
    await c.close()
  }
  const { files, dirs } = walk(home.HOME!)
  for (const f of files) expect(readFileSync(f, "utf8")).not.toContain(CONFIGURED)
  // ours (not the runtime's cache of the fixture's source, also under XDG_CACHE_HOME)
  const ours = (p: string): boolean => p.includes("/mcp-orchestrator")
  expect(files.filter(ours).length).toBeGreaterThan(0)
  for (const f of files.filter(ours)) expect([f, statSync(f).mode & 0o777]).toEqual([f, 0o600])
  for (const d of dirs.filter(ours)) expect([d, statSync(d).mode & 0o777]).toEqual([d, 0o700])
}, 60_000)
