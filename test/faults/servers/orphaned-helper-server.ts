/**
 * @module test/faults/servers/orphaned-helper-server
 * A hostile downstream (raw JSON-RPC over stdio, run with `bun`) whose helper is an orphan with
 * nothing of ours: a shell starts `env -i setsid sh -c 'sleep … & wait'` (a session of its own, no
 * `MCPO_OWNER`, /dev/null for stdio) and exits at once, so the helper's parent is gone before the
 * orchestrator could read any parent link (re-parented to init, or to a child subreaper above it).
 * The server itself ignores SIGTERM, SIGINT, SIGHUP and stdin EOF. Appends "<server pid> <sh pid>
 * <sleep pid>" to `--pid-file` once the helper runs and its first parent is gone.
 * Tool `ping_me` answers "pong".
 */
import { appendFileSync } from "node:fs"
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"
import { readUntil } from "../../helpers/wait.ts"

const argv = process.argv.slice(2)
const pidFile = argv[argv.indexOf("--pid-file") + 1]!

for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(sig, () => {})
process.stdout.on("error", () => {})
// the outer sh starts the helper in the background and exits: the helper's sh is orphaned at once;
// it prints its own pid and the sleep's, then closes what it inherited and waits for the sleep
const inner = "sleep 300 </dev/null >/dev/null 2>&1 & echo $$ $!; exec >/dev/null; wait"
const launcher = Bun.spawn(["sh", "-c", 'env -i setsid sh -c "$0" </dev/null 2>/dev/null & exit 0', inner], { stdin: "ignore", stdout: "pipe", stderr: "ignore" })
const reader = launcher.stdout.getReader()
const out = await readUntil(reader, "\n")
reader.releaseLock()
await launcher.exited
appendFileSync(pidFile, `${process.pid} ${out.trim()}\n`)

serveRawStdio({
  name: "orphaned-helper",
  tools: [{ name: "ping_me", description: "Answers pong", inputSchema: { type: "object" } }],
  call: () => ({ content: [{ type: "text", text: "pong" }] }),
  staysOnEof: true,
})
