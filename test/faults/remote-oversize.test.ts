/**
 * @module test/faults/remote-oversize
 * `pool.maxFrameBytes` on remote downstreams, through the compiled binary (QA: a 400 MiB JSON answer
 * or an SSE `data:` line that never ends took the orchestrator to 2.5 GiB / 1.5 GiB RSS; a bigger one
 * had it OOM-killed, every server gone). Three remote servers (`servers/huge-http.ts`, in its own
 * process): a legacy-era Streamable HTTP one, a 2026-07-28 one and a legacy HTTP+SSE one, with
 * `pool.maxFrameBytes` 8 MiB. A 100 MiB JSON answer, its gzip form and an endless SSE line each fail
 * their call with FRAME_TOO_LARGE (not a timeout); the binary's peak RSS (VmHWM after `clear_refs`)
 * grows less than 2 × the limit + 64 MiB during each (measured 5–33 MiB); every server answers
 * afterwards, and a 4 MiB result passes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, sandboxEnv, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "huge-http.ts")
const MiB = 1024 * 1024
const LIMIT = 8 * MiB
const BOUND_MIB = (2 * LIMIT) / MiB + 64
const hasProc = process.platform === "linux"

let hostile: Bun.Subprocess<"ignore", "pipe", "inherit">
let urls: Record<string, string>
let c: Connected

function status(pid: number, key: string): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return m ? Number(m[1]) / 1024 : NaN
}

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
  urls = JSON.parse(line) as Record<string, string>
  const env = sandboxEnv()
  const file = join(env.HOME!, "config.json")
  writeFileSync(
    file,
    JSON.stringify({
      toolkit: { enabled: "off" },
      plugins: { enabled: false },
      warm: ["plain", "v2", "old"],
      pool: { maxFrameBytes: LIMIT, restartDelay: 100 },
      servers: {
        plain: { url: urls.plain, protocol: "legacy" },
        v2: { url: urls.modern, protocol: "modern" },
        old: { url: urls.sse, transport: "sse" },
      },
    }),
  )
  c = await connectBinary(["serve", "--config", file], env)
})

afterAll(async () => {
  await c?.close()
  hostile?.kill()
})

const textOf = (r: unknown) => ((r as { content?: { text?: string }[] }).content ?? []).map((x) => x.text ?? "").join("")

describe("remote answers over pool.maxFrameBytes, through the binary", () => {
  test("each fails its call with FRAME_TOO_LARGE (not a timeout); peak RSS bounded; every server answers afterwards; 4 MiB passes", async () => {
    // all three up (the first list waits for them)
    for (const s of ["plain", "v2", "old"]) expect(textOf(await c.client.callTool({ name: `${s}__echo`, arguments: { text: "a" } }))).toEndWith(":a")
    const pid = c.pid!
    const calls: [string, string][] = [
      ["plain", "json-huge"],
      ["plain", "gzip-huge"],
      ["plain", "sse-endless"],
      ["v2", "json-huge"],
      ["v2", "gzip-huge"],
      ["v2", "sse-endless"],
      ["old", "sse-endless"],
    ]
    for (const [server, tool] of calls) {
      // the peak of each call above the RSS before it (the GC frees the last one's garbage at its own pace)
      if (hasProc) writeFileSync(`/proc/${pid}/clear_refs`, "5")
      const before = hasProc ? status(pid, "VmRSS") : 0
      // the client's own timeout is far above the test's: a call left hanging fails the test as a timeout
      const r = (await c.client.callTool({ name: `${server}__${tool}`, arguments: {} }, undefined, { timeout: 600_000 })) as { isError?: boolean }
      const text = textOf(r)
      expect(r.isError).toBe(true)
      expect(text).toContain("FRAME_TOO_LARGE")
      expect(text).toMatch(new RegExp(`server ${server} sent a message of at least 8\\.\\d+ MiB in answer to tools/call, over the 8\\.0 MiB limit`))
      if (hasProc) expect(status(pid, "VmHWM") - before).toBeLessThan(BOUND_MIB)
    }
    // every server answers (the HTTP+SSE one after its reconnect), a legitimate 4 MiB result passes
    for (const s of ["plain", "v2", "old"]) expect(textOf(await c.client.callTool({ name: `${s}__echo`, arguments: { text: "b" } }))).toEndWith(":b")
    for (const s of ["plain", "v2", "old"]) expect(textOf(await c.client.callTool({ name: `${s}__big`, arguments: {} }))).toHaveLength(4 * MiB)
  }, 120_000)
})
