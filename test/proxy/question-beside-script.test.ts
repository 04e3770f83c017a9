/**
 * A stdio server's question (elicitation/create) names no request of ours, so while a client's
 * direct call and a run_code script's call are both in flight on that server, it goes to the
 * client's call (who can answer), never refused as the script's; with only script calls in flight
 * it is refused as before (nobody there can answer). Before: the latest call of either kind won, so
 * a script call sent after a client's call made that client's question fail as "a run_code script
 * cannot answer". Real proxy and pool, the raw fault server's `ask` (asks after `before` ms).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type ClientLink, type Proxy } from "../../src/proxy/index.ts"
import { config, ctx, fault } from "./helpers.ts"

let proxy: Proxy
beforeAll(async () => {
  proxy = createProxy({ config: config({ servers: { f: fault() } }), log: silentLogger, closeGraceMs: 300 })
  await proxy.listTools()
})
afterAll(() => proxy[Symbol.asyncDispose]())

const asked: string[] = []
const link: ClientLink = {
  capabilities: () => ({ elicitation: {} }),
  protocolVersion: () => "2025-11-25",
  async request(method) {
    asked.push(method)
    return { action: "accept", content: { ok: true } }
  },
  async notify() {},
}
const text = (r: { content: unknown[] }): string => (r.content[0] as { text: string }).text

function direct() {
  const c = ctx()
  c.client = link
  return c
}
function script(declined: string[]) {
  const c = ctx()
  c.script = { declined: (_s, m) => void declined.push(m) }
  return c
}

test("a client's call asks while a script's call runs beside it: the client is asked, the script's call is unharmed", async () => {
  const detach = proxy.attachClient(link)
  asked.length = 0
  const declined: string[] = []
  try {
    const d = proxy.callTool("f__ask", { before: 1500 }, direct())
    // the script's call goes out after the client's, before its question
    await Bun.sleep(300)
    const s = proxy.callTool("f__sleep", { ms: 3000 }, script(declined))
    expect(text(await d)).toBe("action accept")
    expect((await s).isError).toBeFalsy()
    expect(asked).toEqual(["elicitation/create"])
    expect(declined).toEqual([])
  } finally {
    detach()
  }
}, 30_000)

test("only a script's call in flight: its question is refused, no client asked", async () => {
  const detach = proxy.attachClient(link)
  asked.length = 0
  const declined: string[] = []
  try {
    // a client's call ended before it: it has no say
    expect(text(await proxy.callTool("f__echo", { message: "x" }, direct()))).toBe("x")
    const s = await proxy.callTool("f__ask", { before: 0 }, script(declined)).then(
      (r) => text(r),
      (e: unknown) => String((e as Error).message),
    )
    expect(s).toContain("error")
    expect(asked).toEqual([])
    expect(declined).toEqual(["elicitation/create"])
  } finally {
    detach()
  }
}, 30_000)
