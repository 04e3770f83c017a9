/**
 * @module test/surface/run-code-hostile-results-binary
 * run_code against a hostile downstream's results (QA 343), through the compiled binary: each gives
 * the script a clear error it can catch or a bounded value, and the orchestrator keeps serving.
 * 100 000 levels of nesting, structuredContent not matching the outputSchema, 1 000 000 small text
 * blocks, 200 000 resource links, an answer after the script ended, and a 30 MiB base64 image: under
 * what the host refuses, it did not fit beside the script's own data and rejected with a bare
 * "out of memory", naming neither the call nor its size; now it says both and what to do.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const HOSTILE = join(import.meta.dir, "..", "faults", "servers", "hostile-results-server.ts")
let c: Connected

beforeAll(async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    servers: { h: { command: process.execPath, args: [HOSTILE] } },
    proxy: { expose: "code" },
    codeMode: { timeout: "60s" },
    toolkit: { enabled: "off" },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)

afterAll(async () => {
  await c?.close()
})

/** The script's returned value (its text), the call asserted not to fail as a run. */
async function value(code: string): Promise<string> {
  const r = (await c.client.callTool({ name: "run_code", arguments: { code } }, undefined, { timeout: 120_000 })) as CallToolResult
  const text = (r.content[0] as { text: string }).text
  expect(r.isError, text).toBeFalsy()
  return text
}
const caught = (call: string, then: string): string => `return await ${call}.then((v) => "taken " + ${then}, (e) => "ERR " + e.message)`
const vm = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${c.pid}/status`, "utf8"))?.[1]) / 1024
const alive = async (): Promise<void> => expect(await value(`return await tools.h__echo({ message: "alive" })`)).toBe("alive")

describe("run_code: hostile results", () => {
  test("a 30 MiB base64 image that does not fit beside the script's data rejects naming the call, its size and codeMode.memory", async () => {
    const text = await value(`const keep = []; for (let i = 0; i < 6; i++) keep.push("k".repeat(4 * 1024 * 1024) + i)
      ${caught("tools.h__image({})", "v.content[1].data.length")}`)
    expect(text).toMatch(/^ERR tools\["h__image"\]: its result \(\d+ characters of JSON\) could not be read into the script's memory \(codeMode\.memory\): out of memory; ask the tool for less/)
    await alive()
  }, 120_000)

  test("100 000 levels of nesting: a clear error", async () => {
    expect(await value(caught("tools.h__deep({})", "JSON.stringify(v).length"))).toMatch(/^ERR .*nests more than [\d,]+ levels/)
    await alive()
  }, 120_000)

  test("structuredContent not matching the outputSchema: a clear error naming the schema", async () => {
    expect(await value(caught("tools.h__wrong({})", "JSON.stringify(v)"))).toMatch(/^ERR .*structuredContent does not match the tool's outputSchema/)
  }, 120_000)

  test("1 000 000 small blocks and 200 000 resource links: bounded values", async () => {
    // Regression (QA 346): the blocks' texts are joined from the result's bytes, block by block
    // (pool/text-join); they were parsed into a million objects first (+187 MiB peak, now about +40)
    await alive()
    const measured = process.platform === "linux" && c.pid !== undefined
    const idle = measured ? vm("VmRSS") : 0
    if (measured) writeFileSync(`/proc/${c.pid}/clear_refs`, "5")
    const t0 = performance.now()
    expect(await value(caught("tools.h__many({})", "v.length"))).toBe(`taken ${2 * 1_000_000 - 1}`)
    const peak = measured ? vm("VmHWM") - idle : 0
    if (process.env.MCPO_TEST_VERBOSE) console.error(`many: idle ${idle.toFixed(1)} MiB, peak +${peak.toFixed(1)} MiB, ${Math.round(performance.now() - t0)} ms`)
    if (measured) expect(peak).toBeLessThan(120)
    expect(await value(caught("tools.h__links({})", "v.content.length"))).toBe("taken 200000")
    await alive()
  }, 120_000)

  test("an answer that arrives after the script ended is dropped; the next run works", async () => {
    expect(await value(`tools.h__late({ delayMs: 1000 }); return "ended"`)).toStartWith("ended")
    await Bun.sleep(2000)
    await alive()
  }, 120_000)
})
