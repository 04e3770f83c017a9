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

function link(notes: string[] = []): ClientLink {
  return { capabilities: () => ({}), protocolVersion: () => "2025-11-25", request: async () => ({}), notify: async (method, params) => void notes.push(`${method} ${String(params?.uri)}`) }
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

describe("a subscribed URI that moves to another server", () => {
  test("the clients subscribed at the old server go along to the new one, and the old one is unsubscribed", async () => {
    // the URI was taken over for the last client only: the others were dropped (no updates from the
    // new server) and the old server stayed subscribed
    const dir = tempDir("mcpo-submove-")
    const logX = join(dir, "x")
    const logY = join(dir, "y")
    const p = (proxy = createProxy({
      config: config({ servers: { x: { command: BUN, args: [SERVER, "--log", logX] }, y: { command: BUN, args: [SERVER, "--log", logY, "--unlisted"] } } }),
      log: silentLogger,
      closeGraceMs: 200,
    }))
    const lines = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").trim().split("\n") : [])
    const notesA: string[] = []
    const notesB: string[] = []
    const a = link(notesA)
    const b = link(notesB)
    p.attachClient(a)
    p.attachClient(b)
    const listed = async () => (await p.listResources()).some((r) => r.uri === URI)
    expect(await until(listed, 15_000)).toBe(true)
    await p.subscribeResource(URI, a, ctx())
    expect(lines(logX)).toEqual([`resources/subscribe ${URI}`])
    // x stops listing it, then y lists it
    await p.callTool("x__flip", {}, ctx())
    expect(await until(async () => !(await listed()), 15_000)).toBe(true)
    await p.callTool("y__flip", {}, ctx())
    expect(await until(listed, 15_000)).toBe(true)
    await p.subscribeResource(URI, b, ctx())
    expect(lines(logY)).toEqual([`resources/subscribe ${URI}`])
    expect(await until(() => lines(logX).includes(`resources/unsubscribe ${URI}`), 15_000)).toBe(true)
    // y's update reaches both clients
    await p.callTool("y__touch", {}, ctx())
    expect(await until(() => notesA.length > 0 && notesB.length > 0, 15_000)).toBe(true)
    expect(notesA).toEqual([`notifications/resources/updated ${URI}`])
    expect(notesB).toEqual([`notifications/resources/updated ${URI}`])
  }, 40_000)
})
