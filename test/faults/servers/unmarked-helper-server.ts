/**
 * @module test/faults/servers/unmarked-helper-server
 * A hostile downstream (raw JSON-RPC over stdio, run with `bun`) whose helper carries nothing the
 * orchestrator could know it by: it ignores SIGTERM, SIGINT, SIGHUP and stdin EOF, and starts
 * `env -i setsid sh -c 'sleep 300 </dev/null >/dev/null 2>&1 & …; wait'`: a session of its own
 * (a group kill misses it), a scrubbed environment (no `MCPO_OWNER`), /dev/null for stdio (none of
 * the server's pipes), and a `sleep` below it. Only the parent links lead to it (server → sh →
 * sleep). Appends "<server pid> <sh pid> <sleep pid>" to `--pid-file` once all three run.
 * It also lives on when its stdout is gone (EPIPE). Tool `ping_me` answers "pong".
 */
import { appendFileSync } from "node:fs"
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"
import { readUntil } from "../../helpers/wait.ts"

const argv = process.argv.slice(2)
const pidFile = argv[argv.indexOf("--pid-file") + 1]!

for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(sig, () => {})
// nor does a write to a client that is gone (EPIPE) end it
process.stdout.on("error", () => {})
// the sh prints its own pid and the sleep's, then waits for the sleep: it stays the sleep's parent
const helper = Bun.spawn(["env", "-i", "setsid", "sh", "-c", "sleep 300 </dev/null >/dev/null 2>&1 & echo $$ $!; exec >/dev/null; wait"], {
  stdin: "ignore",
  stdout: "pipe",
  stderr: "ignore",
})
const reader = helper.stdout.getReader()
const out = await readUntil(reader, "\n")
reader.releaseLock()
appendFileSync(pidFile, `${process.pid} ${out.trim()}\n`)

serveRawStdio({
  name: "unmarked-helper",
  tools: [{ name: "ping_me", description: "Answers pong", inputSchema: { type: "object" } }],
  call: () => ({ content: [{ type: "text", text: "pong" }] }),
  staysOnEof: true,
})
