/**
 * A 2026-07-28 server over Streamable HTTP whose `server/discover` answers slowly (after more than
 * the probe's wait, half the connect timeout, but within the connect timeout) starts at the first
 * try: the probe's request is not given up when initialize is tried, and its late answer is the
 * session's DiscoverResult (before, it was asked again after the refused initialize, and the two
 * slow answers added up past the deadline: every first start failed with CONNECT_FAILED). Real SDK
 * v2 `createMcpHandler` (modern-only), the pool in process.
 */
import { afterAll, expect, test } from "bun:test"
import { Pool } from "../../src/pool/index.ts"
import { startModernEcho } from "../fixtures/modern-echo-http.ts"
import { captureLog, config } from "../proxy/helpers.ts"

const CONNECT_TIMEOUT = 3000
let discovers = 0
const server = startModernEcho(async (m) => {
  if ((m as { method?: unknown }).method !== "server/discover") return undefined
  discovers++
  // past the probe's wait (half the connect timeout), well within the connect timeout
  await Bun.sleep(CONNECT_TIMEOUT * 0.6)
  return undefined
})
afterAll(() => server.stop())

test("a modern-only HTTP server slow to answer server/discover starts at the first try, discover asked once", async () => {
  await using p = new Pool({ config: config({ pool: { connectTimeout: CONNECT_TIMEOUT, restartDelay: 60_000 } }), log: captureLog().log })
  p.add({ name: "slow", source: "config", spec: { url: server.url } as never })
  const r = (await p.call("slow", "tools/call", { name: "echo", arguments: { text: "a" } }, {})) as { content: { text: string }[] }
  expect(r.content[0]!.text).toBe("echo:a")
  expect(p.get("slow")!.era).toEqual({ era: "modern", via: "probed" })
  expect(discovers).toBe(1)
}, 20_000)
