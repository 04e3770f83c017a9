/**
 * Regression (QA qa287): a pins file that this user may not read (mode 0600 and another user's, a
 * chmod 000) was taken for a damaged one: the next write renamed it to `pins.json.corrupt` and
 * pinned every tool afresh, although the file was fine — its pins (and a change waiting for
 * approval) were set aside for good by a permissions slip. Now the file is left as it is, pins live
 * in memory meanwhile, and one warning says what to do (make it readable). The compiled binary, the
 * SDK's real Client, server-memory from node_modules (as root, the binary runs as nobody: root
 * reads any file).
 */
import { beforeAll, expect, test } from "bun:test"
import { execFileSync } from "node:child_process"
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectAsNobody, IS_ROOT as isRoot, NOBODY, nobodyServer } from "../helpers/nobody-server.ts"
import { BIN, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"


beforeAll(ensureBuilt, 120_000)

test.skipIf(process.platform !== "linux")("a pins file this user cannot read is left as it is (not kept aside as damaged), with one warning saying what to do", async () => {
  const env = sandboxEnv()
  const stateDir = join(env.HOME!, "state")
  mkdirSync(stateDir, { recursive: true })
  const pinsFile = join(stateDir, "pins.json")
  const pins = JSON.stringify({ v: 1, servers: { memory: { read_graph: { hash: "0".repeat(64), firstSeen: "2026-01-01T00:00:00.000Z" } } } })
  writeFileSync(pinsFile, pins)
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, proxy: { pinsFile }, servers: { memory: nobodyServer(env.HOME!) } })
  // as root: the binary runs as nobody in a home it owns, the pins file root's own (0600)
  if (isRoot) {
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, env.HOME!])
    execFileSync("chown", ["0:0", pinsFile])
    chmodSync(pinsFile, 0o600)
  } else chmodSync(pinsFile, 0o000)
  const argv = ["serve", "--config", cfg]
  const { client, transport, stderr } = await connectAsNobody(BIN, argv, env)
  const pid = transport.pid
  try {
    // its tools listed and pinned (new pins are written shortly after, and at the latest at exit)
    expect(await listUntil(client, "memory__read_graph")).toContain("memory__create_entities")
  } finally {
    await client.close()
  }
  await waitFor("the orchestrator to exit", () => {
    try {
      process.kill(pid!, 0)
      return false
    } catch {
      return true
    }
  }, 15_000)
  if (!isRoot) chmodSync(pinsFile, 0o600)
  // the file is as it was: not renamed aside, not written over
  expect(readdirSync(stateDir).filter((f) => f.includes("corrupt"))).toEqual([])
  expect(existsSync(pinsFile)).toBe(true)
  expect(readFileSync(pinsFile, "utf8")).toBe(pins)
  const warnings = stderr().split("\n").filter((l) => /"level":"(warn|error)"/.test(l))
  expect(warnings.length).toBe(1)
  expect(warnings[0]).toContain("cannot read the tool pins file")
  expect(warnings[0]).toContain(`chmod u+rw ${pinsFile}`)
}, 90_000)
