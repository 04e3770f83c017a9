/**
 * A SIGHUP that comes right after `initialize` (an editor reloading its MCP servers), before
 * app/serve listens for it: the early face holds it and serve acts on it as documented — with a
 * config file, a reload (the process lives on); without one, a stop like SIGTERM (logged, exit 0).
 * Before, the signal's default action ended the process silently in that window.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { connectBinary, sandboxEnv, type Connected } from "../helpers/binary.ts"

let c: Connected | undefined
afterEach(async () => {
  await c?.close().catch(() => {})
  c = undefined
})

/** Resolves with the process's exit code once `pid` is gone (polled), or undefined after `ms`. */
async function gone(pid: number, ms: number): Promise<boolean> {
  for (let t = 0; t < ms; t += 25) {
    try {
      process.kill(pid, 0)
    } catch {
      return true
    }
    await Bun.sleep(25)
  }
  return false
}

describe("SIGHUP right after initialize", () => {
  test("with a config file: the config is read again and the process serves on", async () => {
    const env = sandboxEnv()
    const cfg = `${env.HOME}/c.json`
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: {} }))
    c = await connectBinary(["serve", "--config", cfg], env)
    process.kill(c.pid!, "SIGHUP")
    const status = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    expect(status.isError).toBeFalsy()
    for (let i = 0; i < 600 && !c.stderr().includes('"trigger":"SIGHUP"'); i++) await Bun.sleep(25)
    expect(c.stderr()).toContain('"trigger":"SIGHUP"')
  }, 30_000)

  test("without a config file: a stop, logged as SIGHUP's", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    c = await connectBinary(["serve"], env)
    const pid = c.pid!
    process.kill(pid, "SIGHUP")
    expect(await gone(pid, 10_000)).toBe(true)
    expect(c.stderr()).toContain('"msg":"shutting down"')
    expect(c.stderr()).toContain("SIGHUP")
  }, 30_000)
})
