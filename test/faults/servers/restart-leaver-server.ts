/**
 * @module test/faults/servers/restart-leaver-server
 * A downstream (raw JSON-RPC over stdio, run with `bun`) that leaves a helper nothing of ours marks
 * and exits, as a crashing server does at every restart: it starts `setsid sh -c 'trap "" TERM;
 * sleep 300 & wait'` directly (a session of its own, stdio on /dev/null, the environment cleared:
 * no `MCPO_OWNER`, no pipe of ours; the sh ignores SIGTERM, its sleep does not), appends
 * "<server pid> <helper sh pid> <its sleep pid>" to `--pid-file`, serves, and exits with code 3
 * after `--live-ms` (default 700). The helper's parent is the server: when it exits, the helper is
 * re-parented (to the orchestrator, a child subreaper). Tool `ping_me` answers "pong".
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs"
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

const argv = process.argv.slice(2)
const pidFile = argv[argv.indexOf("--pid-file") + 1]!
const liveAt = argv.indexOf("--live-ms")
const liveMs = liveAt >= 0 ? Number(argv[liveAt + 1]) : 700

const setsid = Bun.which("setsid")!
const sh = Bun.which("sh")!
const own = `${pidFile}.${process.pid}`
// the sh writes its pid and its sleep's to a file of this generation (its stdio is /dev/null)
const script = `trap "" TERM; ${Bun.which("sleep")} 300 </dev/null >/dev/null 2>&1 & echo $$ $! > "$0.tmp"; ${Bun.which("mv")} "$0.tmp" "$0"; wait`
const helper = Bun.spawn([setsid, sh, "-c", script, own], { env: {}, stdio: ["ignore", "ignore", "ignore"] })
helper.unref()
while (!existsSync(own)) await Bun.sleep(10)
appendFileSync(pidFile, `${process.pid} ${readFileSync(own, "utf8").trim()}\n`)

serveRawStdio({
  name: "restart-leaver",
  tools: [{ name: "ping_me", description: "Answers pong", inputSchema: { type: "object" } }],
  call: () => ({ content: [{ type: "text", text: "pong" }] }),
})
setTimeout(() => process.exit(3), liveMs)
