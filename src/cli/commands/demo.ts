/**
 * @module cli/commands/demo
 * `mcp-orchestrator demo`: runs the orchestrator on the embedded example config (three MCP servers
 * from npm), talks to it as a real MCP client and prints what happened with latencies. No Docker.
 */
import type { Command } from "commander"
import { ConfigError, errorMessage, isOrchestratorError } from "../../core/index.ts"
import { loadDemo } from "../../app/index.ts"

interface DemoFlags {
  binary?: string
  example?: string
  repo?: string
}

export function register(program: Command): void {
  program
    .command("demo")
    .description("start the orchestrator on the embedded example (server-everything, -memory, -filesystem from node_modules), call tools through it as an MCP client, print latencies")
    .option("--binary <path>", "orchestrator to run (default: this binary)")
    .option("--example <file>", "config to run instead of the embedded example (${REPO}, ${DATA}, ${NODE} are filled in)")
    .option("--repo <dir>", "checkout whose node_modules holds the example's servers (default: found from the binary or the cwd)")
    .action(async (o: DemoFlags) => {
      try {
        const { runDemo } = await loadDemo()
        await runDemo({
          ...(o.binary ? { binary: o.binary } : {}),
          ...(o.example ? { configPath: o.example } : {}),
          ...(o.repo ? { repo: o.repo } : {}),
          out: (line) => process.stdout.write(line + "\n"),
        })
      } catch (e) {
        // a command-line mistake (an --example that cannot be read) is a usage error: exit 2
        if (e instanceof ConfigError) {
          process.stderr.write(`mcp-orchestrator demo: ${e.problems.join("; ")}\n${e.remedy ? `Remedy: ${e.remedy}\n` : ""}`)
          process.exitCode = 2
          return
        }
        process.stderr.write(`mcp-orchestrator demo: ${isOrchestratorError(e) ? e.describe() : errorMessage(e)}\n`)
        process.exitCode = 1
      }
    })
}
