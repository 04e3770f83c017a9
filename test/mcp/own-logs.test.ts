/**
 * Our own log records sent to a client that set a level (`logging/setLevel`): bounded like the
 * downstream logs (at most 100 a second per client, the rest dropped and counted in a warning), and
 * the pool's debug echo of a downstream's log message is not sent (the client gets that message
 * itself, under the server's name). At debug, our records follow what downstreams write (their
 * stderr lines when our own level is debug): fastmcp and server-everything 0.6.2, logging each step
 * of a tool, showed the echo and the unbounded stream at the client.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { createLogHub, createLogger, type LogHub } from "../../src/core/index.ts"
import { createMcpFace, type McpFace } from "../../src/mcp/index.ts"

type Msg = { level: string; logger?: string; data: unknown }
let face: McpFace | undefined

afterEach(() => face?.dispose())

async function connect(hub: LogHub): Promise<{ client: Client; got: Msg[] }> {
  face = createMcpFace({ log: createLogger(hub, "mcp"), logHub: hub, tools: [] })
  const [a, b] = InMemoryTransport.createLinkedPair()
  await face.server.connect(a)
  const client = new Client({ name: "t", version: "1" })
  const got: Msg[] = []
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void got.push(n.params as Msg))
  await client.connect(b)
  await client.setLoggingLevel("debug")
  return { client, got }
}

/** Resolves after the client has read everything the face sent before it (a request's answer comes after). */
const settled = (client: Client) => client.ping()

describe("own log records sent to a client", () => {
  test("1 000 debug records in a burst: at most 100 a second reach the client, the rest are counted in a warning", async () => {
    const hub = createLogHub("error", () => {})
    const { client, got } = await connect(hub)
    const log = createLogger(hub, "pool:chatty")
    for (let i = 0; i < 1000; i++) log.debug("downstream stderr", { text: `line ${i}\n` })
    await settled(client)
    const lines = () => got.filter((m) => (m.data as { msg?: string }).msg === "downstream stderr")
    expect(lines().length).toBeGreaterThan(0)
    // 100 a second: the burst takes milliseconds, so it falls in one or two windows
    expect(lines().length).toBeLessThanOrEqual(200)
    expect(lines()[0]).toEqual({ level: "debug", logger: "pool:chatty", data: { msg: "downstream stderr", text: "line 0\n" } })
    // the count comes with the next second's first record
    const warning = () => got.find((m) => (m.data as { msg?: string }).msg === "own log messages to the client dropped")
    for (let i = 0; i < 40 && !warning(); i++) {
      await Bun.sleep(100)
      log.info("a later record")
      await settled(client)
    }
    expect(warning()).toMatchObject({ level: "warning", logger: "mcp", data: { limitPerSecond: 100 } })
    expect((warning()!.data as { dropped: number }).dropped).toBeGreaterThanOrEqual(1000 - lines().length)
  })

  test("the pool's debug echo of a downstream's log message is not sent; the face's own records are", async () => {
    const hub = createLogHub("error", () => {})
    const { client, got } = await connect(hub)
    createLogger(hub, "downstream:fast").debug("log message", { params: { level: "info", data: "step 1" } })
    createLogger(hub, "proxy").info("server request relayed to the client", { server: "fast" })
    await settled(client)
    expect(got.map((m) => m.logger)).toEqual(["proxy"])
  })
})
