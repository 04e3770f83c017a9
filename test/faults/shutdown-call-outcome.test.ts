/**
 * A tool call ended by our own shutdown is counted `cancelled` in the usage log and the metrics,
 * as a call the client cancelled or left is, never `tool_error` (the tool did not fail: the user
 * stopped the process). run_code answered its cancellation as an error result, which the faces
 * counted as the tool's failure on stdio (the HTTP face already counted it `cancelled`). Through
 * the compiled binary (SIGTERM, stdin EOF): a run_code script waits on a downstream tool that never
 * answers; once the downstream has the call (its call log says so), the orchestrator is stopped.
 */
import { expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT } from "../helpers/binary.ts"
import { pidServerWorld } from "../helpers/pid-world.ts"
import { collect, exitCode, waitFor } from "../helpers/wait.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const SCRIPT = 'return await tools["fault__hang"]({})'
const called = (file: string): boolean => existsSync(file) && readFileSync(file, "utf8").length > 0

/** The usage log's line for run_code: one, counted `cancelled`. */
function expectCancelled(log: string): void {
  const lines = log.split("\n").filter((l) => l.includes('"msg":"tool call"') && l.includes('"tool":"run_code"'))
  expect(lines).toHaveLength(1)
  expect(JSON.parse(lines[0]!)).toMatchObject({ tool: "run_code", outcome: "cancelled" })
  expect(log).not.toContain('"outcome":"tool_error"')
}

for (const how of ["SIGTERM", "stdin EOF"] as const) {
  test(`stdio, ${how} during a run_code call: counted cancelled, not tool_error`, async () => {
    const world = pidServerWorld("call-outcome", (at) => ({
      servers: { fault: [FAULT, "--call-log", at("calls")] },
      settings: ['toolkit: { enabled: "off" }', "plugins: { enabled: false }", "proxy: { expose: code }"],
    }))
    const p = world.start({ stderr: "pipe" })
    const err = collect(p.stderr)
    p.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n")
    p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "run_code", arguments: { code: SCRIPT } } }) + "\n")
    p.stdin.flush()
    await waitFor("the downstream to get the script's call", () => called(world.at("calls")), 20_000)
    if (how === "SIGTERM") p.kill("SIGTERM")
    else await p.stdin.end()
    expect(await exitCode(p)).toBe(0)
    expectCancelled(await err.all)
  }, 60_000)
}
