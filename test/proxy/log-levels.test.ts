/**
 * LogLevels: downstreams are asked for the most verbose level any connected client set.
 */
import { describe, expect, test } from "bun:test"
import { LogLevels, mcpLogLevel } from "../../src/proxy/log-levels.ts"
import type { ClientLink } from "../../src/proxy/index.ts"

const client = (): ClientLink => ({ capabilities: () => ({}), protocolVersion: () => "2025-06-18", request: async () => ({}), notify: async () => {} })

describe("LogLevels", () => {
  test("the most verbose level across clients; changes only reported when the result changes", () => {
    const l = new LogLevels()
    const a = client()
    const b = client()
    expect(l.level).toBeUndefined()
    expect(l.set(a, "warning")).toBe("warning")
    expect(l.set(b, "error")).toBeUndefined() // warning still wins
    expect(l.set(b, "debug")).toBe("debug")
    expect(l.set(a, "info")).toBeUndefined()
    l.drop(b)
    expect(l.level).toBe("info")
    expect(l.set(a, "not-a-level")).toBeUndefined()
    expect(l.level).toBe("info")
  })

  test("a level named like an Object.prototype member is no level (it read Object.prototype's function)", () => {
    const l = new LogLevels()
    const a = client()
    expect(l.set(a, "info")).toBe("info")
    for (const bad of ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty"]) {
      expect(mcpLogLevel(bad)).toBeUndefined()
      expect(l.set(a, bad)).toBeUndefined()
      expect(l.level).toBe("info")
    }
    expect(mcpLogLevel("warn")).toBe("warning")
  })
})
