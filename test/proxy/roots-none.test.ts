/**
 * A client that declares no roots: a downstream's `roots/list` is answered with none, nothing asked
 * of the client, and the log says so once per client. Before (qa341), each was logged "server
 * request relayed to the client", which it never was: a user reading why a file server saw no roots
 * was told the client had been asked. Real proxy and server-everything (it asks for the roots once
 * it is initialized, and again on roots/list_changed).
 */
import { afterAll, expect, test } from "bun:test"
import { createProxy, type ClientLink, type Proxy } from "../../src/proxy/index.ts"
import { captureLog, config, everythingStdio, until } from "./helpers.ts"

let proxy: Proxy | undefined
afterAll(() => proxy?.[Symbol.asyncDispose]())

test("roots/list toward a client without roots: answered with none, not logged as relayed, said once", async () => {
  const { log, records } = captureLog()
  proxy = createProxy({ config: config({ servers: { ev: everythingStdio } }), log, closeGraceMs: 300 })
  const asked: string[] = []
  const link: ClientLink = {
    capabilities: () => ({ elicitation: {} }),
    protocolVersion: () => "2025-11-25",
    clientInfo: () => ({ name: "no-roots", version: "1" }),
    async request(method) {
      asked.push(method)
      return { action: "decline" }
    },
    async notify() {},
  }
  proxy.attachClient(link)
  proxy.clientInitialized?.(link)
  await proxy.listTools()
  const said = () => records.filter((r) => r.msg.startsWith("roots/list answered with no roots: the client connected declares no roots"))
  expect(await until(() => said().length === 1, 20_000)).toBe(true)
  // asked again (the client's roots changed, as a client would say): no second line
  proxy.rootsChanged(link)
  await Bun.sleep(1500)
  expect(said().length).toBe(1)
  expect(said()[0]!.client).toBe("no-roots 1")
  expect(records.some((r) => r.msg === "server request relayed to the client" && JSON.stringify(r).includes("roots/list"))).toBe(false)
  expect(asked).toEqual([])
}, 40_000)
