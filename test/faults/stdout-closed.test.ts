/**
 * A client that closes its end of our stdout (it reads no more answers) while keeping our stdin open:
 * no answer can reach it, so the serve stops as on stdin EOF, and its downstreams go with it. Before,
 * it served on (answers lost to EPIPE) with every downstream running for as long as stdin stayed open.
 */
import { beforeAll, expect, test } from "bun:test"
import { spawn } from "node:child_process"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }

test("the client closes our stdout and keeps stdin open: the serve stops (stderr says why) and its downstreams are gone", async () => {
  const dir = tempDir("mcpo-stdout-closed-")
  const pidFile = join(dir, "pids")
  const config = join(dir, "config.yaml")
  writeFileSync(config, `servers:\n  a: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(STUBBORN)}, "--pid-file", ${JSON.stringify(pidFile)}] }\nwarm: [a]\n`)
  const env = sandboxEnv()
  const child = spawn(BIN, ["serve", "--config", config], { env, cwd: env.HOME, stdio: ["pipe", "pipe", "pipe"] })
  let stderr = ""
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  let exitedYet = false
  void exited.then(() => (exitedYet = true))
  child.stdin!.on("error", () => {}) // writes after its exit
  child.stdin!.write(JSON.stringify(INIT) + "\n")
  // the answer to initialize arrives, then the downstream is up (it reports its pid and its grandchild's)
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()))
  for (let i = 0; i < 400 && !(existsSync(pidFile) && readFileSync(pidFile, "utf8").split(/\s+/).filter(Boolean).length >= 2); i++) await Bun.sleep(25)
  const pids = readFileSync(pidFile, "utf8").split(/\s+/).filter(Boolean).map(Number)
  expect(pids.length).toBeGreaterThanOrEqual(2)

  // our end of its stdout closes; stdin stays open and requests keep coming
  child.stdout!.destroy()
  for (let i = 0; i < 150 && !exitedYet; i++) {
    child.stdin!.write(JSON.stringify({ jsonrpc: "2.0", id: 10 + i, method: "tools/list" }) + "\n")
    await Bun.sleep(100)
  }
  expect(exitedYet).toBe(true)
  expect(await exited).toBe(0)
  expect(stderr).toContain('"reason":"stdout closed"')
  for (let i = 0; i < 300 && pids.some(isAlive); i++) await Bun.sleep(50)
  expect(pids.filter(isAlive)).toEqual([])
  child.stdin!.destroy()
}, 30_000)
