import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { createLogger, createLogHub, isoTime, redact, redactString, registerSecret, REDACTED } from "../../src/core/index.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the values registered here (by hand or by what runs: configured headers) are not left for later files
secretsRestoredAfterFile()

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
  test("other providers' token shapes and PEM private keys are scrubbed (a Toolkit secret or a remote's error page nobody configured); look-alikes stay", () => {
    const rnd = (n: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => alphabet[b % alphabet.length]).join("")
    const hex = (n: number) => rnd(n, "0123456789abcdef")
    const body = Array.from({ length: 3 }, () => rnd(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
    const canaries = [
      `sk_live_${rnd(24)}`, `rk_test_${rnd(24)}`, `glpat-${rnd(20)}`, `npm_${rnd(36)}`, `AIza${rnd(35)}`, `hf_${rnd(34)}`, `ntn_${rnd(46)}`, `secret_${rnd(43)}`,
      `lin_api_${rnd(40)}`, `gsk_${rnd(52)}`, `pplx-${rnd(48)}`, `tvly-dev-${rnd(32)}`, `sbp_${hex(40)}`, `shpat_${hex(32)}`, `dop_v1_${hex(64)}`, `figd_${rnd(40)}`, `sntrys_${rnd(60)}`, `ATATT3x${rnd(40)}`,
    ]
    for (const c of canaries) {
      const out = redactString(`upstream said: invalid credential ${c}.`)
      expect(out).toBe(`upstream said: invalid credential ${REDACTED}.`)
    }
    // a whole key, one cut before its END line, an encrypted one with headers, one inside JSON (escaped line breaks)
    for (const kind of ["", "RSA ", "OPENSSH ", "ENCRYPTED "]) {
      const pem = `-----BEGIN ${kind}PRIVATE KEY-----\n${kind === "RSA " ? "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B\n\n" : ""}${body.join("\n")}\n-----END ${kind}PRIVATE KEY-----`
      for (const text of [`key: ${pem}\nnext line`, `stderr: ${pem.slice(0, pem.indexOf(body[2]!) + 10)}`, JSON.stringify({ note: `read ${pem}` })]) {
        const out = redactString(text)
        for (const b of body) expect(out).not.toContain(b.slice(0, 16))
      }
      expect(redactString(`key: ${pem}\nnext line`)).toBe(`key: ${REDACTED}\nnext line`)
    }
    // look-alikes: prose naming the armour, identifiers, hashes, short prefixes
    for (const keep of ["paste a key starting with -----BEGIN PRIVATE KEY----- here", "my_secret_value_holder", `sha256 ${hex(64)}`, "ghp_short sk_live_x npm_install", "aws_secret_manager shp_x"]) expect(redactString(keep)).toBe(keep)
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
