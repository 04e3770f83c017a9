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
      .description("check the installation, config, servers (stdio commands found, remote ones reachable and logged in), cache dir, docker and the MCP Toolkit; prints remedies (exit 2: invalid config, 1: another check failed)"),
  )
    .option("--json", "print the report as JSON")
    .action(async (opts: ConfigFlags & { json?: boolean }) => {
      const { doctorExitCode, formatReport, runDoctor } = await import("./doctor-run.ts")
      const report = await runDoctor(opts)
      process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + "\n" : formatReport(report))
      state.code = doctorExitCode(report) || state.code
    })
}
