/**
 * A client that closes its end of our stdout before the first answer went out (an editor that
 * kills the window's pipes while the server is still starting): the early face's `initialize`
 * answer gets EPIPE. The serve stops as at any later write that finds stdout closed: exit code 0,
 * JSON log lines only on stderr (reason "stdout closed"), nothing of its left running. Before, the
 * rejected write ended the process with the runtime's own dump (a source excerpt of the bundle and
 * a stack, not a JSON line) and exit code 1.
 */
import { beforeAll, expect, test } from "bun:test"
import { spawn } from "node:child_process"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const STUBBORN = join(import.meta.dir, "servers", "stubborn-server.ts")
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }

for (const withConfig of [false, true]) {
  test(`stdout closed before the initialize answer${withConfig ? " (a warm server configured)" : ""}: exit 0, JSON log lines, nothing left running`, async () => {
    const dir = tempDir("mcpo-early-stdout-closed-")
    const pidFile = join(dir, "pids")
    const args = ["serve"]
    if (withConfig) {
      const config = join(dir, "config.yaml")
      writeFileSync(config, `servers:\n  a: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(STUBBORN)}, "--pid-file", ${JSON.stringify(pidFile)}] }\nwarm: [a]\ntoolkit: { enabled: "off" }\nplugins: { enabled: false }\n`)
      args.push("--config", config)
    }
    const env = sandboxEnv()
    const child = spawn(BIN, args, { env, cwd: env.HOME, stdio: ["pipe", "pipe", "pipe"] })
    let stderr = ""
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    child.stdin!.on("error", () => {})
    // our end of its stdout is closed first: the very first answer it writes finds no reader
    child.stdout!.destroy()
    child.stdin!.write(JSON.stringify(INIT) + "\n")
    // stdin stays open: only the closed stdout can end it
    const code = await Promise.race([exited, Bun.sleep(15_000).then(() => "still running" as const)])
    if (code === "still running") child.kill("SIGKILL")
    expect(code).toBe(0)
    const lines = stderr.split("\n").filter((l) => l.trim() !== "")
    const notJson = lines.filter((l) => {
      try {
        return typeof JSON.parse(l) !== "object"
      } catch {
        return true
      }
    })
    expect(notJson).toEqual([])
    expect(stderr).toContain('"reason":"stdout closed"')
    const pids = existsSync(pidFile) ? readFileSync(pidFile, "utf8").split(/\s+/).filter(Boolean).map(Number) : []
    for (let i = 0; i < 300 && pids.some(isAlive); i++) await Bun.sleep(50)
    expect(pids.filter(isAlive)).toEqual([])
    child.stdin!.destroy()
  }, 30_000)
}
