/**
 * `pins` commands on a pins file they cannot use (QA qa287):
 * - a damaged one (0 bytes after a power loss): `pins list` said "file not read" with nothing on what
 *   to do, `pins reset` (the remedy its warning names) said "forgot 0 pins" and left it damaged
 *   (nothing to forget: nothing was written). Now list shows the remedy, reset keeps it aside and
 *   writes a new one, approve says it could not read the file (exit 1), not "nothing waits".
 * - one this user cannot read (as root, run as nobody): approve and reset said "nothing waits for
 *   approval" / "server … has no tool pinned yet" (exit 0 / 2) as if it held no pins; now they say
 *   the file was not read and what to do (chmod), exit 1, and leave it as it is.
 */
import { expect, test } from "bun:test"
import { execFileSync } from "node:child_process"
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

const NOBODY = 65534
const isRoot = process.getuid?.() === 0

function world() {
  const env = sandboxEnv()
  const dir = join(env.HOME!, "state")
  mkdirSync(dir, { recursive: true })
  const pinsFile = join(dir, "pins.json")
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { fs: { command: "true" } }, proxy: { pinTools: "block", pinsFile } }))
  return { env, pinsFile, cfg }
}

test("a damaged pins file: list says what to do, approve says it was not read, reset keeps it aside and replaces it", async () => {
  await ensureBuilt()
  const { env, pinsFile, cfg } = world()
  writeFileSync(pinsFile, "")
  const run = (...args: string[]) => {
    const r = Bun.spawnSync([BIN, "pins", ...args, "--config", cfg], { env, cwd: env.HOME })
    return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() }
  }
  const list = run("list")
  expect(list.out).toContain("file not read")
  expect(list.out).toContain("what to do: nothing to do: the next write keeps it as pins.json.corrupt")
  const approve = run("approve")
  expect(approve.code).toBe(1)
  expect(approve.err).toContain("pins file not read")
  expect(approve.out).not.toContain("nothing waits for approval")
  const reset = run("reset")
  expect(reset.code).toBe(0)
  expect(existsSync(`${pinsFile}.corrupt`)).toBe(true)
  expect(JSON.parse(readFileSync(pinsFile, "utf8"))).toMatchObject({ v: 1, servers: {} })
  expect(run("list").out).not.toContain("file not read")
}, 30_000)

test.skipIf(process.platform !== "linux")("a pins file this user cannot read: approve and reset say so with the remedy, exit 1, and leave it alone", async () => {
  await ensureBuilt()
  const { env, pinsFile, cfg } = world()
  const at = "2026-12-01T00:00:00.000Z"
  const pins = JSON.stringify({ v: 1, servers: { fs: { read_file: { hash: "a".repeat(64), firstSeen: at, pending: { hash: "b".repeat(64), seen: at } } } } })
  writeFileSync(pinsFile, pins)
  if (isRoot) {
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, env.HOME!])
    execFileSync("chown", ["0:0", pinsFile])
    chmodSync(pinsFile, 0o600)
  } else chmodSync(pinsFile, 0o000)
  const run = (...args: string[]) => {
    const argv = [BIN, "pins", ...args, "--config", cfg]
    const r = Bun.spawnSync(isRoot ? ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", ...argv] : argv, { env, cwd: env.HOME })
    return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() }
  }
  for (const args of [["approve"], ["approve", "fs/read_file"], ["reset"], ["reset", "fs"]]) {
    const r = run(...args)
    expect({ args, code: r.code }).toEqual({ args, code: 1 })
    expect(r.err).toContain("pins file not read")
    expect(r.err).toContain(`chmod u+rw ${pinsFile}`)
  }
  if (!isRoot) chmodSync(pinsFile, 0o600)
  expect(readFileSync(pinsFile, "utf8")).toBe(pins)
  expect(existsSync(`${pinsFile}.corrupt`)).toBe(false)
}, 30_000)
