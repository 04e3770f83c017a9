/**
 * Downstream log messages (`notifications/message`) reach the client through the binary, named
 * after their server, filtered by the client's level (info and above until it sets one), with
 * secrets redacted; and server-everything's simulated logging arrives end to end.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { BUN, EVERYTHING, FAULT, until } from "./helpers.ts"

type LogParams = { level: string; logger?: string; data: unknown }

describe("downstream logs through the binary", () => {
  let c: Connected
  const got: LogParams[] = []
  const fromServers = () => got.filter((p) => p.logger === "f" || p.logger?.startsWith("f/"))
  beforeAll(async () => {
    await ensureBuilt()
    const dir = tempDir("mcpo-downstream-logs-")
    const cfg = join(dir, "config.json")
    writeFileSync(cfg, JSON.stringify({ servers: { f: { command: BUN, args: [FAULT] }, g: { command: BUN, args: [FAULT] }, ev: { command: "node", args: [EVERYTHING, "stdio"] } }, toolkit: { enabled: "off" } }))
    c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void got.push(n.params as LogParams))
  }, 60_000)
  afterAll(() => c?.close())

  test("before the client sets a level: info and above, logger = server, secrets redacted", async () => {
    await c.client.callTool({ name: "f__log", arguments: { level: "debug", data: "quiet" } })
    await c.client.callTool({ name: "f__log", arguments: { level: "warning", data: { msg: "disk almost full", token: "abc123secret" } } })
    expect(await until(() => fromServers().length >= 1, 3000)).toBe(true)
    await Bun.sleep(100)
    const logs = fromServers()
    expect(logs).toHaveLength(1)
    expect(logs[0]!.level).toBe("warning")
    expect(logs[0]!.logger).toBe("f")
    expect(JSON.stringify(logs[0]!.data)).toContain("disk almost full")
    expect(JSON.stringify(logs[0]!.data)).not.toContain("abc123secret")
  })

  test("a log message of 12 MiB reaches the client cut to 64 Ki characters, and the session lives on", async () => {
    got.length = 0
    const r = await c.client.callTool({ name: "f__log", arguments: { level: "error", data: "x", repeat: 12 * 1024 * 1024 } })
    expect(r.isError).toBeFalsy()
    expect(await until(() => fromServers().length >= 1, 5000)).toBe(true)
    const data = String(fromServers()[0]!.data)
    expect(data.length).toBeLessThan(65 * 1024)
    expect(data).toEndWith(`… [log message cut: ${12 * 1024 * 1024} characters, at most 65536 are forwarded]`)
    expect(await c.client.callTool({ name: "f__echo", arguments: { message: "still here" } })).toMatchObject({ content: [{ type: "text" }] })
  }, 30_000)

  test("after logging/setLevel debug: debug too, and the downstream's own logger under the server's name", async () => {
    got.length = 0
    await c.client.setLoggingLevel("debug")
    await c.client.callTool({ name: "f__log", arguments: { level: "debug", data: "now visible", logger: "db" } })
    expect(await until(() => fromServers().some((p) => p.data === "now visible"), 15_000)).toBe(true)
    expect(fromServers().find((p) => p.data === "now visible")).toMatchObject({ level: "debug", logger: "f/db" })
    await c.client.setLoggingLevel("error")
    got.length = 0
    await c.client.callTool({ name: "f__log", arguments: { level: "warning", data: "below error" } })
    await Bun.sleep(200)
    expect(fromServers()).toEqual([])
  })

  // fastmcp's ctx.log and server-everything 0.6.2 showed it: at debug, each of their log messages
  // reached the client twice, the second time as our own debug record of it (logger
  // "downstream:<server>"), and that copy was not bounded by the 100-a-second cap.
  const mentioning = (marker: string) => got.filter((p) => JSON.stringify(p).includes(marker))
  test("at debug, a downstream's log message reaches the client once, under its server's name", async () => {
    await c.client.setLoggingLevel("debug")
    got.length = 0
    await c.client.callTool({ name: "f__log", arguments: { level: "info", data: "said once" } })
    expect(await until(() => mentioning("said once").length >= 1, 3000)).toBe(true)
    // the next call's answer comes after anything the first one caused
    await c.client.callTool({ name: "f__echo", arguments: { message: "after" } })
    await Bun.sleep(100)
    expect(mentioning("said once")).toEqual([{ level: "info", logger: "f", data: "said once" }])
  })

  test("at debug, 1 000 log messages of one call: each reaches the client once or is counted as dropped, at most 100 a second", async () => {
    await c.client.setLoggingLevel("debug")
    got.length = 0
    await c.client.callTool({ name: "f__log", arguments: { level: "info", data: "burst line", times: 1000 } })
    await c.client.callTool({ name: "f__echo", arguments: { message: "after" } })
    // drops are counted when a later second's first message comes: log until every one is accounted for
    const dropped = () => got.filter((p) => (p.data as { msg?: string } | undefined)?.msg === "downstream log messages dropped").reduce((n, p) => n + Number((p.data as { dropped: number }).dropped), 0)
    const accounted = () => mentioning("burst line").length + dropped()
    for (let i = 0; i < 40 && accounted() < 1000; i++) {
      await c.client.callTool({ name: "f__log", arguments: { level: "info", data: "a later line" } })
      await Bun.sleep(100)
    }
    // (a later line that fell into the burst's second is dropped and counted too)
    expect(accounted()).toBeGreaterThanOrEqual(1000)
    // at most 100 a second: far fewer than the 1 000 sent, even if the burst spans a few seconds of a loaded machine
    expect(mentioning("burst line").length).toBeGreaterThan(0)
    expect(mentioning("burst line").length).toBeLessThanOrEqual(500)
    expect(mentioning("burst line").every((p) => p.logger === "f")).toBe(true)
  }, 15_000)

  test("logging/setLevel reaches the downstreams that log: running ones at once, later ones when they start", async () => {
    const levelOf = async (server: string) => ((await c.client.callTool({ name: `${server}__level`, arguments: {} })) as { content: { text: string }[] }).content[0]!.text
    await c.client.setLoggingLevel("warning")
    let f = await levelOf("f")
    for (let i = 0; i < 60 && f !== "warning"; i++) {
      await Bun.sleep(50)
      f = await levelOf("f")
    }
    expect(f).toBe("warning")
    // g has not been called yet: it starts now and is told the level once it is ready
    expect(await levelOf("g")).toBe("warning")
  })

  test("server-everything's simulated logging arrives under its server name", async () => {
    got.length = 0
    await c.client.setLoggingLevel("debug")
    await c.client.callTool({ name: "ev__toggle-simulated-logging", arguments: {} })
    expect(await until(() => got.some((p) => p.logger === "ev"), 15_000)).toBe(true)
    await c.client.callTool({ name: "ev__toggle-simulated-logging", arguments: {} })
  }, 15_000)
})
