/**
 * @module test/surface/run-code-big-answers-task
 * Regression (QA 346): a run_code script's call of a task-required tool (proxy/task-call: tools/call
 * as a task, then `tasks/result`, which carries the tool's result) took no cap: a 50 MiB result was
 * read whole from the server's stdout and parsed on the orchestrator's main thread, while the same
 * tool called plainly was dropped unread (pool/answer-cap). Now `tasks/result` carries the script's
 * cap: the call rejects naming the tool, its size and codeMode.memory; a result the script can take
 * in still arrives. The compiled binary, the raw task fixture (test/fixtures/servers/raw-task-server),
 * the SDK Client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const RAW_TASK_SERVER = join(import.meta.dir, "..", "fixtures", "servers", "raw-task-server.ts")
const MiB = 1024 * 1024

let c: Connected

beforeAll(async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    servers: { raw: { command: process.execPath, args: [RAW_TASK_SERVER] } },
    proxy: { expose: "code" },
    // the frame limit raised: the 50 MiB result is refused for the script's sake, not for the pool's
    pool: { maxFrameBytes: 256 * MiB },
    codeMode: { timeout: "60s" },
    toolkit: { enabled: "off" },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)

afterAll(async () => {
  await c?.close()
})

const run = async (code: string): Promise<string> => {
  const r = (await c.client.callTool({ name: "run_code", arguments: { code } }, undefined, { timeout: 120_000 })) as CallToolResult
  const text = (r.content[0] as { text: string }).text
  expect(r.isError, text).toBeFalsy()
  return text
}

describe("run_code: a task's result larger than the script can take in", () => {
  test("50 MiB through tasks/result is dropped unread: the call rejects naming the tool, its size and codeMode.memory; the next call works", async () => {
    const text = await run(`return await tools["raw__big-task"]({ mib: 50 }).then((v) => "taken " + v.length, (e) => e.message)`)
    expect(text).toMatch(/^tools\["raw__big-task"\]: its result is (over )?\d+\.\d MiB of JSON, more than the script's memory \(64 MiB, codeMode\.memory\) can take in \(at most 32\.0 MiB: .*\); it was dropped unread/)
    expect(Number(await run(`return (await tools["raw__big-task"]({ mib: 4 })).length`))).toBe(4 * MiB)
  }, 120_000)
})
