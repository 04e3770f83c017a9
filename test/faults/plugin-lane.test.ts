/**
 * @module test/faults/plugin-lane
 * Route hooks run on their own lane (worker): a prompt render or a parser run that spins until its
 * deadline does not stall tools/call behind a route hook. Through the compiled binary with the SDK
 * client (render), and through PluginHost (parser: the Toolkit driver is its only caller).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { PluginHost } from "../../src/plugin/index.ts"
import { connectBinary, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"
import { captureLog } from "../proxy/helpers.ts"

const BIG = join(import.meta.dir, "servers", "big-result.ts")
const PLUGINS = join(import.meta.dir, "plugins")
/**
 * How long the render spins: the interrupt ends it at the render deadline. What is asserted is an
 * order (the routed calls answered before the spin ended), so it is long enough that three calls
 * fit in it on a loaded machine: it is no figure of theirs.
 */
const SPIN_MS = 5000

const text = (r: unknown): string => ((r as { content?: { text?: string }[] }).content ?? []).map((c) => c.text ?? "").join("")

let c: Connected

beforeAll(async () => {
  const env = sandboxEnv()
  const config = join(env.HOME!, "config.json")
  writeFileSync(config, JSON.stringify({ servers: { fx: { command: process.execPath, args: [BIG] } }, plugins: { dirs: [PLUGINS], renderDeadline: SPIN_MS }, toolkit: { enabled: "off" } }))
  c = await connectBinary(["serve", "--config", config], env)
}, 30_000)

afterAll(async () => {
  await c?.close()
})

describe("plugin lanes", () => {
  test(`tools/call through a route hook answers while a prompt render spins (not behind it) for ${SPIN_MS} ms`, async () => {
    // the route hook works (and its lane has started)
    expect(text(await c.client.callTool({ name: "fx__shout", arguments: { message: "warm" } }))).toBe("warm")
    const started = performance.now()
    let spinEnded = Infinity
    const spinning = c.client.getPrompt({ name: "spin" }).then(
      () => "answered",
      (e: Error) => e.message,
    ).finally(() => (spinEnded = performance.now()))
    // the render is spinning on the plugin worker now: its console line (logged as a guest's) says so
    await waitFor("the render to spin", () => c.stderr().split("\n").some((l) => l.includes('"msg":"spinning"') && l.includes('"guest":true')))
    const times: number[] = []
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      expect(text(await c.client.callTool({ name: "fx__shout", arguments: { message: `call ${i}` } }))).toBe(`call ${i}`)
      times.push(performance.now() - t)
    }
    const routedAt = performance.now()
    const spinDone = await spinning
    const spun = performance.now() - started
    if (process.env.MCPO_TEST_VERBOSE) console.error(`route calls during the spin: ${times.map((t) => t.toFixed(1)).join(", ")} ms; render ended after ${spun.toFixed(0)} ms`)
    // the calls above all finished while the render was still spinning
    expect(spun).toBeGreaterThanOrEqual(SPIN_MS - 50)
    expect(spinDone).toMatch(/spin|timeout|deadline|interrupt/i)
    // the routed calls did not wait behind the spin (its lane is another worker): all answered before it ended
    expect(routedAt).toBeLessThan(spinEnded)
  }, 30_000)

  test("after the spin, prompts and routed calls both still work", async () => {
    expect(text(await c.client.callTool({ name: "fx__shout", arguments: { message: "after" } }))).toBe("after")
    const prompts = (await c.client.listPrompts()).prompts.map((p) => p.name)
    expect(prompts).toContain("spin")
  }, 30_000)
})

describe("plugin lanes (PluginHost)", () => {
  test(`a route hook answers while a parser run spins (not behind it) for ${SPIN_MS} ms`, async () => {
    const { log, records } = captureLog()
    await using host = await PluginHost.create({ dirs: [PLUGINS], log, limits: { parseDeadline: SPIN_MS, renderDeadline: SPIN_MS }, separator: "__" })
    expect(await host.route({ server: "fx", tool: "shout", args: {} })).toEqual({ server: "fx", tool: "echo", args: {}, by: expect.stringMatching(/^alias-route \(.+:\d+\)$/) })
    const parser = host.parserOverride("servers")
    expect(parser?.plugin).toBe("spin-parser")
    const started = performance.now()
    let spinEnded = Infinity
    const spinning = parser!.parseAsync("[]", { command: ["docker", "mcp", "server", "ls"], era: "legacy" } as never).then(
      () => "parsed",
      (e: Error) => e.message,
    ).finally(() => (spinEnded = performance.now()))
    await waitFor("the parser to spin", () => records.some((r) => r.msg === "spinning" && r.guest === true))
    const times: number[] = []
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      expect(await host.route({ server: "fx", tool: "shout", args: { i } })).toEqual({ server: "fx", tool: "echo", args: { i }, by: expect.stringMatching(/^alias-route \(.+:\d+\)$/) })
      times.push(performance.now() - t)
    }
    const routedAt = performance.now()
    const outcome = await spinning
    if (process.env.MCPO_TEST_VERBOSE) console.error(`route during a parser spin: ${times.map((t) => t.toFixed(1)).join(", ")} ms; parser ended after ${(performance.now() - started).toFixed(0)} ms`)
    expect(outcome).toMatch(/timeout|deadline/i)
    expect(performance.now() - started).toBeGreaterThanOrEqual(SPIN_MS - 50)
    // the routed calls did not wait behind the spin (its lane is another worker): all answered before it ended
    expect(routedAt).toBeLessThan(spinEnded)
  }, 30_000)
})
