/**
 * A start's listing burst (50 servers × 100 recorded tools) parses, checks, names, hashes and
 * serialises each definition several times within a few turns of the event loop; the collector's
 * own threshold let that garbage take the start's peak to ~210 MiB for a steady ~120 (qa314,
 * docs/proxy.md issue 15). Listing now asks for a concurrent collection every COLLECT_EVERY items
 * read (core/collect-pace), counted across servers and pages. No memory is asserted: only that a
 * real listing asks, at that pace, and lists every tool as before.
 */
import { afterEach, expect, spyOn, test } from "bun:test"
import { join } from "node:path"
import { COLLECT_EVERY } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { captureLog, config, ROOT } from "./helpers.ts"

const FIXTURE = join(ROOT, "scripts", "bench", "_fixture-server.ts")
const DEFS = join(ROOT, "test", "fixtures", "tool-defs")

let gc: ReturnType<typeof spyOn> | undefined
afterEach(() => gc?.mockRestore())

test("listing servers asks for a concurrent collection every COLLECT_EVERY items, across servers", async () => {
  const perServer = Math.floor(COLLECT_EVERY / 2) + 1
  const fx = (seed: number) => ({ command: process.execPath, args: [FIXTURE, DEFS, "--count", String(perServer), "--seed", String(seed)] })
  gc = spyOn(Bun, "gc")
  await using proxy = createProxy({ config: config({ servers: { a: fx(1), b: fx(2) } }), log: captureLog().log, coalesceMs: 50, closeGraceMs: 200 })
  const tools = await proxy.listTools()
  expect(tools.filter((t) => t.name.startsWith("a__")).length).toBe(perServer)
  expect(tools.filter((t) => t.name.startsWith("b__")).length).toBe(perServer)
  // each server's list alone is under the pace; together they pass it (with what other listings of
  // this process left counted before, once or twice)
  const asks = gc.mock.calls.filter((args: unknown[]) => args[0] === false).length
  expect(asks).toBeGreaterThanOrEqual(1)
  expect(asks).toBeLessThanOrEqual(2)
}, 60_000)
