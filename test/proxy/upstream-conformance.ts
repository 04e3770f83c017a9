/**
 * @module test/proxy/upstream-conformance
 * The `Upstream` contract as one suite, for every implementation. `make()` must return an upstream
 * whose downstreams include a tool named `echoName` that echoes `{ message }` in its first text, and a
 * tool `hangName` that never answers; `trigger()` must make the aggregated tool list change.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { EXPOSED_TOOL_NAME_RE, isOrchestratorError } from "../../src/core/index.ts"
import type { ListKind, Upstream } from "../../src/proxy/index.ts"
import { ctx } from "./helpers.ts"

export interface UpstreamFixture {
  upstream: Upstream
  echoName: string
  hangName: string
  /** Causes a change of the aggregated tool list. */
  trigger(): Promise<void>
  dispose(): Promise<void>
}

export function upstreamConformance(label: string, make: () => Promise<UpstreamFixture>): void {
  describe(`Upstream conformance: ${label}`, () => {
    let f: UpstreamFixture
    beforeAll(async () => {
      f = await make()
    })
    afterAll(() => f?.dispose())

    test("listTools: valid unique names, deterministic order, stable across calls", async () => {
      const a = await f.upstream.listTools()
      const b = await f.upstream.listTools()
      expect(a.map((t) => t.name)).toEqual(b.map((t) => t.name))
      expect(new Set(a.map((t) => t.name)).size).toBe(a.length)
      for (const t of a) expect(t.name).toMatch(EXPOSED_TOOL_NAME_RE)
      expect(a.map((t) => t.name)).toContain(f.echoName)
    })

    test("callTool routes and returns the downstream result", async () => {
      const r = await f.upstream.callTool(f.echoName, { message: "conformance" }, ctx())
      expect(JSON.stringify(r.content[0])).toContain("conformance")
    })

    test("callTool: unknown name is an OrchestratorError (protocol, -32602)", async () => {
      const e = await f.upstream.callTool("no_such__tool", {}, ctx()).catch((x: unknown) => x)
      expect(isOrchestratorError(e)).toBe(true)
      expect(e).toMatchObject({ kind: "protocol", rpcCode: -32602 })
    })

    test("callTool: an aborted signal ends the call with an OrchestratorError", async () => {
      const c = ctx()
      const p = f.upstream.callTool(f.hangName, {}, c)
      setTimeout(() => c.controller.abort(), 50)
      const e = await p.catch((x: unknown) => x)
      expect(isOrchestratorError(e)).toBe(true)
    })

    test("prompts, resources and templates lists are arrays; an unknown resource is an error", async () => {
      expect(Array.isArray(await f.upstream.listPrompts())).toBe(true)
      expect(Array.isArray(await f.upstream.listResources())).toBe(true)
      expect(Array.isArray(await f.upstream.listResourceTemplates())).toBe(true)
      expect(isOrchestratorError(await f.upstream.readResource("nowhere://nothing", ctx()).catch((x: unknown) => x))).toBe(true)
    })

    test("clients (optional): detach is idempotent; subscriptions of unknown URIs fail, unsubscribing them is a no-op", async () => {
      const u = f.upstream
      if (!u.attachClient || !u.subscribeResource || !u.unsubscribeResource) return
      const link = { capabilities: () => ({}), protocolVersion: () => "2025-11-25", request: async () => ({}), notify: async () => {} }
      const detach = u.attachClient(link)
      // a call with this client in its context still works as before
      const c = ctx()
      c.client = link
      expect(JSON.stringify((await u.callTool(f.echoName, { message: "with client" }, c)).content[0])).toContain("with client")
      await u.unsubscribeResource("nowhere://nothing", link, ctx())
      if ((await u.listResources()).length === 0 && (await u.listResourceTemplates()).length === 0) {
        expect(isOrchestratorError(await u.subscribeResource("nowhere://nothing", link, ctx()).catch((x: unknown) => x))).toBe(true)
      }
      detach()
      detach()
    })

    test("status: one entry per server, tool count matches the list", async () => {
      const st = f.upstream.status()
      const tools = await f.upstream.listTools()
      expect(st.tools).toBe(tools.length)
      for (const s of st.servers) {
        expect(typeof s.name).toBe("string")
        expect(["config", "toolkit"]).toContain(s.source)
        expect(["idle", "starting", "ready", "failed", "backoff", "open-circuit", "closed"]).toContain(s.state)
        expect(s.inFlight).toBeGreaterThanOrEqual(0)
      }
    })

    test("onListChanged: delivered after a change; unsubscribe stops delivery", async () => {
      const got: ListKind[] = []
      const late: ListKind[] = []
      const off = f.upstream.onListChanged((k) => got.push(k))
      const off2 = f.upstream.onListChanged((k) => late.push(k))
      off2()
      await f.trigger()
      const end = performance.now() + 5000
      while (!got.includes("tools") && performance.now() < end) await Bun.sleep(20)
      off()
      expect(got).toContain("tools")
      expect(late).toEqual([])
    })
  })
}
