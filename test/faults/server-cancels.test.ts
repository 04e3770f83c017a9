/**
 * A downstream that cancels our request itself (it sends `notifications/cancelled` with the id of
 * our tools/call, and never answers it): the call waited out its whole callTimeout (60 s here) and
 * then failed as a timeout blaming the tool's slowness. Now it fails at once, saying the server
 * cancelled it (and its reason, when given); the server stays up and answers the next call.
 * Through the compiled binary, a raw stdio server (servers/self-cancel-server.ts), the SDK Client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "self-cancel-server.ts")
const dir = tempDir("mcpo-server-cancels-")
const cfg = join(dir, "config.json")
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  // (a callTimeout far beyond the client's own wait below: an answer before the client gives up is one that did not wait it out)
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, warm: ["sc"], pool: { callTimeout: "120s" }, servers: { sc: { command: process.execPath, args: [SERVER] } } }))
  c = await connectBinary(["--config", cfg], sandboxEnv())
}, 120_000)
afterAll(async () => {
  await c?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The call's outcome as text: its result's text or its error's message. */
async function outcome(name: string): Promise<string> {
  return c.client.callTool({ name, arguments: {} }, undefined, { timeout: 30_000 }).then(
    (r) => JSON.stringify(r),
    (e: unknown) => `error: ${(e as Error).message}`,
  )
}

describe("a downstream cancelling our in-flight call", () => {
  test("the call fails at once, saying the server cancelled it and why", async () => {
    const text = await outcome("sc__gives_up")
    expect(text).toContain("cancelled by the server itself")
    expect(text).toContain("upstream quota spent")
    expect(text).not.toContain("Request timed out")
  }, 60_000)

  test("with its id as a string and no reason, too; the server still answers", async () => {
    const text = await outcome("sc__gives_up_quietly")
    expect(text).toContain("cancelled by the server itself")
    expect(await outcome("sc__ok")).toContain("fine")
  }, 60_000)
})
