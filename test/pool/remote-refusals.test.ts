/**
 * A remote server's refusals that read with the wrong remedy, or without what the server said:
 * - a redirect loop within the server's own address was reported in the SDK's words ("Redirect to
 *   <the configured url> not followed; use that URL as the endpoint"), with the remedy to put the
 *   new address in `url`: the address it already has;
 * - a 429 or 503 with `Retry-After` did not say when the server asks to be tried again;
 * - a legacy HTTP+SSE server whose `endpoint` event names another origin (refused, so the configured
 *   headers never go there) failed its start with "check that the remote server is running and
 *   reachable", which it is.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startHostileRemote } from "../fixtures/hostile-remote.ts"
import { downstreamFailure } from "../helpers/failure.ts"

const server = startHostileRemote()
afterAll(() => server.stop())

function pool(spec: ServerSpec): Pool {
  const p = new Pool({ config: config({ pool: { callTimeout: 10_000 } }), log: captureLog().log })
  p.add({ name: "web", source: "config", spec })
  return p
}
const echo = (p: Pool, text: string) => p.call("web", "tools/call", { name: "echo", arguments: { text } }, {})

describe("a remote server's refusals say what it said and what to do", () => {
  test("a redirect loop within its own address is named a loop, with a remedy about the url's path; the session stays", async () => {
    await using p = pool({ url: server.url, protocol: "legacy" } as ServerSpec)
    const e = await downstreamFailure(echo(p, "redirect-loop"))
    expect(e.code).toBe("BAD_RESPONSE")
    expect(e.message).toContain("HTTP 307: the server redirected within its own address more than 5 times (a redirect loop)")
    expect(e.message).not.toContain("use that URL")
    expect(e.remedy).toContain("go round within its own address")
    expect(e.remedy).not.toContain("new address")
    expect(await echo(p, "b")).toEqual({ content: [{ type: "text", text: "echo:b" }] })
  })

  test.each([
    ["status:429:30", "HTTP 429", "; the server asks to be tried again in 30 s (Retry-After)"],
    ["status:429", "HTTP 429", undefined],
    ["status:503:7", "HTTP 503", "; the server asks to be tried again in 7 s (Retry-After)"],
  ])("%p: the status, and Retry-After when the server sent it", async (text, status, wait) => {
    await using p = pool({ url: server.url, protocol: "legacy" } as ServerSpec)
    const e = await downstreamFailure(echo(p, text))
    expect(e.message).toContain(status)
    if (wait === undefined) expect(e.message).not.toContain("Retry-After")
    else expect(e.message.endsWith(wait)).toBe(true)
  })

  test("legacy HTTP+SSE: an endpoint event naming another origin fails the start saying so, not \"check that it is running\"", async () => {
    const to = encodeURIComponent(`http://localhost:${server.port}/mcp`)
    await using p = pool({ url: `${server.url.replace(/\/mcp$/, "/sse")}?to=${to}`, transport: "sse" } as ServerSpec)
    const e = await downstreamFailure(echo(p, "a"))
    expect(e.code).toBe("CONNECT_FAILED")
    expect(e.message).toContain(`named http://localhost:${server.port}, another origin, as where to send its messages (its \`endpoint\` event); refused`)
    expect(e.remedy).toContain("to another host, which is never done")
    expect(e.remedy).not.toContain("running and reachable")
  })
})
