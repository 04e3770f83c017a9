/**
 * Regression (QA): `mcp-orchestrator serve bogus` printed commander's raw "error: too many arguments
 * for 'serve'. Expected 0 arguments but got 1: bogus." (and a second line), unlike an unknown
 * command, which is said in our words. Every command-line mistake now reads as one line of ours:
 * "mcp-orchestrator: " + what was given and what the command takes + its --help, exit code 2,
 * nothing on stdout. Through the compiled binary (`MCPO_TEST_BIN` for a private build).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = sandboxEnv()
  const p = Bun.spawn([BIN, ...args], { cwd: env.HOME!, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

const SERVE_OPTIONS = "--http <[host:]port>, --no-stdio, --toolset <name>, -c/--config <file>, --log-level <level>, --plugins <dir>, --profile <id>, --cache-dir <dir>, -h/--help"

const CASES: [string[], string][] = [
  [["serve", "bogus"], "'serve' takes no arguments, but was given 'bogus' (run 'mcp-orchestrator serve --help' for usage)"],
  [["serve", "--config", "c.yaml", "a", "b"], "'serve' takes no arguments, but was given 'a', 'b' (run 'mcp-orchestrator serve --help' for usage)"],
  [["doctor", "bogus"], "'doctor' takes no arguments, but was given 'bogus' (run 'mcp-orchestrator doctor --help' for usage)"],
  [["cache", "clear", "extra"], "'cache clear' takes no arguments, but was given 'extra' (run 'mcp-orchestrator cache clear --help' for usage)"],
  [["parse", "servers", "a.json", "b.json"], "'parse' takes at most 2 arguments (<kind> [file]), but was given 3: 'servers', 'a.json', 'b.json' (run 'mcp-orchestrator parse --help' for usage)"],
  [["serve", "--bogus"], `unknown option '--bogus' for 'serve'; its options are: ${SERVE_OPTIONS} (run 'mcp-orchestrator serve --help' for usage)`],
  [["--bogus"], `unknown option '--bogus' for 'serve'; its options are: ${SERVE_OPTIONS} (run 'mcp-orchestrator serve --help' for usage)`],
  [["serve", "--htp", "8080"], `unknown option '--htp' for 'serve' (did you mean '--http'?); its options are: ${SERVE_OPTIONS} (run 'mcp-orchestrator serve --help' for usage)`],
  [["doctor", "--jsn"], "unknown option '--jsn' for 'doctor' (did you mean '--json'?); its options are: -c/--config <file>, --log-level <level>, --plugins <dir>, --profile <id>, --cache-dir <dir>, --json, --no-start, --strict, -h/--help (run 'mcp-orchestrator doctor --help' for usage)"],
  [["serve", "--config"], "option '--config' of 'serve' needs a value: -c/--config <file> (run 'mcp-orchestrator serve --help' for usage)"],
  [["auth", "login"], "'auth login' needs the argument <server> (server name), and none was given (run 'mcp-orchestrator auth login --help' for usage)"],
  [["plugins", "test", "p.js"], "'plugins test' needs the option --hook <hook> (one of route, tools, prompt, parse), and it was not given (run 'mcp-orchestrator plugins test --help' for usage)"],
  [["cache", "clera"], "unknown command 'cache clera' (did you mean 'cache clear'?); the cache commands are: stats, clear, help (run 'mcp-orchestrator cache --help' for usage)"],
  [["-v"], `unknown option '-v' for 'serve' (did you mean 'mcp-orchestrator --version'?); its options are: ${SERVE_OPTIONS} (run 'mcp-orchestrator serve --help' for usage)`],
  [["--verison"], `unknown option '--verison' for 'serve' (did you mean 'mcp-orchestrator --version'?); its options are: ${SERVE_OPTIONS} (run 'mcp-orchestrator serve --help' for usage)`],
  [["serve", "-C", "x.yaml"], `unknown option '-C' for 'serve' (did you mean '--config'?); its options are: ${SERVE_OPTIONS} (run 'mcp-orchestrator serve --help' for usage)`],
]

describe("command-line mistakes through the binary: one line of ours, exit code 2", () => {
  for (const [args, said] of CASES) {
    test(args.join(" "), async () => {
      const r = await run(...args)
      expect(r.err).toBe(`mcp-orchestrator: ${said}\n`)
      expect(r.code).toBe(2)
      expect(r.out).toBe("")
    }, 20_000)
  }

  test("an unknown command is still said as before; help and version still exit 0", async () => {
    const r = await run("bogus")
    expect(r.code).toBe(2)
    expect(r.err).toStartWith("mcp-orchestrator: unknown command 'bogus'; the commands are: serve, doctor, version, ")
    for (const args of [["--help"], ["serve", "--help"], ["cache", "--help"], ["-V"]]) {
      const ok = await run(...args)
      expect({ args, code: ok.code, err: ok.err }).toEqual({ args, code: 0, err: "" })
      expect(ok.out).not.toBe("")
    }
  }, 30_000)
})
