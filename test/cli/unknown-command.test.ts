/**
 * Regression (QA): `mcp-orchestrator bogus` said "too many arguments for 'serve'" (serve is the
 * default command, so a word that is no command reached it as an argument). It says "unknown
 * command 'bogus'" with the commands there are (and a did-you-mean), exit code 2.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Command } from "commander"
import { unknownCommand } from "../../src/cli/index.ts"

const ROOT = join(import.meta.dir, "..", "..")

function program(): Command {
  const p = new Command("mcp-orchestrator").version("1", "-V, --version")
  p.command("serve", { isDefault: true }).option("-c, --config <file>").option("--no-stdio").option("--log-level <level>")
  p.command("doctor")
  p.command("cache")
  return p
}

describe("unknown command", () => {
  test("the first word that is neither an option nor an option's value must be a command", () => {
    const p = program()
    expect(unknownCommand(p, ["bogus"])).toBe("unknown command 'bogus'; the commands are: serve, doctor, cache, help (run with --help for usage)")
    expect(unknownCommand(p, ["--config", "x.yaml", "bogus"])).toStartWith("unknown command 'bogus'")
    expect(unknownCommand(p, ["-c", "x.yaml", "--no-stdio", "bogus", "doctor"])).toStartWith("unknown command 'bogus'")
    expect(unknownCommand(p, ["doctr"])).toStartWith("unknown command 'doctr' (did you mean 'doctor'?)")
    for (const ok of [[], ["serve"], ["doctor", "x"], ["help"], ["--config", "doctor"], ["--config=x.yaml"], ["-c", "x", "cache"], ["--help"], ["-V"]]) expect(unknownCommand(p, ok)).toBeUndefined()
  })

  test("through the CLI: the message, the command list, exit code 2", async () => {
    const p = Bun.spawn([process.execPath, join(ROOT, "src", "main.ts"), "bogus"], { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, HOME: "/nonexistent-home", XDG_CONFIG_HOME: "/nonexistent-home/config" } })
    const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited])
    expect(code).toBe(2)
    expect(err).not.toContain("too many arguments")
    expect(err).toContain("mcp-orchestrator: unknown command 'bogus'; the commands are: serve, doctor, version, ")
    for (const c of ["demo", "cache", "cursor", "auth"]) expect(err).toContain(c)
  }, 20_000)
})
