/**
 * A client that goes away while it sends a POST body (QA round 7a: a slow body cut off, a killed
 * curl) is its own problem: the request is answered 400 (nobody reads it) and logged at debug, never
 * as an "http handler failed" error with a 500, on the MCP endpoint and on the other routes.
 */
import { afterEach, expect, test } from "bun:test"
import { createLogger, createLogHub } from "../../src/core/index.ts"
import { authHeaders, BASE, makeApp, type TestApp } from "./helpers.ts"

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

/** A body that sends a few bytes, then breaks off as a dropped connection does. */
function brokenBody(): ReadableStream<Uint8Array> {
  let sent = false
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sent) {
        sent = true
        c.enqueue(new TextEncoder().encode('{"jsonrpc":"2.0",'))
        return
      }
      c.error(new Error("The connection was closed."))
    },
  })
}

test("a body broken off mid-way: 400, logged at debug, no error line", async () => {
  const lines: string[] = []
  t = makeApp({ log: createLogger(createLogHub("debug", (l) => lines.push(l)), "http") })
  for (const path of ["/mcp", "/mcp/", "/healthz"]) {
    const res = await t.app.request(`${BASE}${path}`, {
      method: "POST",
      headers: authHeaders({ "content-type": "application/json", accept: "application/json, text/event-stream" }),
      body: brokenBody(),
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain("could not be read whole")
  }
  const levels = lines.map((l) => (JSON.parse(l) as { level: string; msg: string }))
  expect(levels.filter((l) => l.level === "error")).toEqual([])
  expect(levels.filter((l) => l.level === "debug" && /not read whole/.test(l.msg)).length).toBe(3)
})
