/**
 * Regression (QA qa14): `mcp-orchestrator` typed in a terminal (what a new user tries first) sat
 * silent after two JSON log lines, and whatever was typed got a JSON-RPC parse error. With stdin a
 * terminal it now says what it is and what to run instead (cursor connect, demo, doctor). An editor
 * never gives it a terminal: started with a pipe, nothing extra is written.
 * The terminal is a real pty (util-linux `script`).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const HINT = "mcp-orchestrator: this is an MCP server speaking JSON-RPC on stdin/stdout"
const SCRIPT = Bun.which("script")

describe("serve in a terminal", () => {
  test.skipIf(!SCRIPT)("stdin a terminal: the hint names cursor connect, demo and doctor; Ctrl-D stops it", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    // stderr into the pty, stdout (the MCP channel) away
    const p = Bun.spawn([SCRIPT!, "-qec", `'${BIN}' serve 2>&1 >/dev/null`, "/dev/null"], { env, cwd: env.HOME!, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
    let out = ""
    const reader = p.stdout.getReader()
    const dec = new TextDecoder()
    let sent = false
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      out += dec.decode(value)
      // once it is ready (the hint is written in the same step), Ctrl-D; then everything up to the exit
      if (!sent && out.includes('"msg":"ready"')) {
        sent = true
        p.stdin.write("\x04")
        await p.stdin.flush()
      }
    }
    expect(await p.exited).toBe(0)
    expect(out).toContain(HINT)
    expect(out).toContain("mcp-orchestrator cursor connect")
    expect(out).toContain("mcp-orchestrator demo")
    expect(out).toContain("mcp-orchestrator doctor")
  }, 20_000)
  test("stdin a pipe (how an editor starts it): no hint", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    const p = Bun.spawn([BIN, "serve"], { env, cwd: env.HOME!, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
    // stdin held open until it is ready (the hint would be written right after "ready")
    let err = ""
    const reader = p.stderr.getReader()
    const dec = new TextDecoder()
    while (!err.includes('"msg":"shutting down"')) {
      const { value, done } = await reader.read()
      if (done) break
      err += dec.decode(value)
      if (err.includes('"msg":"ready"')) p.stdin.end()
    }
    expect(await p.exited).toBe(0)
    expect(err).toContain('"msg":"ready"')
    expect(err).not.toContain(HINT)
  }, 20_000)
})
