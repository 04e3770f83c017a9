/**
 * @module test/surface/run-code-big-answers-binary
 * Regression (QA 343): a run_code script's call whose answer is larger than the script can take in
 * (half of codeMode.memory: the JSON text and the value read from it both live in the sandbox) was
 * read whole from the downstream's stdout, parsed and written again as JSON on the orchestrator's
 * main thread, and only then refused (or, below the whole cap, failed in the sandbox as a bare
 * "out of memory"): a 50 MB text raised the binary's peak by about 150 MiB. Now the pool drops that
 * answer unread as it comes (pool/answer-cap) and the script's call rejects naming the tool, the size
 * and the limit; the orchestrator keeps serving. The compiled binary, the raw big-result fixture,
 * the SDK Client; peak RSS (VmHWM after clear_refs) printed with MCPO_TEST_VERBOSE.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const BIG = join(import.meta.dir, "..", "faults", "servers", "big-result.ts")
const MiB = 1024 * 1024
const hasProc = process.platform === "linux"

let c: Connected

beforeAll(async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    servers: { big: { command: process.execPath, args: [BIG] } },
    proxy: { expose: "code" },
    // the frame limit raised: the 50 MiB answer is refused for the script's sake, not for the pool's
    pool: { maxFrameBytes: 256 * MiB },
    codeMode: { timeout: "60s" },
    toolkit: { enabled: "off" },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)

afterAll(async () => {
  await c?.close()
})

const run = async (code: string): Promise<CallToolResult> => (await c.client.callTool({ name: "run_code", arguments: { code } }, undefined, { timeout: 120_000 })) as CallToolResult
const text = (r: CallToolResult): string => (r.content[0] as { text: string }).text
const vm = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${c.pid}/status`, "utf8"))?.[1]) / 1024

describe("run_code: an answer larger than the script can take in", () => {
  for (const layout of ["ts", "py"]) {
    test(`50 MiB (${layout} layout) is dropped unread: the call rejects naming the tool, its size and codeMode.memory; the next call works`, async () => {
      // a small answer first: the server started, the code compiled
      expect(text(await run(`return await tools.big__echo({ message: "warm" })`))).toBe("warm")
      const measured = hasProc && c.pid !== undefined
      const idle = measured ? vm("VmRSS") : 0
      if (measured) writeFileSync(`/proc/${c.pid}/clear_refs`, "5")
      const r = await run(`return await tools.big__big({ mib: 50, layout: ${JSON.stringify(layout)} }).then((v) => "taken " + v.length, (e) => e.message)`)
      const peak = measured ? vm("VmHWM") - idle : 0
      if (process.env.MCPO_TEST_VERBOSE) console.error(`${layout}: idle ${idle.toFixed(1)} MiB, peak +${peak.toFixed(1)} MiB`)
      expect(r.isError).toBeFalsy()
      expect(text(r)).toMatch(/^tools\["big__big"\]: its result is (over )?\d+\.\d MiB of JSON, more than the script's memory \(64 MiB, codeMode\.memory\) can take in \(at most 32\.0 MiB: .*\); it was dropped unread; ask the tool for less/)
      // nothing of it was held whole, nor parsed (measured +20–35 MiB; it was +210–245 MiB)
      if (measured) expect(peak).toBeLessThan(80)
      expect(text(await run(`return await tools.big__echo({ message: "after" })`))).toBe("after")
    }, 120_000)
  }

  test("two at once (the SDK layout: the id at the end, two calls in flight): both dropped unread, each call rejects", async () => {
    const r = await run(`const rs = await Promise.allSettled([tools.big__big({ mib: 40 }), tools.big__big({ mib: 40, delayMs: 50 })])
      return rs.map((x) => x.status === "rejected" ? x.reason.message : "taken")`)
    expect(r.isError).toBeFalsy()
    const got = r.structuredContent!.result as string[]
    expect(got).toHaveLength(2)
    for (const m of got) expect(m).toMatch(/^tools\["big__big"\]: its result is (over )?\d+\.\d MiB of JSON, .*dropped unread/)
  }, 120_000)

  test("an answer the script can take in still arrives whole (4 MiB)", async () => {
    const r = await run(`const t = await tools.big__big({ mib: 4 }); return t.length`)
    expect(r.isError).toBeFalsy()
    // the fixture's repeated unit, sized by its JSON text (test/faults/memory expectedLength)
    const unit = 'row "quoted" \\ tab\t line of text 0123456789\n'
    expect(Number(text(r))).toBe(unit.length * Math.floor((4 * MiB) / (JSON.stringify(unit).length - 2)))
  }, 120_000)
})
