/**
 * A remote server (both HTTP eras) whose notifications nest 50,000 or 200,000 levels deep, sent on a call's
 * own response stream before its answer. Over 2026-07-28 HTTP such a log message went on to the
 * proxy as it was (the stdio depth bound, pool/rpc, did not see it: the SDK v2 Client reads that
 * transport), where writing it held the event loop for seconds. Now every ingress applies the one
 * bound (pool/deep-messages): the message is dropped with a warning naming its method, the call's
 * answer still comes, and the next call works.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startModernEcho } from "../fixtures/modern-echo-http.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"

type Msg = { id?: string | number; method?: string; params?: { arguments?: { text?: unknown } } }

const deep = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`

/** The answer to a `deep` echo: a deep log message, a deep progress, then the answer, on one SSE stream. */
function deepAnswer(m: Msg): Response | undefined {
  const t = m.params?.arguments?.text
  if (m.method !== "tools/call" || typeof t !== "string" || !t.startsWith("deep:") || m.id === undefined) return undefined
  const log = `{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","logger":"deep","data":${deep(Number(t.slice(5)))}}}`
  const answer = JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: "after deep" }], resultType: "complete" } })
  const body = `event: message\ndata: ${log}\n\nevent: message\ndata: ${answer}\n\n`
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } })
}

const legacy = startStatefulHttp()
legacy.refuse(deepAnswer)
const modern = startModernEcho((m) => deepAnswer(m as Msg))

afterAll(async () => {
  await legacy.stop()
  await modern.stop()
})

const eras = [
  { era: "legacy", spec: () => ({ url: legacy.url, protocol: "legacy" }) as ServerSpec },
  { era: "2026-07-28", spec: () => ({ url: modern.url, protocol: "modern" }) as ServerSpec },
]

const echo = (p: Pool, text: string) => p.call("web", "tools/call", { name: "echo", arguments: { text } }, {})
const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text

describe.each(eras)("remote server ($era) sending a notification nested too deep", ({ spec }) => {
  // 200,000 levels: an event over 256 KiB, checked over its bytes first (that walk stops at 512 levels:
  // such an event read as "not JSON" and failed the call its answer was for)
  test.each([50_000, 200_000])("%d levels: it is dropped with a warning, never passed on; the call and the next one work", async (depth) => {
    const log = captureLog()
    const seen: string[] = []
    const p = new Pool({ config: config({ pool: { callTimeout: 20_000 } }), log: log.log, onNotification: (_s, method, params) => void seen.push(`${method} ${String((params as { logger?: unknown } | undefined)?.logger)}`) })
    await using _ = p
    p.add({ name: "web", source: "config", spec: spec() })
    expect(text(await echo(p, "a"))).toBe("echo:a")
    expect(text(await echo(p, `deep:${depth}`))).toBe("after deep")
    expect(seen.filter((s) => s.endsWith(" deep"))).toEqual([])
    expect(log.records.some((r) => r.msg === "downstream message dropped: nested too deep" && r.method === "notifications/message")).toBe(true)
    expect(text(await echo(p, "b"))).toBe("echo:b")
    expect(p.get("web")!.failures).toBe(0)
  }, 30_000)
})
