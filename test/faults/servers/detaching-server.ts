/**
 * @module test/faults/servers/detaching-server
 * A downstream (raw JSON-RPC over stdio, run with `bun`) whose helpers leave its process group: at
 * start it runs `setsid sleep 300` in the background (a grandchild in a session of its own, its
 * parent still alive) and daemonizes another `sleep 300` the classic way (`setsid sh -c 'sleep &'`:
 * a new session whose leader exits, so the sleep is orphaned and re-parented away from us). A group
 * kill reaches neither. Appends "<server pid> <setsid pid> <daemon pid>" to `--pid-file` once all
 * three run. Tool `hang` never answers; the server itself exits on stdin EOF (it is polite, its
 * helpers are what outlive it).
 */
import { appendFileSync } from "node:fs"
import { serveRawStdio, UNANSWERED } from "../../fixtures/servers/raw-stdio.ts"

const argv = process.argv.slice(2)
const pidFile = argv[argv.indexOf("--pid-file") + 1]!

const sh = async (script: string): Promise<number> => {
  const p = Bun.spawn(["sh", "-c", script], { stdin: "ignore", stdout: "pipe", stderr: "ignore" })
  const out = await new Response(p.stdout).text()
  return Number(out.trim())
}
// `$!` of a background `setsid` in a shell without job control: setsid execs sleep in that same pid
const setsid = await sh("setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!")
// the session leader prints the sleep's pid and exits: the sleep is an orphan in a session of its own
const daemon = await sh(`setsid sh -c 'sleep 300 </dev/null >/dev/null 2>&1 & echo $!'`)
appendFileSync(pidFile, `${process.pid} ${setsid} ${daemon}\n`)

serveRawStdio({
  name: "detaching",
  tools: [{ name: "hang", description: "Never answers", inputSchema: { type: "object" } }],
  call: () => UNANSWERED,
})
