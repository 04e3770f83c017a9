/**
 * @module cli/doctor
 * Registers `doctor`; the checks live in doctor-run.ts and load only when doctor runs.
 */
import type { Command } from "commander"
import { withConfigOptions, type ConfigFlags } from "./flags.ts"
import type { CliState } from "./state.ts"
import type { TerminalProgress } from "./doctor-progress.ts"
import { exitOnSignals } from "./signal-exit.ts"

const EXIT_CODES = `
Exit codes:
  0  nothing failed; warnings (a server that fails to start, connect or list its tools, docker missing…) leave it 0
  1  a check failed; with --strict, also any warning
  2  the config is invalid (as for every command)`

export function registerDoctor(program: Command, state: CliState): void {
  withConfigOptions(
    program
      .command("doctor")
      .description(
        "check the installation, config, servers (each stdio server started as serve starts it, its tools listed, then stopped; each remote one connected to as serve connects, logged in, its tools listed), cache dir, docker and the MCP Toolkit; prints remedies (exit codes below)",
      )
      .addHelpText("after", EXIT_CODES),
  )
    .option("--json", "print the report as JSON")
    .option("--no-start", "do not start the stdio servers (only check that their command and working directory are found) nor list the remote ones' tools (only their first request): for servers with side effects at start, or offline")
    .option("--strict", "exit 1 on any warning too (a server that fails to start, connect or list its tools, docker missing…): for CI, e.g. doctor --json --strict")
    .action(async (opts: ConfigFlags & { json?: boolean; start?: boolean; strict?: boolean }) => {
      const { doctorExitCode, formatReport, runDoctor } = await import("./doctor-run.ts")
      // starting the servers can take a while (an npx package downloading on its first start): a
      // person at a terminal is told why it waits, and which servers it still waits for
      const tty = !opts.json && opts.start !== false && process.stderr.isTTY
      let progress: TerminalProgress | undefined
      if (tty) {
        process.stderr.write("doctor: checking; each enabled server is started (or connected to), its tools listed, and stopped again (--no-start skips that)…\n")
        progress = (await import("./doctor-progress.ts")).terminalProgress(process.stderr)
      }
      let report
      // Ctrl-C while servers are started: they end with doctor, not a second later by the reaper
      const restore = exitOnSignals(() => progress?.stop())
      try {
        report = await runDoctor(opts, process.env, progress)
      } finally {
        restore()
        progress?.stop()
      }
      process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + "\n" : formatReport(report))
      state.code = doctorExitCode(report, opts.strict === true) || state.code
    })
}
