/**
 * The modern lane's decisions on their own: which messages are modern (the one-key test the legacy
 * fast lane pays for), envelope checks and their error codes, and how results are completed.
 */
import { describe, expect, test } from "bun:test"
import { complete, discoverResult, isModern, judge, MODERN_VERSION } from "../../src/mcp/modern-lane.ts"

const ENV = { "io.modelcontextprotocol/protocolVersion": MODERN_VERSION, "io.modelcontextprotocol/clientCapabilities": {} }

describe("modern lane", () => {
  test("a legacy message (no envelope, or a progressToken only) is not modern; discover always is", () => {
    expect(isModern("tools/call", undefined)).toBe(false)
    expect(isModern("tools/call", { progressToken: 1 })).toBe(false)
    expect(isModern("initialize", undefined)).toBe(false)
    expect(isModern("tools/call", ENV)).toBe(true)
    expect(isModern("server/discover", undefined)).toBe(true)
    // a client's `_meta` may be any JSON value: no object is no envelope (and never a throw)
    for (const meta of [null, "x", 5, true, []]) expect(isModern("tools/call", meta)).toBe(false)
  })

  test("envelope errors: -32602 for a missing field, -32022 with the supported list, -32601 for removed methods", () => {
    expect(judge("tools/list", undefined)).toMatchObject({ error: { code: -32602 } })
    expect(judge("tools/list", { "io.modelcontextprotocol/protocolVersion": MODERN_VERSION })).toMatchObject({ error: { code: -32602 } })
    expect(judge("tools/list", { ...ENV, "io.modelcontextprotocol/protocolVersion": "2025-11-25" })).toEqual({
      error: { code: -32022, message: "Unsupported protocol version: 2025-11-25", data: { supported: [MODERN_VERSION], requested: "2025-11-25" } },
    })
    // an empty version is shown as such; a very long one is cut in the message and in data.requested (it came back whole, twice)
    expect(judge("tools/list", { ...ENV, "io.modelcontextprotocol/protocolVersion": "" })).toMatchObject({ error: { code: -32022, message: 'Unsupported protocol version: "" (empty)', data: { requested: "" } } })
    const long = judge("tools/list", { ...ENV, "io.modelcontextprotocol/protocolVersion": "9".repeat(100_000) }) as { error: { message: string; data: { requested: string; supported: string[] } } }
    expect(long.error.message).toBe(`Unsupported protocol version: ${"9".repeat(64)}… (100,000 characters)`)
    expect(long.error.data).toEqual({ supported: [MODERN_VERSION], requested: `${"9".repeat(64)}…` })
    expect(judge("tools/list", { ...ENV, "io.modelcontextprotocol/protocolVersion": "2027-01-01" })).toMatchObject({ error: { code: -32022, message: "Unsupported protocol version: 2027-01-01" } })
    for (const m of ["ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "initialize"]) expect(judge(m, ENV)).toMatchObject({ error: { code: -32601 } })
    expect(judge("tools/list", ENV)).toEqual({ serve: true })
  })

  test("discover: the envelope versions (as -32022 names them), hints, serverInfo in _meta, instructions when given", () => {
    const d = judge("server/discover", ENV, "use it well") as { result: Record<string, unknown> }
    expect(d.result.supportedVersions).toEqual([MODERN_VERSION])
    const refused = judge("tools/list", { ...ENV, "io.modelcontextprotocol/protocolVersion": "2025-11-25" }) as { error: { data: { supported: string[] } } }
    expect(refused.error.data.supported).toEqual(d.result.supportedVersions as string[])
    expect(d.result).toMatchObject({ resultType: "complete", ttlMs: 0, cacheScope: "private", instructions: "use it well" })
    // resourceSubscriptions of subscriptions/listen are relayed (resources/subscribe itself is removed)
    expect((d.result.capabilities as { resources: Record<string, unknown> }).resources.subscribe).toBe(true)
    expect(discoverResult().instructions).toBeUndefined()
    expect((discoverResult()._meta as Record<string, { name: string }>)["io.modelcontextprotocol/serverInfo"]!.name).toBe("mcp-orchestrator")
  })

  test("results: resultType always, cache hints only on list/read results", () => {
    expect(complete("tools/list", { tools: [] })).toEqual({ tools: [], resultType: "complete", ttlMs: 0, cacheScope: "private" })
    expect(complete("resources/read", { contents: [] })).toMatchObject({ ttlMs: 0, cacheScope: "private" })
    expect(complete("tools/call", { content: [] })).toEqual({ content: [], resultType: "complete" })
    expect(complete("prompts/get", { messages: [] })).toEqual({ messages: [], resultType: "complete" })
  })
})
