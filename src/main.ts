/**
 * Entry point of the `mcp-orchestrator` binary (`bun build --compile`). The only process.exit besides
 * the hard end of a shutdown that ran out of budget (app/shutdown) and a one-shot command's end on
 * an exception nothing caught (process-nets).
 * A stdio `serve` answers the client's `initialize` first (early-face, which imports nothing), and
 * only then evaluates the CLI and everything behind it.
 */
import { earlyInitialize } from "./early-face.ts"
import { holdSignals, isServe } from "./early-signals.ts"
import { installProcessNets } from "./process-nets.ts"

// A signal that comes before `serve` listens for it is held, not the end of the process (early-signals).
const held = isServe(process.argv) ? holdSignals() : undefined

// The client that started us, read before anything else: a parent that dies during the start must
// still be noticed (by the time `serve` watches, we may already belong to init or a subreaper).
;(globalThis as { __mcpoParentPid?: number }).__mcpoParentPid = process.ppid
// A rejection or an exception nothing caught becomes one redacted log line, not the runtime's own
// dump of the error (a downstream's error may quote a secret); an exception no longer ends `serve` (process-nets).
installProcessNets(isServe(process.argv))
const stdin = await earlyInitialize(process.argv)
/** Milliseconds from process start until every module was evaluated (reported in the "ready" log). */
const { runCli } = await import("./cli/index.ts")
;(globalThis as { __mcpoModulesMs?: number }).__mcpoModulesMs = performance.now()

const code = await runCli(process.argv, stdin, held)
process.exit(code)
