/**
 * A stdio downstream that exits while a helper it started still holds its stdout (a `setsid`
 * grandchild that inherited it): once the exit is seen (and what the server wrote before it is
 * read), the transport stops reading that stdout. Before, the read went on for as long as the helper
 * lived: whatever the helper wrote was still delivered as the dead server's messages after the
 * transport had closed, and the pipe and the whole session stayed referenced by the pending read.
 * Now the transport's end is closed: the helper's next write fails (EPIPE), nothing reaches
 * `onmessage` after `onclose`.
 */
import { expect, test } from "bun:test"
import { createLogger, createLogHub } from "../../src/core/index.ts"
import { StdioChildTransport } from "../../src/pool/index.ts"
import { isAlive } from "../helpers/proc.ts"
import { tempDir } from "../helpers/binary.ts"
import { join } from "node:path"
import { existsSync, readFileSync } from "node:fs"

test.skipIf(process.platform === "win32")("a server's helper holding its stdout: nothing read from it once the server exited", async () => {
  const dir = tempDir("mcpo-exited-out-")
  const pidFile = join(dir, "helper.pid")
  // the helper writes a JSON-RPC notification every 20 ms until a write fails; the server exits at once
  const helper = `echo $$ > "$1"; while printf '%s\\n' '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"from the helper"}}'; do sleep 0.02; done`
  const t = new StdioChildTransport({
    server: "h",
    command: "sh",
    args: ["-c", `setsid sh -c "$0" helper "$1" & while [ ! -s "$1" ]; do sleep 0.01; done; exit 0`, helper, pidFile],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    maxFrameBytes: 1 << 20,
    log: createLogger(createLogHub("error", () => {})),
    closeGraceMs: 200,
  })
  let closed = false
  let afterClose = 0
  const gone = new Promise<void>((r) => (t.onclose = () => ((closed = true), r())))
  t.onmessage = () => {
    if (closed) afterClose++
  }
  await t.start()
  let pid = 0
  try {
    await gone
    for (let i = 0; i < 1500 && !existsSync(pidFile); i++) await Bun.sleep(10)
    pid = Number(readFileSync(pidFile, "utf8").trim())
    expect(pid).toBeGreaterThan(0)
    // the helper's writes fail once our end is closed (it ends its loop): waited for at most 5 s
    for (let i = 0; i < 250 && isAlive(pid); i++) await Bun.sleep(20)
    expect(isAlive(pid)).toBe(false)
    expect(afterClose).toBe(0)
  } finally {
    if (pid > 0 && isAlive(pid)) process.kill(pid, "SIGKILL")
    await t.close()
  }
}, 15_000)
