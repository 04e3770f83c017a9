/** @module cli/serve `serve`: MCP over stdio (default command) and/or Streamable HTTP. */
import type { Command } from "commander"
import { logConfigProblems, serve, type HeldSignals } from "../app/index.ts"
import { writeSync } from "node:fs"
import { ConfigError, createLogger, createLogHub, isFifoAhead, redactString, routeConsole, signalsEndProcess, stderrNeverBlocks, whileStarting, type StartEnd } from "../core/index.ts"
import { hubFor, loadFromFlags, withConfigOptions } from "./flags.ts"
import type { StdinHandover } from "../mcp/index.ts"
import type { ServeFlags } from "./serve-args.ts"
import type { CliState } from "./state.ts"

export function registerServe(program: Command, state: CliState, stdin?: StdinHandover, held?: HeldSignals): void {
  withConfigOptions(
    program
      .command("serve", { isDefault: true })
      .description("serve MCP over stdio (the default; how Cursor starts it) and optionally Streamable HTTP")
      .option("--http <[host:]port>", "also serve Streamable HTTP on this address (host defaults to 127.0.0.1)")
      .option("--no-stdio", "do not serve stdio (HTTP only)")
      .option("--toolset <name>", "serve this toolset (a key of `toolsets` in the config; also MCPO_TOOLSET)"),
  ).action((opts: ServeFlags) => runServe(opts, state, stdin, held))
}

/** The `serve` command itself (from commander, or from cli/serve-args for a plain command line). */
export async function runServe(opts: ServeFlags, state: CliState, stdin?: StdinHandover, held?: HeldSignals): Promise<void> {
  // a client that pipes our stderr and does not read it must not stop the serve (core/stderr-out)
  stderrNeverBlocks()
  const hub = createLogHub("info")
  // a library's console output (the MCP SDK's warnings, console.log/debug to stdout, the MCP
  // channel) becomes redacted log lines
  routeConsole(createLogger(hub, "library"))
  let loaded: ReturnType<typeof loadFromFlags>
  // one turn of the event loop first: a signal that came during the synchronous module loading is
  // caught but its handler (early-signals) runs only on a turn; held by then, a wait below sees it
  await new Promise<void>((r) => setImmediate(r))
  // a wait for a FIFO's writer (a --config or envFile FIFO) ends when the client is gone meanwhile
  const load = (fifoReady: boolean): ReturnType<typeof loadFromFlags> =>
    whileStarting(
      {
        ...(held?.pending ? { signals: held.pending } : {}),
        ...(stdin?.ended ? { stdinEnded: stdin.ended } : {}),
        stdin: opts.stdio !== false,
        end: (why, waited) => endStart(why, waited),
        fifoReady,
      },
      () => loadFromFlags(opts),
    )
  try {
    try {
      loaded = load(false)
    } catch (e) {
      if (!isFifoAhead(e)) throw e
      // a FIFO is to be waited for: a signal that came since the turn above is queued, its handler
      // not run, and the wait would not see it (it ran its 5 s). One more turn holds it (the wait
      // then ends at once); from right after it, the signals have their default action for the
      // whole synchronous load (nothing of ours runs yet: one ends the process at once)
      await new Promise<void>((r) => setImmediate(r))
      const restore = signalsEndProcess()
      try {
        loaded = load(true)
      } finally {
        restore()
      }
    }
  } catch (e) {
    if (stdin?.answered !== undefined && opts.stdio !== false) tellClient(e)
    throw e
  }
  hubFor(loaded, hub)
  if (!opts.stdio && !loaded.config.http.listen) {
    // the config's problems may say why (a second config file, the one with http.listen, not read)
    logConfigProblems(createLogger(hub, "app"), loaded)
    state.usage("serve --no-stdio needs --http [HOST:]PORT (or http.listen in the config)")
    return
  }
  state.code = await serve(loaded, { stdio: opts.stdio, logHub: hub, ...(stdin ? { stdin } : {}), ...(held ? { held } : {}) })
}

/**
 * The early face answered `initialize` before the config was read (it does only when its index
 * vouches for the config files, so only a file changed in the moment since gets here): the client
 * believes the server is up. Before the process exits (code 2, the details on stderr) the client is told why, as an MCP
 * log message, so an editor shows the config error in its MCP log, not only "connection closed".
 */
function tellClient(e: unknown): void {
  if (!(e instanceof ConfigError)) return
  const data = redactString(`mcp-orchestrator cannot start: ${e.message}${e.remedy ? `\nRemedy: ${e.remedy}` : ""}`)
  try {
    writeSync(1, JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params: { level: "critical", logger: "mcp-orchestrator", data } }) + "\n")
  } catch {
    // stdout gone: stderr still has it
  }
}

/**
 * The end of a start whose client went away while it waited for a FIFO's writer (core/start-end):
 * nothing of ours runs yet (no server started), so the process ends at once, as a serve stopped
 * before it began (exit 0), with a log line saying why.
 */
function endStart(why: StartEnd, waited: string): never {
  const msg = why === "stdin" ? "stdin ended while the start waited for a FIFO's writer; stopping" : `${why} while the start waited for a FIFO's writer; stopping`
  try {
    writeSync(2, JSON.stringify({ ts: new Date().toISOString(), level: "info", component: "app", msg, waited }) + "\n")
  } catch {
    // stderr gone as well
  }
  process.exit(0)
}
