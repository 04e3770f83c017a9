/**
 * A raw stdio server that ends by itself once up, the way `argv[2]` says: `after-init` writes why on
 * stderr ("Error: DB_URL is not set") and exits 1 once initialized; `on-call` answers its lists, then
 * writes "fatal: worker pool crashed" and exits 1 on any tools/call; `oom` is SIGKILLed on a call
 * (as the kernel's out-of-memory killer does); `closing` says why, closes its stdin and exits 300 ms
 * later (our next write fails with EPIPE before its exit is seen, as when a crash races it). For test/faults/crash-reasons.test.ts.
 */
import { closeSync } from "node:fs"
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

const mode = process.argv[2]
process.stderr.write(`crashing server (${mode}) starting\n`)
serveRawStdio({
  name: `crashing-${mode}`,
  tools: [{ name: "boom", inputSchema: { type: "object" } }],
  before(method) {
    if (method !== "notifications/initialized") return
    if (mode === "closing") {
      process.stderr.write("Error: REDIS_URL is not set\n")
      // its reader let go first: closing the descriptor under a live reader crashes at once (EBADF)
      process.stdin.removeAllListeners()
      process.stdin.pause()
      process.stdin.on("error", () => {})
      closeSync(0)
      setTimeout(() => process.exit(1), 300)
    }
    if (mode !== "after-init") return
    process.stderr.write("Error: DB_URL is not set\n")
    process.exit(1)
  },
  call() {
    if (mode === "oom") process.kill(process.pid, "SIGKILL")
    process.stderr.write("fatal: worker pool crashed\n")
    process.exit(1)
  },
})
