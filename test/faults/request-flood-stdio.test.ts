/**
 * A stdio server that floods its client with requests (ping, roots/list, sampling) and does not read
 * its stdin meanwhile (test/faults/servers/request-flooder.ts, a real process). Our answers were all
 * held in memory for it (20 000 pings with 10 kB ids: ~250 MB more in the orchestrator). Now past
 * pool/stdio-answer-drops' bound of unread output they are dropped, said once naming the server, and
 * the count dropped is said when the server has read its backlog; its calls and another server's go on.
 * One that exits in its flood, never reading, was said to be "over" its flood (the broken pipe read
 * as a drained one): now its end is said as an end.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { MAX_ANSWER_BACKLOG } from "../../src/pool/stdio-answer-drops.ts"
import { BUN, captureLog, config, until } from "../proxy/helpers.ts"

const FLOODER = join(import.meta.dir, "servers", "request-flooder.ts")
const text = (r: unknown): string => (r as { content: { text: string }[] }).content[0]!.text
const spec = { command: BUN, args: [FLOODER] } as ServerSpec

describe("a stdio server flooding us with requests it does not read the answers of", () => {
  for (const method of ["ping", "roots/list", "sampling/createMessage"]) {
    test(`${method}: the answers left unread are bounded; the drop is said naming the server, with the count once it read on; calls go on`, async () => {
      const { log, records } = captureLog()
      await using p = new Pool({ config: config({}), log })
      p.add({ name: "flood", source: "config", spec })
      p.add({ name: "calm", source: "config", spec })
      const count = 5000
      const idBytes = 20_000
      const flood = p.call("flood", "tools/call", { name: "flood", arguments: { count, idBytes, method } }, {})
      expect(text(await p.call("calm", "tools/call", { name: "hello", arguments: {} }, {}))).toBe("hi")
      expect(text(await flood)).toBe(`sent ${count}`)
      // it reads on: what it read of our answers comes before this call's request
      const read = Number(/^answers (\d+)$/.exec(text(await p.call("flood", "tools/call", { name: "answers", arguments: {} }, {})))![1])
      // before: every answer (5000, 100 MB) was held for it and read
      expect(read).toBeLessThan(count / 2)
      expect(read).toBeLessThanOrEqual(Math.ceil((MAX_ANSWER_BACKLOG * 2) / idBytes))
      const warned = records.filter((r) => String(r.msg).includes("faster than it reads our answers"))
      expect(warned.length).toBe(1)
      expect(warned[0]!.server).toBe("flood")
      expect(await until(() => records.some((r) => String(r.msg).includes("flood of requests is over")), 30_000, 50)).toBe(true)
      const over = records.find((r) => String(r.msg).includes("flood of requests is over"))!
      expect(over.server).toBe("flood")
      expect(over.dropped).toBe(count - read)
      expect(text(await p.call("flood", "tools/call", { name: "hello", arguments: {} }, {}))).toBe("hi")
    }, 60_000)
  }

  test("one that exits in its flood: the drop is said as its end, not as a flood it got through", async () => {
    const { log, records } = captureLog()
    await using p = new Pool({ config: config({}), log })
    p.add({ name: "flood", source: "config", spec })
    await p.call("flood", "tools/call", { name: "flood", arguments: { count: 5000, idBytes: 20_000, exit: true } }, {}).catch(() => undefined)
    // the count dropped is said either way: as what it is
    expect(await until(() => records.some((r) => r.server === "flood" && String(r.msg).endsWith("answers dropped")), 30_000, 50)).toBe(true)
    expect(records.some((r) => String(r.msg).includes("flood of requests is over"))).toBe(false)
    const ended = records.filter((r) => String(r.msg).includes("ended while flooding us with requests"))
    expect(ended.length).toBe(1)
    expect(ended[0]!.server).toBe("flood")
    expect(ended[0]!.dropped).toBeGreaterThan(0)
  }, 60_000)
})
