/**
 * A remote server that takes the connection and never answers `initialize`. A call made meanwhile
 * timed out with "tools/call timed out after 4.00 s (budget 4 s); it was not sent to the server":
 * no server named, the time spent waiting for the start left out (the wait that timed out was not
 * booked before the message was made), and the remedy "raise the server's `timeout` if the tool is
 * expected to be slow", about a tool that was never asked. Now it names the server, says where the
 * time went, and what to do about a start that does not finish.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { DownstreamError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startHostileRemote } from "../fixtures/hostile-remote.ts"
import { downstreamFailure } from "../helpers/failure.ts"

const silent = startHostileRemote({ silentStart: true })
afterAll(() => silent.stop())

describe("a remote server that never answers initialize", () => {
  test.each(["legacy", undefined])("protocol %p: the call's TIMEOUT names the server, the wait for its start, and the start's remedy", async (protocol) => {
    await using p = new Pool({ config: config({ pool: { callTimeout: 1500, connectTimeout: 30_000 } }), log: captureLog().log })
    p.add({ name: "web", source: "config", spec: { url: silent.url, ...(protocol ? { protocol } : {}) } as ServerSpec })
    const e = await downstreamFailure(p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {}))
    expect(e).toBeInstanceOf(DownstreamError)
    expect(e.code).toBe("TIMEOUT")
    expect(e.message).toMatch(/^server web: tools\/call timed out after [\d.]+ s \(budget 1\.5 s; [\d.]+ s of it waiting for the server to start\); it was not sent to the server$/)
    const waited = Number(/; ([\d.]+) s of it waiting/.exec(e.message)![1])
    expect(waited).toBeGreaterThanOrEqual(1.4)
    expect(e.remedy).toContain("did not get ready within this call's budget")
    expect(e.remedy).toContain("`connectTimeout`")
    expect(e.remedy).not.toContain("if the tool is expected to be slow")
    expect(e.details?.server).toBe("web")
  }, 30_000)
})
