/**
 * `pins approve` / `pins reset` of a server or tool that has no pins (a typo) is an error naming what
 * is pinned (exit 2), not "nothing waits for approval" / "forgot 0 pins" with exit 0, which reads as
 * done (QA 7a). A known target still works.
 */
import { expect, test } from "bun:test"
import { readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

test("an unknown server or tool is refused naming what is pinned; a known one is approved or reset", async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.json")
  const pinsFile = join(env.HOME!, "pins.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { fs: { command: "true" }, mem: { command: "true" } }, proxy: { pinTools: "block", pinsFile } }))
  const at = "2026-12-01T00:00:00.000Z"
  writeFileSync(pinsFile, JSON.stringify({ v: 1, servers: { fs: { read_file: { hash: "a".repeat(64), firstSeen: at, pending: { hash: "b".repeat(64), seen: at } } } } }))
  const run = (...args: string[]) => {
    const r = Bun.spawnSync([BIN, "pins", ...args, "--config", cfg], { env, cwd: env.HOME })
    return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() }
  }
  const typo = run("approve", "fss")
  expect(typo.code).toBe(2)
  expect(typo.err).toContain("no server fss is configured or pinned; servers with pins: fs")
  const notYet = run("reset", "mem")
  expect(notYet.code).toBe(2)
  expect(notYet.err).toContain("server mem is configured but has no tool pinned yet")
  const tool = run("approve", "fs/read_fil")
  expect(tool.code).toBe(2)
  expect(tool.err).toContain("server fs has no tool read_fil pinned; its pinned tools: read_file")
  const ok = run("approve", "fs/read_file")
  expect(ok.code).toBe(0)
  expect(ok.out).toContain("approved 1 changed tool definition")
  expect(run("reset", "fs").out).toContain("forgot 1 pin")
}, 30_000)

// none there: an empty one is made, the reset's record (a start that finds no file while tool lists are
// stored takes it for a deleted one and pins those lists again: test/binary/pins-vanished)
test("a reset with nothing pinned writes nothing: an existing pins.json keeps its bytes and time; none there, an empty one is made", async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.json")
  const pinsFile = join(env.HOME!, "pins.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { fs: { command: "true" } }, proxy: { pinTools: "block", pinsFile } }))
  const reset = () => Bun.spawnSync([BIN, "pins", "reset", "--config", cfg], { env, cwd: env.HOME })
  const none = reset()
  expect(none.exitCode).toBe(0)
  expect(none.stdout.toString()).toContain("forgot 0 pins")
  expect(JSON.parse(readFileSync(pinsFile, "utf8"))).toEqual({ v: 1, servers: {} })
  const text = JSON.stringify({ v: 1, servers: {} })
  writeFileSync(pinsFile, text)
  const before = statSync(pinsFile).mtimeMs
  expect(reset().exitCode).toBe(0)
  expect(readFileSync(pinsFile, "utf8")).toBe(text)
  expect(statSync(pinsFile).mtimeMs).toBe(before)
}, 30_000)
