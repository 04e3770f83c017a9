/**
 * A 2026-07-28 Streamable HTTP server that never answers the `server/discover` of our health check,
 * but plainly runs meanwhile (it logs on the check's own response stream every 200 ms). The stdio and
 * legacy connections let such a check pass (pool/health-check); the modern HTTP one had its own
 * check, without that rule: the server was restarted at each check of its idle connection ("health
 * check failed"), its session lost. Now every transport's check goes through pool/health-check:
 * passed, said once, the same session serves on. One silent throughout is still restarted. A legacy
 * Streamable HTTP server's ping check, which had the rule already (pool/rpc), is held to it here too.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config, until } from "../proxy/helpers.ts"
import { startModernEcho } from "../fixtures/modern-echo-http.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"

const enc = new TextEncoder()

/** The answer to a health check that never answers it: an SSE stream of log notifications every 200 ms (talking), or nothing (silent). */
function neverAnswered(talking: boolean): Response {
  let timer: ReturnType<typeof setInterval> | undefined
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      const log = { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "still here" } }
      if (talking)
        timer = setInterval(() => {
          try {
            c.enqueue(enc.encode(`event: message\ndata: ${JSON.stringify(log)}\n\n`))
          } catch {
            clearInterval(timer)
          }
        }, 200)
    },
    cancel() {
      clearInterval(timer)
    },
  })
  return new Response(body, { headers: { "content-type": "text/event-stream" } })
}

/** After the connect's own discover, each `server/discover` is never answered. */
function unanswering(talking: boolean) {
  let discovers = 0
  const server = startModernEcho((m) => {
    if ((m as { method?: string }).method !== "server/discover" || ++discovers === 1) return undefined
    return neverAnswered(talking)
  })
  return { server, discovers: () => discovers }
}

const talking = unanswering(true)
const silent = unanswering(false)
afterAll(() => Promise.all([talking.server.stop(), silent.server.stop()]))

function pool(url: string) {
  const { log, records } = captureLog()
  const p = new Pool({ config: config({ pool: { healthInterval: "300ms", callTimeout: "1s" } }), log })
  p.add({ name: "web", source: "config", spec: { url, protocol: "modern" } as ServerSpec })
  return { p, said: (text: string) => records.filter((r) => String(r.msg).includes(text)) }
}

const echo = async (p: Pool): Promise<string> => ((await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {})) as { content: { text: string }[] }).content[0]!.text

describe("a 2026-07-28 HTTP server that never answers the health check's server/discover", () => {
  test("while it sends messages meanwhile it is not restarted; said once", async () => {
    const { p, said } = pool(talking.server.url)
    await using _ = p
    expect(await echo(p)).toBe("echo:a")
    expect(await until(() => said("did not answer a health check").length > 0, 30_000, 50)).toBe(true)
    // more checks come and go meanwhile (one every 300 ms of idleness, each waiting 1 s)
    const checks = talking.discovers()
    expect(await until(() => talking.discovers() >= checks + 2, 30_000, 50)).toBe(true)
    expect(said("health check failed").length).toBe(0)
    expect(said("downstream failed").length).toBe(0)
    expect(said("did not answer a health check").length).toBe(1)
    expect(await echo(p)).toBe("echo:a")
  }, 60_000)

  test("silent throughout, it is restarted as before", async () => {
    const { p, said } = pool(silent.server.url)
    await using _ = p
    expect(await echo(p)).toBe("echo:a")
    expect(await until(() => said("health check failed").length > 0, 30_000, 50)).toBe(true)
    expect(said("did not answer a health check").length).toBe(0)
  }, 60_000)
})

describe("a legacy Streamable HTTP server that never answers the health check's ping", () => {
  test("while it sends messages meanwhile it is not restarted; said once (the same rule: pool/health-check)", async () => {
    const http = startStatefulHttp()
    let pings = 0
    http.refuse((m) => (m.method === "ping" ? (pings++, neverAnswered(true)) : undefined))
    try {
      const { log, records } = captureLog()
      await using p = new Pool({ config: config({ pool: { healthInterval: "300ms", callTimeout: "1s" } }), log })
      p.add({ name: "web", source: "config", spec: { url: http.url, protocol: "legacy" } as ServerSpec })
      const said = (text: string) => records.filter((r) => String(r.msg).includes(text))
      expect(await echo(p)).toBe("echo:a")
      expect(await until(() => said("did not answer a health check").length > 0, 30_000, 50)).toBe(true)
      const checks = pings
      expect(await until(() => pings >= checks + 2, 30_000, 50)).toBe(true)
      expect(said("health check failed").length).toBe(0)
      expect(said("did not answer a health check").length).toBe(1)
      expect(await echo(p)).toBe("echo:a")
    } finally {
      await http.stop()
    }
  }, 60_000)
})
