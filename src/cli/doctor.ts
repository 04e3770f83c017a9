/**
 * @module cli/doctor
 * Registers `doctor`; the checks live in doctor-run.ts and load only when doctor runs.
 */
import type { Command } from "commander"
import { withConfigOptions, type ConfigFlags } from "./flags.ts"
import type { CliState } from "./state.ts"

export function registerDoctor(program: Command, state: CliState): void {
  withConfigOptions(
    program
      .command("doctor")
      .description(
        "check the installation, config, servers (each stdio server started as serve starts it, its tools listed, then stopped; remote ones reachable and logged in), cache dir, docker and the MCP Toolkit; prints remedies (exit 2: invalid config, 1: another check failed; a server that fails is a warning)",
      ),
  )
    .option("--json", "print the report as JSON")
    .option("--no-start", "do not start the stdio servers (only check that their command and working directory are found): for servers with side effects at start, or offline")
    .action(async (opts: ConfigFlags & { json?: boolean; start?: boolean }) => {
      const { doctorExitCode, formatReport, runDoctor } = await import("./doctor-run.ts")
      // starting the servers can take a while (an npx package downloading on its first start): a person at a terminal is told why it waits
      if (!opts.json && opts.start !== false && process.stderr.isTTY) process.stderr.write("doctor: checking; each enabled stdio server is started, its tools listed, and stopped again (--no-start skips that)…\n")
      const report = await runDoctor(opts)
      process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + "\n" : formatReport(report))
      state.code = doctorExitCode(report) || state.code
    })
}
