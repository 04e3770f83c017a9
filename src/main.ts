/**
 * Entry point of the `mcp-orchestrator` binary (`bun build --compile`). The only process.exit.
 */
import { runCli } from "./cli/index.ts"

const code = await runCli(process.argv)
process.exit(code)
