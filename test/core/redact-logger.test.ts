import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { createLogger, createLogHub, isoTime, redact, redactString, registerSecret, REDACTED } from "../../src/core/index.ts"

describe("redaction", () => {
  test("secret-looking keys are masked at any depth; others kept", () => {
    const out = redact({ token: "abc", nested: { Authorization: "Bearer zzz", apiKey: "k", password: "p", name: "ok" }, list: [{ secret: 1 }] }) as Record<string, any>
    expect(out.token).toBe(REDACTED)
    expect(out.nested.Authorization).toBe(REDACTED)
    expect(out.nested.apiKey).toBe(REDACTED)
    expect(out.nested.password).toBe(REDACTED)
    expect(out.nested.name).toBe("ok")
    expect(out.list[0].secret).toBe(REDACTED)
  })
  test("well-known token shapes are scrubbed from strings", () => {
    const canaries = [
      "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop",
      "sk-ABCDEFGHIJKLMNOPQRSTUV",
      "ghp_abcdefghijklmnopqrstuvwxyz0123",
      "AKIAABCDEFGHIJKLMNOP",
      "xoxb-1234567890-abcdef",
    ]
    for (const c of canaries) expect(redactString(`failed with ${c} here`)).not.toContain(c.slice(-10))
  })
  test("registered literal secrets are scrubbed wherever they appear", () => {
    registerSecret("my-very-own-token-123")
    expect(redactString("url?t=my-very-own-token-123&x")).toBe(`url?t=${REDACTED}&x`)
  })
  test("cycles and deep objects never throw", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        redact(v)
      }),
      { numRuns: 500 },
    )
    const a: Record<string, unknown> = {}
    a.self = a
    expect((redact(a) as Record<string, unknown>).self).toBe("[Circular]")
  })
})

describe("logger", () => {
  test("writes one redacted JSON line per record at or above the level", () => {
    const lines: string[] = []
    const hub = createLogHub("info", (l) => lines.push(l))
    const log = createLogger(hub, "test")
    log.debug("hidden")
    log.info("hello", { token: "t0k3n", n: 1 })
    log.error("boom Bearer abcdefghijkl")
    expect(lines.length).toBe(2)
    const rec = JSON.parse(lines[0]!)
    expect(rec).toMatchObject({ level: "info", component: "test", msg: "hello", token: REDACTED, n: 1 })
    expect(lines[1]!.endsWith("\n")).toBe(true)
    expect(lines[1]).not.toContain("abcdefghijkl")
  })
  test("sinks see records below the stderr level; a throwing sink does not break logging", () => {
    const lines: string[] = []
    const hub = createLogHub("error", (l) => lines.push(l))
    const seen: string[] = []
    hub.sinks.add(() => {
      throw new Error("bad sink")
    })
    hub.sinks.add((r) => void seen.push(r.msg))
    createLogger(hub, "x").info("to sink only")
    expect(seen).toEqual(["to sink only"])
    expect(lines).toEqual([])
  })
})

describe("isoTime", () => {
  test("matches Date#toISOString for any epoch ms, in any order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ts) => {
        expect(isoTime(ts)).toBe(new Date(ts).toISOString())
      }),
      { numRuns: 5000 },
    )
  })
})

describe("deferred records", () => {
  test("info fields given as a function are built only when written, and a throwing one loses only its fields", () => {
    const lines: string[] = []
    const log = createLogger(createLogHub("warn", (l) => lines.push(l)), "t")
    let built = 0
    log.info("below the level", () => ((built += 1), { a: 1 }))
    expect(built).toBe(0)
    log.warn("bad fields", () => {
      throw new Error("nope")
    })
    log.warn("good", () => ({ token: "abc", n: 2 }))
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: "bad fields", fieldsError: "Error: nope" })
    expect(JSON.parse(lines[1]!)).toMatchObject({ msg: "good", token: REDACTED, n: 2 })
  })
})
