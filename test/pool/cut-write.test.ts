/**
 * Regression (qa72): a server stopped by us in the middle of writing a message (its last line
 * unfinished when its stdout closed) was reported as "non-JSON line on downstream stdout skipped",
 * with half a JSON message as the sample, in the log of every shutdown or restart that caught a
 * server writing. The line our own close cut is not the server's noise: it is not reported. A
 * server that ends on its own with an unfinished line still is (that is its output).
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { createLogger, createLogHub, type LogRecord } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { BUN, config, ctx, ROOT } from "../proxy/helpers.ts"

const SERVER = join(ROOT, "test", "fixtures", "servers", "cut-write-server.ts")

test("a line cut by our own close of the server is not reported as non-JSON output", async () => {
  const records: LogRecord[] = []
  const hub = createLogHub("debug", () => {})
  hub.sinks.add((r) => records.push(r))
  {
    await using proxy = createProxy({ config: config({ servers: { cut: { command: BUN, args: [SERVER] } } }), log: createLogger(hub, "test"), closeGraceMs: 200 })
    const r = await proxy.callTool("cut__start_writing", {}, ctx())
    expect(JSON.stringify(r)).toContain("writing")
  }
  expect(records.filter((r) => r.msg.includes("non-JSON")).map((r) => r.msg)).toEqual([])
}, 30_000)
