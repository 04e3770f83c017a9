/**
 * A config reload reads the envFiles again, synchronously, on the serve's event loop: an envFile
 * that is a FIFO got the start's 5 s for a writer, and every request, every signal, waited that
 * long. A reload waits SERVING_FIFO_WAIT_MS (as a server's retried start does): a writer that comes
 * later than that finds the server failed for its envFile (retried with backoff), not a held serve.
 * Proven without a clock: a writer that comes 3 s after the reload began is read by the start's
 * wait, and not by the reload's.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadFromFlags } from "../../src/cli/flags.ts"
// a namespace import: on the code before the fix the test fails on what it checks, not on an import
import * as config from "../../src/config/index.ts"
import type { StdioServerSpec } from "../../src/config/index.ts"

const dir = mkdtempSync(join(tmpdir(), "mcpo-reload-fifo-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(process.platform === "win32")("a reload and an envFile that is a FIFO", () => {
  test("the reload does not wait the start's 5 s for a writer", () => {
    const env = join(dir, "x.env")
    const cfg = join(dir, "config.yaml")
    writeFileSync(cfg, `servers:\n  x:\n    command: node\n    args: [s.js]\n`)
    const loaded = loadFromFlags({ config: cfg })
    // now the config names an envFile that is a FIFO no program writes to yet
    writeFileSync(cfg, `servers:\n  x:\n    command: node\n    args: [s.js]\n    envFile: ${env}\n`)
    expect(spawnSync("mkfifo", [env]).status).toBe(0)
    // a writer 3 s from now: within the start's 5 s, far past the reload's wait
    const writer = spawn("sh", ["-c", `sleep 3; echo K=from-fifo > '${env}'`], { stdio: "ignore", detached: true })
    try {
      expect((config as { SERVING_FIFO_WAIT_MS?: number }).SERVING_FIFO_WAIT_MS ?? 250).toBeLessThan(3_000)
      const next = loaded.reload!()
      const spec = next.config.servers.x as StdioServerSpec
      // not read: the server is failed for its envFile (and tried again with backoff, reading it then)
      expect(spec.env?.K).toBeUndefined()
      expect(config.envFileFailure(spec)?.code).toBe("ENOWRITER")
      expect(next.warnings?.join("\n")).toContain("x.env")
    } finally {
      // its group: the shell and its sleep
      try {
        process.kill(-writer.pid!, "SIGKILL")
      } catch {
        // ended already
      }
    }
  })
})
