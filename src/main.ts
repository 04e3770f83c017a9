/**
 * Entry point of the `mcp-orchestrator` binary (`bun build --compile`). The only process.exit.
 */
import { runCli } from "./cli/index.ts"

/** Milliseconds from process start until every module was evaluated (reported in the "ready" log). */
;(globalThis as { __mcpoModulesMs?: number }).__mcpoModulesMs = performance.now()

const code = await runCli(process.argv)
process.exit(code)
