/**
 * Regression (qa72): a server answering with one line that never ends (it streams for as long as it
 * runs) held the call until its timeout, and it then failed as a plain TIMEOUT: the framer drops such
 * a line as it comes but said so only at its end. A response passing pool.maxFrameBytes now fails
 * its call at once with FRAME_TOO_LARGE, in the SDK's layout (result first, the one request in
 * flight) and with its id first; the proxy stays up.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { responseOwner, silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { BUN, config, ctx, ROOT } from "../proxy/helpers.ts"

const SERVER = join(ROOT, "test", "fixtures", "servers", "endless-line-server.ts")

describe("a response line that never ends", () => {
  for (const [what, args] of [["result first (the SDK's layout)", []], ["id first", ["--id-first"]]] as const) {
    test(`${what}: its call fails FRAME_TOO_LARGE once it passes the limit, not at its timeout`, async () => {
      const cfg = config({ servers: { big: { command: BUN, args: [SERVER, ...args], timeout: 600_000 } }, pool: { maxFrameBytes: 256 * 1024 } })
      await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
      const err = await proxy.callTool("big__endless", {}, ctx()).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      )
      expect(err?.code).toBe("FRAME_TOO_LARGE")
      expect(err?.message).toMatch(/^server big is sending a message over the [\d.]+ MiB limit \([\d.]+ MiB so far\); it is dropped as it comes$/)
    }, 60_000)
  }
})

describe("responseOwner (which call a response still arriving answers)", () => {
  test("its id when written before its result or error; the one request in flight for the SDK's result-first layout", () => {
    expect(responseOwner('{"jsonrpc":"2.0","id":7,"result":{"content":[', [3, 7])).toBe(7)
    expect(responseOwner('{"id":"a-1","jsonrpc":"2.0","error":{"code"', ["a-1"])).toBe("a-1")
    expect(responseOwner('{"result":{"content":[{"type":"text","text":"xxx', [4])).toBe(4)
  })
  test("nobody's: a request or notification of the server's, a result-first response with several in flight, other text", () => {
    expect(responseOwner('{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"xxx', [4])).toBeUndefined()
    expect(responseOwner('{"jsonrpc":"2.0","id":9,"method":"sampling/createMessage","params":{', [4])).toBeUndefined()
    expect(responseOwner('{"result":{"content":[', [4, 5])).toBeUndefined()
    expect(responseOwner("xxxxxxxx", [4])).toBeUndefined()
  })
})
