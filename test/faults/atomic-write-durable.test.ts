/**
 * A state file (pins, OAuth record, protocol eras, stored first answer, Cursor's mcp.json) written
 * by core/atomic-write reaches the disk before it replaces the old one: its temp file is fsynced
 * before the rename. Without it, a power loss or VM reset soon after a write can leave the renamed
 * file empty or zero-filled (ext4 without auto_da_alloc, XFS): a pins file then reads as damaged
 * and every pin is lost. Seen with strace (the only way to see an fsync without cutting the power);
 * skipped where strace is missing or not allowed.
 */
import { expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT, tempDir } from "../helpers/binary.ts"

const strace = Bun.which("strace")
const allowed = strace !== null && Bun.spawnSync([strace, "-o", "/dev/null", "true"]).exitCode === 0

test.skipIf(!allowed)("the temp file is fsynced before it is renamed over the state file", () => {
  const dir = tempDir("mcpo-durable-")
  const target = join(dir, "pins.json")
  const log = join(dir, "trace")
  const script = `const { writeFileAtomic } = await import(${JSON.stringify(join(ROOT, "src", "core", "atomic-write.ts"))}); writeFileAtomic(${JSON.stringify(target)}, '{"v":1,"servers":{}}')`
  const r = Bun.spawnSync([strace!, "-f", "-o", log, "-e", "trace=open,openat,fsync,fdatasync,rename,renameat,renameat2", process.execPath, "-e", script])
  expect(r.exitCode).toBe(0)
  expect(readFileSync(target, "utf8")).toBe('{"v":1,"servers":{}}')
  const lines = readFileSync(log, "utf8").split("\n")
  const opened = lines.findIndex((l) => l.includes(`${target}.`) && l.includes(".tmp") && /open(at)?\(/.test(l) && /= \d+$/.test(l))
  expect(opened).toBeGreaterThanOrEqual(0)
  const fd = /= (\d+)$/.exec(lines[opened]!)![1]
  const synced = lines.findIndex((l, i) => i > opened && new RegExp(`f(data)?sync\\(${fd}\\)\\s+= 0`).test(l))
  const renamed = lines.findIndex((l) => /rename(at2?)?\(/.test(l) && l.includes(`${target}.`) && l.includes(".tmp"))
  expect(synced).toBeGreaterThan(opened)
  expect(renamed).toBeGreaterThan(synced)
})
