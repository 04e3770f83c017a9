/**
 * A subscription changed while the downstream is being asked for it: the client unsubscribes, or
 * goes away (an HTTP session closed, a 2026-07-28 listen ended), before the server answers its
 * `resources/subscribe`. It must not be subscribed when the answer comes (updates to a client that
 * unsubscribed; the server kept subscribed, and started, for nobody): the downstream is unsubscribed
 * again, unless another client holds the URI there. The server (test/fixtures/servers/
 * subscribe-gate-server.ts) holds its subscribe answers until a file exists and logs what it gets,
 * so nothing depends on timing.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type ClientLink, type Proxy } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, config, ctx, ROOT, until } from "./helpers.ts"

const SERVER = join(ROOT, "test", "fixtures", "servers", "subscribe-gate-server.ts")
const URI = "gate://doc"

function link(): ClientLink {
  return { capabilities: () => ({}), protocolVersion: () => "2025-11-25", request: async () => ({}), notify: async () => {} }
}

let proxy: Proxy | undefined
afterEach(async () => {
  await proxy?.[Symbol.asyncDispose]()
  proxy = undefined
})

function setup() {
  const dir = tempDir("mcpo-subgate-")
  const gate = join(dir, "open")
  const log = join(dir, "log")
  proxy = createProxy({ config: config({ servers: { g: { command: BUN, args: [SERVER, "--gate", gate, "--log", log] } } }), log: silentLogger, closeGraceMs: 200 })
  const lines = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [])
  return { proxy, gate, lines }
}

describe("a subscription changed while the downstream is asked", () => {
  test("a client that goes away before the answer is not subscribed, and the downstream is unsubscribed again", async () => {
    const { proxy, gate, lines } = setup()
    const a = link()
    const detach = proxy.attachClient(a)
    const subscribing = proxy.subscribeResource(URI, a, ctx())
    expect(await until(() => lines().includes(`resources/subscribe ${URI}`), 15_000)).toBe(true)
    detach()
    writeFileSync(gate, "")
    await subscribing
    expect(await until(() => lines().includes(`resources/unsubscribe ${URI}`), 15_000)).toBe(true)
  }, 30_000)

  test("a client that unsubscribes before the answer is not subscribed; another client's subscription of the URI stays", async () => {
    const { proxy, gate, lines } = setup()
    const a = link()
    const b = link()
    const detachA = proxy.attachClient(a)
    const detachB = proxy.attachClient(b)
    const subA = proxy.subscribeResource(URI, a, ctx())
    expect(await until(() => lines().includes(`resources/subscribe ${URI}`), 15_000)).toBe(true)
    await proxy.unsubscribeResource(URI, a, ctx())
    writeFileSync(gate, "")
    await subA
    expect(await until(() => lines().includes(`resources/unsubscribe ${URI}`), 15_000)).toBe(true)
    // b subscribes now: the server is asked again, and b's subscription is not undone by a's
    await proxy.subscribeResource(URI, b, ctx())
    const subscribes = lines().filter((l) => l === `resources/subscribe ${URI}`).length
    expect(subscribes).toBe(2)
    // a unsubscribing again is a no-op; b detaching is what unsubscribes the server a second time
    await proxy.unsubscribeResource(URI, a, ctx())
    expect(lines().filter((l) => l === `resources/unsubscribe ${URI}`).length).toBe(1)
    detachA()
    detachB()
    expect(await until(() => lines().filter((l) => l === `resources/unsubscribe ${URI}`).length === 2, 15_000)).toBe(true)
  }, 30_000)
})
