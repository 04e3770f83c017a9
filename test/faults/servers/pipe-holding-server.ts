/**
 * @module test/faults/servers/pipe-holding-server
 * A downstream (raw JSON-RPC over stdio, run with `bun`) whose helper keeps the server's stdout and
 * stderr open after the server is gone, with nothing else tying it to the orchestrator: started as
 * `setsid env -u MCPO_OWNER sh -c 'sleep 300 & …; wait'` (a session of its own, the orchestrator's
 * mark scrubbed from its environment), it inherits the server's stdout and stderr; once the server
 * exits, it is re-parented away (its parent chain no longer leads to the orchestrator's child).
 * Appends "<helper pid> <its sleep's pid>" to `--pid-file` once both run. The server exits on stdin
 * EOF and on a call of its tool `exit` (mid-run).
 */
import { existsSync, readFileSync } from "node:fs"
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

const argv = process.argv.slice(2)
const pidFile = argv[argv.indexOf("--pid-file") + 1]!
const before = existsSync(pidFile) ? readFileSync(pidFile, "utf8").length : 0

Bun.spawn(["setsid", "env", "-u", "MCPO_OWNER", "sh", "-c", `sleep 300 & echo "$$ $!" >> "$1"; wait`, "pipe-holder", pidFile], {
  stdin: "ignore",
  stdout: "inherit",
  stderr: "inherit",
})
// the helper is up (it wrote its line) before the server answers anything
while (!(existsSync(pidFile) && readFileSync(pidFile, "utf8").length > before)) await Bun.sleep(10)

serveRawStdio({
  name: "pipe-holding",
  tools: [{ name: "exit", description: "The server exits (its helper stays)", inputSchema: { type: "object" } }],
  call: () => process.exit(0),
})
