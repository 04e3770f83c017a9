/**
 * A FIFO where a state, cache or other program's file should be (core/plain-file): each reader
 * answers at once as for a damaged or unusable file. Before, each opened it with readFileSync (a
 * blocking open(2)) and the process hung there for good, deaf to signals. Each read runs in a child
 * process: a read that blocks is seen as the child not ending (and is killed), not as a hung test.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const SRC = join(import.meta.dir, "..", "..", "src")
const dir = mkdtempSync(join(tmpdir(), "qa-fifo-state-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function fifo(path: string): string {
  mkdirSync(join(path, ".."), { recursive: true })
  const r = spawnSync("mkfifo", [path])
  if (r.status !== 0) throw new Error(`mkfifo ${path}: ${r.stderr}`)
  return path
}

/** Runs `body` (a module body that prints its answer) in a child; its stdout, or "HUNG" when it did not end within 10 s. */
function inChild(body: string): string {
  const r = spawnSync(process.execPath, ["-e", body], { cwd: SRC, timeout: 10_000, killSignal: "SIGKILL", encoding: "utf8" })
  if (r.signal === "SIGKILL") return "HUNG"
  if (r.status !== 0) throw new Error(r.stderr)
  return r.stdout.trim()
}

describe.skipIf(process.platform === "win32")("a FIFO in a file's place is refused at once, never waited on", () => {
  test("core/plain-file: ENOTREG naming the path", () => {
    const p = fifo(join(dir, "plain.json"))
    const out = inChild(`const { readPlainText } = await import(${JSON.stringify(join(SRC, "core/plain-file.ts"))}); try { readPlainText(${JSON.stringify(p)}); console.log("read") } catch (e) { console.log(e.code, e.message.includes(${JSON.stringify(p)})) }`)
    expect(out).toBe("ENOTREG true")
  })

  test("an OAuth record that is a FIFO: not logged in, and said as not a file", () => {
    const state = join(dir, "state")
    fifo(join(state, "oauth", "remote.json"))
    const out = inChild(`const { TokenStore } = await import(${JSON.stringify(join(SRC, "auth/store.ts"))}); const s = new TokenStore(${JSON.stringify(state)}); console.log(String(s.read("remote")), s.problemOf("remote"))`)
    expect(out).toContain("undefined")
    expect(out).toContain("is not a file")
  })

  test("the era verdicts file that is a FIFO: no verdict (detected again)", () => {
    const state = join(dir, "eras")
    fifo(join(state, "protocol-eras.json"))
    const out = inChild(`const { FileEraStore } = await import(${JSON.stringify(join(SRC, "pool/era-store.ts"))}); console.log(String(new FileEraStore(${JSON.stringify(state)}).get({ command: "x", args: [] })))`)
    expect(out).toBe("undefined")
  })

  test("~/.docker/config.json that is a FIFO: no extra plugin dirs, the Toolkit stamps unreadable", () => {
    const docker = join(dir, "docker")
    fifo(join(docker, "config.json"))
    const env = JSON.stringify({ DOCKER_CONFIG: docker, HOME: dir })
    const out = inChild(
      `const { pluginDirs } = await import(${JSON.stringify(join(SRC, "docker/cli-stamp.ts"))}); const { toolkitCliStamps } = await import(${JSON.stringify(join(SRC, "app/toolkit-files.ts"))}); console.log(pluginDirs(${env}, "linux")[0] === ${JSON.stringify(join(docker, "cli-plugins"))}, JSON.stringify(toolkitCliStamps(${env})[0]))`,
    )
    expect(out).toBe(`true ${JSON.stringify({ path: join(docker, "config.json"), size: -1, hash: "" })}`)
  })

  test("the Cursor import record that is a FIFO: no record", () => {
    const state = join(dir, "cursor-state")
    const env = JSON.stringify({ XDG_STATE_HOME: state, HOME: dir })
    const rec = inChild(`const { recordPath } = await import(${JSON.stringify(join(SRC, "app/cursor-record.ts"))}); console.log(recordPath(${env}))`)
    fifo(rec)
    const out = inChild(`const { importOf } = await import(${JSON.stringify(join(SRC, "app/cursor-record.ts"))}); console.log(String(importOf(${env}, ${JSON.stringify(join(dir, "mcp.json"))})))`)
    expect(out).toBe("undefined")
  })

  test("a server's command that is an executable FIFO: its start is judged without reading a #! line", () => {
    const cmd = fifo(join(dir, "bin", "server"))
    chmodSync(cmd, 0o755)
    const out = inChild(`const { startProblem } = await import(${JSON.stringify(join(SRC, "config/stdio-paths.ts"))}); console.log(String(startProblem("s", { command: ${JSON.stringify(cmd)} }, "/usr/bin:/bin")))`)
    expect(out).toBe("undefined")
  })
})
