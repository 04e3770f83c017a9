/**
 * @module test/surface/run-code-big-answers-http
 * Regression (QA 343), remote downstreams: a run_code script's call whose answer body is over what
 * the script can take in (half of codeMode.memory) was read whole by the HTTP transport, parsed and
 * written again as JSON before the sandbox refused it. Now the body is refused by its size as it is
 * read (a declared Content-Length: not read at all) and the call rejects naming the tool, its size
 * and codeMode.memory; a legitimate 4 MiB answer still arrives.
 * Regression (QA 346), the other transports: a 2026-07-28 server's answer (its own RequestStreams,
 * which had no cap) and a legacy HTTP+SSE server's (one stream carries every answer: the event is
 * dropped as it comes, for the request it answers, and the stream goes on) were read whole (100 MiB). The compiled binary, the hostile
 * HTTP servers of test/faults/servers/huge-http.ts (100 MiB bodies made as they are read), the SDK
 * Client; peak RSS printed with MCPO_TEST_VERBOSE.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "..", "faults", "servers", "huge-http.ts")
const MiB = 1024 * 1024
const hasProc = process.platform === "linux"

let hostile: Bun.Subprocess<"ignore", "pipe", "inherit">
let c: Connected

beforeAll(async () => {
  hostile = Bun.spawn([process.execPath, SERVER], { stdout: "pipe", stderr: "inherit" })
  const reader = hostile.stdout.getReader()
  let line = ""
  while (!line.includes("\n")) {
    const { value, done } = await reader.read()
    if (done) throw new Error("the hostile servers did not start")
    line += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  const urls = JSON.parse(line) as Record<string, string>
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    toolkit: { enabled: "off" },
    plugins: { enabled: false },
    proxy: { expose: "code" },
    codeMode: { timeout: "60s" },
    // the frame limit raised past the 100 MiB bodies: they are refused for the script's sake
    pool: { maxFrameBytes: 256 * MiB, maxResultBytesInFlight: 512 * MiB },
    servers: { plain: { url: urls.plain, protocol: "legacy" }, modern: { url: urls.modern }, sse: { url: urls.sse, transport: "sse" } },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)

afterAll(async () => {
  await c?.close()
  hostile?.kill()
})

const run = async (code: string): Promise<string> => {
  const r = (await c.client.callTool({ name: "run_code", arguments: { code } }, undefined, { timeout: 120_000 })) as CallToolResult
  const text = (r.content[0] as { text: string }).text
  expect(r.isError, text).toBeFalsy()
  return text
}
const vm = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${c.pid}/status`, "utf8"))?.[1]) / 1024

describe("run_code: a remote answer larger than the script can take in", () => {
  for (const [server, tool] of [["plain", "json-huge"], ["plain", "gzip-huge"], ["modern", "json-huge"], ["modern", "gzip-huge"], ["sse", "json-huge"], ["sse", "sdk-huge"]]) {
    test(`${server}__${tool} (100 MiB) is refused as it is read: the call rejects naming the tool, its size and codeMode.memory`, async () => {
      expect(await run(`return await tools.${server}__echo({ text: "warm" })`)).toEndWith("warm")
      const measured = hasProc && c.pid !== undefined
      const idle = measured ? vm("VmRSS") : 0
      if (measured) writeFileSync(`/proc/${c.pid}/clear_refs`, "5")
      const text = await run(`return await tools[${JSON.stringify(`${server}__${tool}`)}]({}).then((v) => "taken " + v.length, (e) => e.message)`)
      const peak = measured ? vm("VmHWM") - idle : 0
      if (process.env.MCPO_TEST_VERBOSE) console.error(`${server}__${tool}: idle ${idle.toFixed(1)} MiB, peak +${peak.toFixed(1)} MiB`)
      expect(text).toMatch(new RegExp(`^tools\\["${server}__${tool}"\\]: its result is (over )?\\d+\\.\\d MiB of JSON, more than the script's memory \\(64 MiB, codeMode\\.memory\\) can take in \\(at most 32\\.0 MiB: .*\\); it was dropped unread`))
      if (measured) expect(peak).toBeLessThan(100)
      expect(await run(`return await tools.${server}__echo({ text: "after" })`)).toEndWith("after")
    }, 120_000)
  }

  test("legacy HTTP+SSE, two at once in the SDK layout (the id at the end of each event): both dropped unread, each call rejects, the session stays", async () => {
    const out = await run(`const rs = await Promise.allSettled([tools["sse__sdk-huge"]({}), tools["sse__sdk-huge"]({})])
      return JSON.stringify(rs.map((x) => x.status === "rejected" ? x.reason.message : "taken"))`)
    const got = JSON.parse(out.slice(out.indexOf("["))) as string[]
    expect(got).toHaveLength(2)
    for (const m of got) expect(m).toMatch(/^tools\["sse__sdk-huge"\]: its result is (over )?\d+\.\d MiB of JSON, .*dropped unread/)
    expect(await run(`return await tools.sse__echo({ text: "after" })`)).toEndWith("after")
  }, 120_000)

  for (const server of ["plain", "modern", "sse"]) {
    test(`${server}: a 4 MiB answer still arrives`, async () => {
      expect(Number(await run(`return (await tools.${server}__big({})).length`))).toBeGreaterThan(3 * MiB)
    }, 120_000)
  }
})
