/**
 * A connection's toolset follows the running config (a reload replaces `config.toolsets`); a
 * toolset removed by a reload keeps its last definition for the connections that serve it, with
 * one error logged.
 */
import { describe, expect, test } from "bun:test"
import { ConfigSchema } from "../../src/config/index.ts"
import { createLogger, createLogHub } from "../../src/core/index.ts"
import { liveToolset } from "../../src/app/surface-tools.ts"

describe("liveToolset", () => {
  test("follows the running config; a removed toolset keeps its last definition, logged once", () => {
    const config = ConfigSchema.parse({ servers: { a: { command: "x" } }, toolsets: { t: { servers: ["a"], tools: { allow: ["a__echo"] } } } })
    const lines: Array<Record<string, unknown>> = []
    const log = createLogger(createLogHub("info", (l) => lines.push(JSON.parse(l))), "app")
    const current = liveToolset(config, "t", log)
    expect(current().tools).toEqual({ allow: ["a__echo"] })

    config.toolsets = { t: { servers: ["a"], tools: { allow: ["a__sleep"] } } }
    expect(current().tools).toEqual({ allow: ["a__sleep"] })

    config.toolsets = {}
    expect(current().tools).toEqual({ allow: ["a__sleep"] })
    expect(current().tools).toEqual({ allow: ["a__sleep"] })
    expect(lines.filter((l) => l.msg === "toolset removed from the config; this connection keeps serving its last definition until it reconnects" && l.toolset === "t")).toHaveLength(1)
    expect(() => liveToolset(config, "t", log)).toThrow("unknown toolset t")
  })
})
