/**
 * A remote server that answers a live call with 429 (Retry-After, or none) keeps its session but is
 * left alone: its next calls are held off until then (waiting within their budget, or failing at
 * once with RATE_LIMITED naming the server and when), nothing sent meanwhile; other servers are not
 * affected. Before, only that call failed and the next calls went straight to the server, hammering
 * one that had said "not now". Both eras; raw Bun HTTP fixture (test/fixtures/hostile-remote).
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { startModernEcho } from "../fixtures/modern-echo-http.ts"
import { downstreamFailure } from "../helpers/failure.ts"

/** tools/call that reached each fixture; `status:429[:<Retry-After>]` is answered so. */
const reached = { legacy: 0, modern: 0 }
type Msg = { method?: string; params?: { arguments?: { text?: unknown } } }
/**
 * `burst:*` calls: the first to arrive is answered 429 (Retry-After: 1) once 4 more arrived or 1.5 s
 * passed; `during` counts the ones that arrived while it was unanswered (a burst released at once).
 */
const burst = { arrived: 0, during: 0, pending: false }
async function burstAnswer(): Promise<Response | undefined> {
  burst.arrived++
  if (burst.pending) burst.during++
  if (burst.arrived !== 1) return undefined
  burst.pending = true
  for (let i = 0; i < 30 && burst.arrived < 5; i++) await Bun.sleep(50)
  burst.pending = false
  return new Response("slow down", { status: 429, headers: { "retry-after": "1" } })
}
const refuse = (era: keyof typeof reached) => (m: unknown): Response | undefined | Promise<Response | undefined> => {
  const msg = m as Msg
  if (msg.method !== "tools/call") return undefined
  reached[era]++
  if (String(msg.params?.arguments?.text ?? "").startsWith("burst:")) return burstAnswer()
  const asked = /^status:429(?::(.+))?$/.exec(String(msg.params?.arguments?.text ?? ""))
  return asked ? new Response("slow down", { status: 429, headers: asked[1] !== undefined ? { "retry-after": asked[1] } : {} }) : undefined
}
const legacy = startStatefulHttp()
legacy.refuse(refuse("legacy"))
const modern = startModernEcho(refuse("modern"))
const other = startStatefulHttp()
afterAll(async () => {
  await legacy.stop()
  await modern.stop()
  await other.stop()
})

function pool(era: "legacy" | "modern"): Pool {
  const p = new Pool({ config: config({ pool: { callTimeout: 10_000, restartDelay: 1000 } }), log: captureLog().log })
  p.add({ name: "web", source: "config", spec: { url: era === "legacy" ? legacy.url : modern.url, protocol: era } as ServerSpec })
  p.add({ name: "other", source: "config", spec: { url: other.url, protocol: "legacy" } as ServerSpec })
  return p
}
const echo = (p: Pool, server: string, text: string, timeoutMs?: number) => p.call(server, "tools/call", { name: "echo", arguments: { text } }, timeoutMs !== undefined ? { timeoutMs } : {})
const ok = (text: string) => ({ content: [{ type: "text", text: `echo:${text}` }] })

describe("a live remote call answered 429 holds off the server's next calls", () => {
  for (const era of ["legacy", "modern"] as const) {
    test(`${era}: 429 Retry-After: 30: the next calls fail at once with RATE_LIMITED, nothing sent; another server is not affected`, async () => {
      await using p = pool(era)
      expect(await echo(p, "web", "a")).toEqual(ok("a"))
      const first = await downstreamFailure(echo(p, "web", "status:429:30"))
      expect(first.code).toBe("BAD_RESPONSE")
      expect(first.details?.retryAfterMs).toBe(30_000)
      const before = reached[era]
      for (let i = 0; i < 5; i++) {
        const e = await downstreamFailure(echo(p, "web", `b${i}`, 2000))
        expect(e.code).toBe("RATE_LIMITED")
        expect(e.message).toMatch(/^server web answered HTTP 429 and asked to be left alone: its calls are held off for (2\d|30)(\.\d+)? s more, past this call's 2 s budget; nothing was sent$/)
        expect(e.remedy).toContain("Call a tool of web again in")
        expect(e.details?.retryInMs).toBeGreaterThan(25_000)
      }
      // nothing reached the server meanwhile; the session stays, and its status says when
      expect(reached[era]).toBe(before)
      expect(p.get("web")!.state).toBe("ready")
      expect(p.get("web")!.retryAtWall()! - Date.now()).toBeGreaterThan(25_000)
      expect(await echo(p, "other", "c")).toEqual(ok("c"))
      expect(p.get("other")!.retryAtWall()).toBeUndefined()
    }, 30_000)
  }

  for (const era of ["legacy", "modern"] as const) {
    test(`${era}: the calls waiting on a hold go one first, the rest once it is answered: a new 429 to it holds them again, none in its shadow`, async () => {
      // before: every waiting call was sent the moment the hold ended, a burst that drew the next 429
      Object.assign(burst, { arrived: 0, during: 0, pending: false })
      await using p = pool(era)
      expect(await echo(p, "web", "a")).toEqual(ok("a"))
      await downstreamFailure(echo(p, "web", "status:429:1"))
      const calls = Array.from({ length: 5 }, (_, i) => echo(p, "web", `burst:${i}`).then(
        (r) => ({ ok: r }),
        (e: unknown) => ({ error: (e as { code?: string }).code }),
      ))
      const results = await Promise.all(calls)
      // none was sent while the first one's answer (its 429) was pending; that one failed with it, the others went through after the new hold
      expect(burst.during).toBe(0)
      expect(results.filter((r) => "error" in r)).toEqual([{ error: "BAD_RESPONSE" }])
      expect(results.filter((r) => "ok" in r)).toHaveLength(4)
      expect(burst.arrived).toBe(5)
      expect(p.get("web")!.retryAtWall()).toBeUndefined()
    }, 30_000)
  }

  test("a hold within the call's budget is waited out, then the call is sent and answered (a 429 without Retry-After: pool.restartDelay)", async () => {
    await using p = pool("legacy")
    expect(await echo(p, "web", "a")).toEqual(ok("a"))
    await downstreamFailure(echo(p, "web", "status:429"))
    expect(p.get("web")!.retryAtWall()).toBeGreaterThan(Date.now())
    const before = reached.legacy
    expect(await echo(p, "web", "b")).toEqual(ok("b"))
    // sent once, after the hold, which is over
    expect(reached.legacy).toBe(before + 1)
    expect(p.get("web")!.retryAtWall()).toBeUndefined()
    expect(await echo(p, "web", "c")).toEqual(ok("c"))
  }, 30_000)
})
