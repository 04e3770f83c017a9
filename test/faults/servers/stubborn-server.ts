/**
 * @module test/faults/servers/stubborn-server
 * A downstream that will not die politely (raw JSON-RPC over stdio, run with `bun`): it ignores
 * SIGTERM, SIGINT, SIGHUP and stdin EOF, starts a grandchild (`sleep`) in its own process group, and
 * appends "<pid> <grandchild pid>" to `--pid-file` as soon as it starts. Only SIGKILL ends it.
 * Tool `hang` never answers (a call in flight at shutdown). `--slow-boot MS` delays its answers.
 * `--signals FILE`: each signal it gets (and ignores) is appended to FILE, one name a line.
 * `--calls FILE`: the name of each tool called is appended to FILE, one a line, as the call arrives.
 */
import { appendFileSync } from "node:fs"
import { serveRawStdio, UNANSWERED } from "../../fixtures/servers/raw-stdio.ts"

const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

const signals = flag("--signals")
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(sig, () => void (signals && appendFileSync(signals, `${sig}\n`)))
const grandchild = Bun.spawn(["sleep", "300"], { stdio: ["ignore", "ignore", "ignore"] })
const pidFile = flag("--pid-file")
if (pidFile) appendFileSync(pidFile, `${process.pid} ${grandchild.pid}\n`)
const calls = flag("--calls")
const slowBoot = Number(flag("--slow-boot") ?? 0)

serveRawStdio({
  name: "stubborn",
  tools: [{ name: "hang", description: "Never answers", inputSchema: { type: "object" } }],
  call: (params) => {
    if (calls) appendFileSync(calls, `${params?.name}\n`)
    return UNANSWERED
  },
  // keeps running after stdin ends
  staysOnEof: true,
  before: slowBoot > 0 ? () => Bun.sleep(slowBoot) : undefined,
})
