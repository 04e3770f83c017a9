/**
 * Regression (QA 260): guest console output had a limit per call (50 lines) but none per plugin: a
 * route hook logging on every call wrote 50 lines per call for ever, flooding stderr (the MCP
 * client's log) and costing the host a write per line. Each plugin's lines now pass a rate limit
 * (sandbox/log-gate): a burst, then a steady rate, the lines past it counted and said in one warning.
 * Real pieces: the compiled binary serving server-everything, one plugin file, the SDK Client.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Logger } from "../../src/core/index.ts"
import { PluginHost, type PluginChange } from "../../src/plugin/index.ts"
import { tempDir } from "../helpers/binary.ts"
import type { Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"
import { waitFor } from "../helpers/wait.ts"

const PER_CALL = 50
const CALLS = 30

const HOOK = `export default {
  name: "chatty",
  route(call) {
    for (let i = 0; i < ${PER_CALL}; i++) console.log("chatty line " + i)
    return undefined
  },
}
`

let c: Connected | undefined
afterAll(async () => {
  await c?.close()
})

/** The guest lines written and the counts the rate-limit warnings gave. */
function tally(stderr: string): { written: number; dropped: number; warnings: number } {
  let written = 0
  let dropped = 0
  let warnings = 0
  for (const line of stderr.split("\n")) {
    if (!line.includes('"guest":true')) continue
    const j = JSON.parse(line) as { msg: string }
    if (j.msg.startsWith("chatty line ")) written++
    const m = /^(\d+) console lines dropped: this plugin logs more than/.exec(j.msg)
    if (m) {
      dropped += Number(m[1])
      warnings++
    }
  }
  return { written, dropped, warnings }
}

describe("console lines: a rate limit per plugin", () => {
  test("a hook logging on every call is cut past its burst, every line written or counted, the first ones kept", async () => {
    const s = await servePlugin("chatty.js", HOOK)
    c = s.c
    for (let i = 0; i < CALLS; i++) {
      const r = await c.client.callTool({ name: "everything__echo", arguments: { message: `m${i}` } })
      expect(r.isError).toBeFalsy()
    }
    // every line is either written or counted in a warning (the last count comes a few seconds after the flood)
    const t = await waitFor("every console line written or counted", () => {
      const n = tally(c!.stderr())
      return n.written + n.dropped === PER_CALL * CALLS ? n : undefined
    }, 30_000, 100)
    // the burst passed whole: the first calls' lines are all there
    expect(c.stderr()).toContain('"msg":"chatty line 49"')
    expect(t.written).toBeGreaterThanOrEqual(2 * PER_CALL)
    // far fewer than the 1500 lines the hook wrote (the rate refills while the calls run: bounded loosely)
    expect(t.written).toBeLessThan(PER_CALL * CALLS)
    expect(t.dropped).toBeGreaterThan(0)
    // said in a few warnings, not one per dropped line
    expect(t.warnings).toBeLessThan(t.dropped)
  }, 120_000)
})

describe("console lines: the budget is the file's, not the version's", () => {
  test("a plugin flooding its console at load and reloaded (edits) gets no fresh burst at each reload", async () => {
    const lines: string[] = []
    const log: Logger = {
      debug: () => {},
      info: (m) => void lines.push(m),
      warn: (m) => void lines.push(m),
      error: (m) => void lines.push(m),
      child: () => log,
      isEnabled: () => true,
    }
    const dir = tempDir("mcpo-console-reload-")
    const file = join(dir, "flood.js")
    // 50 lines per call (the cap of one call), 6 calls per version: 300 lines, past the burst of 200
    const flood = (v: number) => `export default { name: "flood", version: "${v}", prompts: [{ name: "p", render() { for (let i = 0; i < 50; i++) console.log("flood " + i); return "v${v}" } }] }\n`
    const render = async (v: number) => {
      for (let i = 0; i < 6; i++) expect((await host.getPrompt("p"))?.messages[0]?.content.text).toBe(`v${v}`)
    }
    writeFileSync(file, flood(1))
    await using host = await PluginHost.create({ dirs: [dir], log, watch: true, builtinPrompts: false })
    const written = () => lines.filter((l) => l.startsWith("flood ")).length
    await render(1)
    expect(written()).toBeLessThan(250) // the burst (and what the rate refilled while the calls ran)
    for (let v = 2; v <= 4; v++) {
      const changed = new Promise<PluginChange>((resolve) => {
        const off = host.onChange((e) => (off(), resolve(e)))
      })
      writeFileSync(file, flood(v))
      await changed
      await render(v)
    }
    // 3 reloads: each a fresh burst of 200 before (about 800 in all); now only what the rate (20/s)
    // refilled meanwhile (bounded loosely: the reloads take a few seconds on a busy machine)
    expect(written()).toBeLessThan(500)
    expect(lines.some((l) => /^\d+ console lines dropped/.test(l))).toBe(true)
  }, 60_000)
})
