/**
 * A pins file set to a device, a FIFO or a socket (`proxy.pinsFile: /dev/null`, to keep no pins
 * file) is left as it is: never read as a damaged pins file, renamed aside as `.corrupt` and
 * replaced by a regular file — run as root with /dev/null, that took the system's /dev/null away
 * (every program's `> /dev/null` then wrote into a file) — and never opened for a read that blocks
 * (a FIFO held the start until a writer came). One warning says what to do; the tools are listed
 * and pinned in memory. The compiled binary, the SDK's real Client, server-memory.
 */
import { beforeAll, expect, test } from "bun:test"
import { lstatSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

/** Makes the special file at `path` (a FIFO as any user; a character device like /dev/null as root). */
function make(kind: "fifo" | "device", path: string): boolean {
  const r = kind === "fifo" ? Bun.spawnSync(["mkfifo", path]) : Bun.spawnSync(["mknod", "-m", "666", path, "c", "1", "3"])
  return r.exitCode === 0
}

for (const [kind, pinTools] of [["fifo", "warn"], ["device", "warn"], ["fifo", "block"]] as const) {
  test(`a pins file that is a ${kind} (pinTools: ${pinTools}): left as it is, the tools listed, one warning with what to do`, async () => {
    const env = sandboxEnv()
    const pinsFile = join(env.HOME!, "pins-here")
    if (!make(kind, pinsFile)) {
      // mknod needs root (CAP_MKNOD): the FIFO case stands for the class then
      expect(kind).toBe("device")
      return
    }
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, proxy: { pinsFile, pinTools }, servers: { memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "mem.jsonl") } } } })
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect(await listUntil(c.client, "memory__read_graph")).toContain("memory__create_entities")
    } finally {
      await c.close()
    }
    const st = lstatSync(pinsFile)
    expect(kind === "fifo" ? st.isFIFO() : st.isCharacterDevice()).toBe(true)
    expect(readdirSync(env.HOME!).filter((f) => f.startsWith("pins-here."))).toEqual([])
    const warnings = c
      .stderr()
      .split("\n")
      .filter((l) => /"level":"(warn|error)"/.test(l))
    expect(warnings.length).toBe(1)
    expect(warnings[0]).toContain(`${pinsFile} is a ${kind === "fifo" ? "FIFO" : "device"}, not a regular file`)
    expect(warnings[0]).toContain("point proxy.pinsFile (MCPO_PROXY_PINS_FILE) at a regular file")
  }, 60_000)
}
