/**
 * A client that pipes the orchestrator's stderr and does not read it (an SDK transport with
 * `stderr: "pipe"` nobody drains) must not stop the orchestrator: once the pipe is full, a blocking
 * log write stopped the whole process — tool calls went unanswered, SIGTERM was never handled, the
 * downstreams ran on until a SIGKILL. Log level debug and a downstream that writes megabytes to its
 * stderr (each line logged) fill the pipe many times over. Checked: every call is answered, the
 * client that reads again is told how many lines were lost, SIGTERM ends the process and its children.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Readable } from "node:stream"
import { BIN, childrenOf, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const CHATTY = join(import.meta.dir, "servers", "chatty-stderr-server.ts")

test("stderr nobody reads: calls are answered, SIGTERM ends the process and its children", async () => {
  const dir = tempDir("mcpo-stderr-unread-")
  const config = join(dir, "config.yaml")
  writeFileSync(config, `servers:\n  chatty: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(CHATTY)}] }\nwarm: [chatty]\n`)
  const env = sandboxEnv({ MCPO_LOG_LEVEL: "debug" })
  const transport = new StdioClientTransport({ command: BIN, args: ["serve", "--config", config], env, stderr: "pipe", cwd: env.HOME })
  const client = new Client({ name: "stderr-unread", version: "1.0.0" })
  await client.connect(transport)
  const pid = transport.pid!
  try {
    // 12 calls: 12 × 256 KiB of downstream stderr, each line one log line of ours; nobody reads them
    for (let i = 0; i < 12; i++) {
      const r = await client.callTool({ name: "call_tool", arguments: { name: "chatty__echo", arguments: { message: `m${i}` } } }, undefined, { timeout: 20_000 })
      expect(JSON.stringify(r.content)).toContain(`echo m${i}`)
    }
    const children = childrenOf(pid)
    expect(children.length).toBeGreaterThan(0)

    // the client reads again: what was lost is said, in a log line of its own
    let err = ""
    transport.stderr!.on("data", (d: Buffer) => (err += d.toString()))
    for (let i = 0; i < 200 && !err.includes("log lines dropped"); i++) {
      await client.callTool({ name: "call_tool", arguments: { name: "chatty__echo", arguments: { message: "again" } } }, undefined, { timeout: 20_000 })
    }
    const note = err.split("\n").find((l) => l.includes("log lines dropped"))
    expect(note).toBeDefined()
    expect(JSON.parse(note!).dropped).toBeGreaterThan(0)

    // and stops reading once more: a signal still ends the process, children included
    transport.stderr!.removeAllListeners("data")
    ;(transport.stderr as Readable).pause()
    for (let i = 0; i < 4; i++) await client.callTool({ name: "call_tool", arguments: { name: "chatty__echo", arguments: { message: "late" } } }, undefined, { timeout: 20_000 })
    process.kill(pid, "SIGTERM")
    for (let i = 0; i < 600 && isAlive(pid); i++) await Bun.sleep(25)
    expect(isAlive(pid)).toBe(false)
    for (let i = 0; i < 600 && children.some(isAlive); i++) await Bun.sleep(25)
    expect(children.filter(isAlive)).toEqual([])
  } finally {
    if (isAlive(pid)) process.kill(pid, "SIGKILL")
    await client.close().catch(() => {})
  }
}, 60_000)
