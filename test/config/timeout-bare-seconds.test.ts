/**
 * `timeout: 60` pasted from Cline / Roo Code (seconds there) is 60 ms here: loading warns in the
 * log, and the call that then times out says so too, in the answer the user reads in the chat.
 * server-everything behind the binary.
 */
import { afterAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, listUntil, resultText, ROOT, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
let c: Connected | undefined
afterAll(() => c?.close())

test("a timeout under a second names the bare number as milliseconds in the timed-out call's remedy", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, mcpServers: { ev: { command: process.execPath, args: [EVERYTHING], timeout: 60 } } })
  c = await connectBinary(["serve", "--config", cfg], env)
  await listUntil(c.client, "ev__trigger-long-running-operation")
  const r = await c.client.callTool({ name: "ev__trigger-long-running-operation", arguments: { duration: 5, steps: 2 } })
  expect(r.isError).toBe(true)
  const text = resultText(r)
  expect(text).toContain("TIMEOUT")
  expect(text).toContain("a bare number in `timeout` is milliseconds")
  expect(text).toContain('"60s"')
}, 30_000)
