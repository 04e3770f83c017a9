/**
 * A remote server that asks to be left alone: a 503 or 429 with `Retry-After` (seconds or an HTTP
 * date). Before, the answer's wait was only quoted in the message: the start was tried again on the
 * pool's own backoff (~1 s, then 2 s…), hammering a server that had said "30 s". Now the restart
 * waits at least what it asked (bounded by 5 min; a past date is no wait), the error's details carry
 * `retryAfterMs`, and calls meanwhile fail saying when the next attempt is. Both eras, at the start
 * and on a live session (a 503 on a call drops it). Raw Bun HTTP fixture: test/fixtures/hostile-remote.
 */
import { describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { RETRY_AFTER_MAX_MS, retryAfterAsked } from "../../src/pool/retry-after.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startHostileRemote } from "../fixtures/hostile-remote.ts"
import { downstreamFailure } from "../helpers/failure.ts"

/** restartDelay 1 s (± 20 %): a wait over BACKOFF_MAX is the server's, not the backoff's. */
const BACKOFF_MAX = 1200

function pool(url: string, protocol: "legacy" | "modern"): Pool {
  const p = new Pool({ config: config({ pool: { callTimeout: 10_000, restartDelay: 1000 } }), log: captureLog().log })
  p.add({ name: "web", source: "config", spec: { url, protocol } as ServerSpec })
  return p
}
const echo = (p: Pool, text: string, timeoutMs?: number) => p.call("web", "tools/call", { name: "echo", arguments: { text } }, timeoutMs !== undefined ? { timeoutMs } : {})

describe("Retry-After values", () => {
  const now = Date.parse("2026-01-01T00:00:00Z")
  test.each([
    ["30", 30_000],
    [" 0 ", 0],
    ["Thu, 01 Jan 2026 00:02:00 GMT", 120_000],
    ["Wed, 31 Dec 2025 23:00:00 GMT", 0], // a date past: now
    ["1.5", undefined],
    ["-3", undefined],
    ["soon", undefined],
    ["2", 2000],
    ["", undefined],
  ])("%p", (v, ms) => {
    expect(retryAfterAsked(v, now)).toBe(ms as number | undefined)
  })
})

describe("a remote server answering 503/429 with Retry-After is left alone that long", () => {
  for (const protocol of ["legacy", "modern"] as const) {
    test(`${protocol}: a start refused with 503 Retry-After: 30 is tried again after 30 s, not the backoff's 1 s; calls meanwhile say when`, async () => {
      const server = startHostileRemote({ refuseStart: { status: 503, retryAfter: "30" } })
      try {
        await using p = pool(server.url, protocol)
        const e = await downstreamFailure(echo(p, "a"))
        expect(e.code).toBe("CONNECT_FAILED")
        expect(e.message).toContain("the server asks to be tried again in 30 s (Retry-After)")
        const next = p.get("web")!.nextAttemptInMs()!
        expect(next).toBeGreaterThan(25_000)
        expect(next).toBeLessThanOrEqual(30_000)
        const starts = server.starts
        // a call meanwhile is not sent on: it fails saying when the server is tried again
        const later = await downstreamFailure(echo(p, "b", 2000))
        expect(later.code).toBe("RESTARTING")
        expect(later.message).toMatch(/next attempt in (2\d|30)(\.\d)? s/)
        expect(later.details?.lastError).toContain("Retry-After")
        expect(server.starts).toBe(starts)
      } finally {
        server.stop()
      }
    })
  }

  test("a 429 at the start (the server's rate limit), as an HTTP date two minutes ahead, waits those two minutes", async () => {
    const at = new Date(Date.now() + 120_000).toUTCString()
    const server = startHostileRemote({ refuseStart: { status: 429, retryAfter: at } })
    try {
      await using p = pool(server.url, "legacy")
      const e = await downstreamFailure(echo(p, "a"))
      expect(e.message).toMatch(/tried again in 1[12]\d s \(Retry-After\)/)
      expect(p.get("web")!.nextAttemptInMs()!).toBeGreaterThan(100_000)
    } finally {
      server.stop()
    }
  })

  test("a day asked is bounded (5 min) and the message says so; a date already past is no wait beyond the backoff", async () => {
    const day = startHostileRemote({ refuseStart: { status: 503, retryAfter: "86400" } })
    const past = startHostileRemote({ refuseStart: { status: 503, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" } })
    try {
      await using pd = pool(day.url, "legacy")
      const e = await downstreamFailure(echo(pd, "a"))
      expect(e.message).toContain(`tried again in 86400 s (Retry-After); the pool waits at most ${RETRY_AFTER_MAX_MS / 1000} s before trying again`)
      const next = pd.get("web")!.nextAttemptInMs()!
      expect(next).toBeGreaterThan(RETRY_AFTER_MAX_MS - 10_000)
      expect(next).toBeLessThanOrEqual(RETRY_AFTER_MAX_MS)
      await using pp = pool(past.url, "legacy")
      await downstreamFailure(echo(pp, "a"))
      expect(pp.get("web")!.nextAttemptInMs()!).toBeLessThanOrEqual(BACKOFF_MAX)
    } finally {
      day.stop()
      past.stop()
    }
  })

  test("the failure that opens the breaker asks for longer than its cooldown: the breaker stays open that long, and the error and status row say so", async () => {
    const server = startHostileRemote({ refuseStart: { status: 503, retryAfter: "120" } })
    try {
      await using p = new Pool({ config: config({ pool: { callTimeout: 10_000, restartDelay: 1000, breakerFailures: 1, breakerCooldown: 5000 } }), log: captureLog().log })
      p.add({ name: "web", source: "config", spec: { url: server.url, protocol: "legacy" } as ServerSpec })
      await downstreamFailure(echo(p, "a"))
      const s = p.get("web")!
      expect(s.state).toBe("open-circuit")
      expect(s.breaker.retryInMs()).toBeGreaterThan(110_000)
      expect(s.retryAtWall()! - Date.now()).toBeGreaterThan(110_000)
      const e = await downstreamFailure(echo(p, "b"))
      expect(e.code).toBe("BREAKER_OPEN")
      expect(e.message).toMatch(/retry in 1[12]\ds/)
      expect(s.retryText()).toMatch(/next attempt in 1[12]\d(\.\d+)? s/)
    } finally {
      server.stop()
    }
  })

  test("a live session whose call is answered 503 Retry-After: 20 is dropped and restarted after 20 s; the error carries retryAfterMs", async () => {
    const server = startHostileRemote()
    try {
      await using p = pool(server.url, "legacy")
      expect(await echo(p, "a")).toEqual({ content: [{ type: "text", text: "echo:a" }] })
      const e = await downstreamFailure(echo(p, "status:503:20"))
      expect(e.code).toBe("WRITE_FAILED")
      expect(e.details?.retryAfterMs).toBe(20_000)
      const next = p.get("web")!.nextAttemptInMs()!
      expect(next).toBeGreaterThan(15_000)
      expect(next).toBeLessThanOrEqual(20_000)
    } finally {
      server.stop()
    }
  })
})
