/**
 * The start's synchronous wait for a FIFO's writer (core/user-file) ends when the client is gone:
 * a SIGTERM or SIGINT already held by early-signals (it came just before the wait, its handler ran
 * before the wait began) ends it at once, not after the 5 s (core/start-end). In a child process:
 * a wait that is not ended is seen as ENOWRITER after 5 s, not a hung test.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const SRC = join(import.meta.dir, "..", "..", "src")
const dir = mkdtempSync(join(tmpdir(), "qa-start-end-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(process.platform === "win32")("a held signal ends the start's wait for a FIFO's writer", () => {
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    test(`${sig} held before the wait: ended at once`, () => {
      const fifo = join(dir, `${sig}.fifo`)
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0)
      const body = `
        const { holdSignals } = await import(${JSON.stringify(join(SRC, "early-signals.ts"))})
        const core = await import(${JSON.stringify(join(SRC, "core/index.ts"))})
        const held = holdSignals()
        process.kill(process.pid, ${JSON.stringify(sig)})
        await Bun.sleep(200) // its handler runs: held
        const watch = { signals: () => held.pending?.() ?? [], end: (why, waited) => { console.log("ended", why, waited); process.exit(0) } }
        try {
          (core.whileStarting ?? ((w, f) => f()))(watch, () => core.readTextFile(${JSON.stringify(fifo)}, 1 << 20))
          console.log("read")
        } catch (e) { console.log("waited out", e.code) }`
      const r = spawnSync(process.execPath, ["-e", body], { cwd: SRC, timeout: 20_000, killSignal: "SIGKILL", encoding: "utf8" })
      expect(r.stdout.trim()).toBe(`ended ${sig} ${fifo}`)
      expect(r.status).toBe(0)
    }, 30_000)
  }
})
