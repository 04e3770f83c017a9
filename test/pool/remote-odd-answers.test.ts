/**
 * A remote whose answers are valid MCP but odd on the HTTP level: an `Mcp-Session-Id` with control
 * characters (no HTTP client reads such an answer: the error says so in words, not Bun's
 * "Malformed_HTTP_Response"), one of 10 KB (kept and sent back as given), and a tools/call
 * answered HTTP 200 with an empty body (that call fails saying the body is empty, not "Unexpected end
 * of JSON input"; the session stays). Raw Bun HTTP fixture (test/fixtures/hostile-remote.ts).
 */
import { afterEach, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { startHostileRemote, type HostileRemote } from "../fixtures/hostile-remote.ts"
import { downstreamFailure } from "../helpers/failure.ts"
import { captureLog, config } from "../proxy/helpers.ts"

let remote: HostileRemote | undefined
afterEach(() => remote?.stop())

function pool(sessionId?: string): Pool {
  remote = startHostileRemote(sessionId !== undefined ? { sessionId } : {})
  const p = new Pool({ config: config({ pool: { callTimeout: 15_000, connectTimeout: 15_000 } }), log: captureLog().log })
  p.add({ name: "web", source: "config", spec: { url: remote.url, protocol: "legacy" } as ServerSpec })
  return p
}

const call = (p: Pool, text: string): Promise<unknown> => p.call("web", "tools/call", { name: "echo", arguments: { text } }, {})

describe("odd but valid remote answers", () => {
  test("an Mcp-Session-Id with a control character: the failure says the HTTP answer is malformed", async () => {
    await using p = pool("abc\u0001def")
    const e = await downstreamFailure(call(p, "hi"))
    expect(e.message).toContain("HTTP answer is malformed")
    expect(e.message).toContain("Mcp-Session-Id")
    // a server reached by URL has no command to run by hand
    expect(e.remedy ?? "").not.toContain("by hand")
    expect(e.remedy ?? "").toContain("url")
  })

  test("an Mcp-Session-Id of 10 KB: kept, sent back whole, calls work", async () => {
    await using p = pool("x".repeat(10_240))
    expect(await call(p, "hi")).toMatchObject({ content: [{ type: "text", text: "echo:hi" }] })
    expect(remote!.sessionIdsSeen.length).toBeGreaterThan(0)
    expect(remote!.sessionIdsSeen.every((n) => n === 10_240)).toBe(true)
  })

  test("a tools/call answered HTTP 200 with an empty body: that call fails saying so, the session stays", async () => {
    await using p = pool()
    const e = await downstreamFailure(call(p, "empty-body"))
    expect(e.code).toBe("BAD_RESPONSE")
    expect(e.message).toContain("its body is empty")
    expect(e.message).not.toContain("Unexpected end")
    expect(await call(p, "after")).toMatchObject({ content: [{ type: "text", text: "echo:after" }] })
    expect(remote!.initializes).toBe(1)
  })
})
