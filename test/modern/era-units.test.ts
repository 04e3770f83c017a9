/**
 * Era evidence and the on-disk verdict store, as units: what counts as a modern server (never one
 * error code alone), the envelope, verdict expiry and keys.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { isDiscoverResult, isModernRejection, withEnvelope } from "../../src/pool/era.ts"
import { FileEraStore, specHash } from "../../src/pool/era-store.ts"
import { RpcError } from "../../src/pool/rpc.ts"
import { tempDir } from "../helpers/binary.ts"

const dir = tempDir("mcpo-era-units-")
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("era evidence", () => {
  test("a refusal naming 2026-07-28 or a modern-only code is modern; legacy 'unknown method' answers are not", () => {
    expect(isModernRejection(new RpcError("initialize", -32022, "Unsupported protocol version", { supported: ["2026-07-28"], requested: "2025-11-25" }))).toBe(true)
    expect(isModernRejection(new RpcError("initialize", -32600, "bad", { supported: ["2026-07-28", "2027-01-01"] }))).toBe(true)
    expect(isModernRejection(new RpcError("initialize", -32022, "Unsupported", undefined))).toBe(true)
    // a legacy server naming only legacy versions, and the TS v1 / Python v1 answers to an unknown method
    expect(isModernRejection(new RpcError("initialize", -32022, "Unsupported", { supported: ["2024-11-05"] }))).toBe(false)
    expect(isModernRejection(new RpcError("server/discover", -32601, "Method not found", undefined))).toBe(false)
    expect(isModernRejection(new RpcError("server/discover", -32602, "Invalid params", undefined))).toBe(false)
    expect(isModernRejection(new Error("timeout"))).toBe(false)
  })

  test("DiscoverResult shape and the envelope keeps the caller's _meta", () => {
    expect(isDiscoverResult({ supportedVersions: ["2026-07-28"], capabilities: {} })).toBe(true)
    expect(isDiscoverResult({ protocolVersion: "2025-11-25", capabilities: {} })).toBe(false)
    const p = withEnvelope({ name: "t", _meta: { progressToken: 7 } })
    expect(p.name).toBe("t")
    expect(p._meta).toMatchObject({ progressToken: 7, "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} })
  })
})

describe("verdict store", () => {
  const a = { command: "srv", args: ["--a"] } as ServerSpec
  test("verdicts survive a new store (a new process); an edited definition is a new key", () => {
    const state = join(dir, "s1")
    new FileEraStore(state).set(a, "modern")
    expect(new FileEraStore(state).get(a)).toBe("modern")
    expect(new FileEraStore(state).get({ command: "srv", args: ["--b"] } as ServerSpec)).toBeUndefined()
    expect(specHash({ ...a, timeout: 5 } as ServerSpec)).toBe(specHash(a)) // only what identifies the server
    new FileEraStore(state).forget(a)
    expect(new FileEraStore(state).get(a)).toBeUndefined()
  })

  test("a legacy verdict expires after 7 days, a modern one does not", () => {
    const state = join(dir, "s2")
    const s = new FileEraStore(state)
    s.set(a, "legacy")
    const file = join(state, "protocol-eras.json")
    const data = JSON.parse(readFileSync(file, "utf8")) as Record<string, { era: string; at: number }>
    data[specHash(a)]!.at = Date.now() - 8 * 24 * 3600_000
    writeFileSync(file, JSON.stringify(data))
    expect(new FileEraStore(state).get(a)).toBeUndefined()
    data[specHash(a)] = { era: "modern", at: Date.now() - 80 * 24 * 3600_000 }
    writeFileSync(file, JSON.stringify(data))
    expect(new FileEraStore(state).get(a)).toBe("modern")
  })

  test("a legacy verdict saved by the old detection rule (no rule field: a slow probe was saved as legacy) is probed again once; a new one is trusted", () => {
    const state = join(dir, "s-rule")
    mkdirSync(state, { recursive: true })
    const file = join(state, "protocol-eras.json")
    writeFileSync(file, JSON.stringify({ [specHash(a)]: { era: "legacy", at: Date.now() - 60_000 } }))
    expect(new FileEraStore(state).get(a)).toBeUndefined()
    // the probe's verdict is saved under the current rule, and trusted from then on
    new FileEraStore(state).set(a, "legacy")
    expect(new FileEraStore(state).get(a)).toBe("legacy")
    expect((JSON.parse(readFileSync(file, "utf8")) as Record<string, { rule?: number }>)[specHash(a)]!.rule).toBe(2)
    // a modern verdict of the old rule stays (it was answered by the probe: never a guess)
    writeFileSync(file, JSON.stringify({ [specHash(a)]: { era: "modern", at: Date.now() - 60_000 } }))
    expect(new FileEraStore(state).get(a)).toBe("modern")
  })

  test("an unreadable file costs only a detection", () => {
    const state = join(dir, "s3")
    new FileEraStore(state).set(a, "modern")
    writeFileSync(join(state, "protocol-eras.json"), "{not json")
    expect(new FileEraStore(state).get(a)).toBeUndefined()
  })
})
