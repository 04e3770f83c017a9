import { afterAll, describe, expect, test } from "bun:test"
import { flowFetch } from "../../src/auth/flow-fetch.ts"

// A server that accepts every request and never answers: an authorization server on the MCP
// server's own origin that hangs. Its discovery requests must hit the auth flow's deadline
// wherever the issuer's path puts `/.well-known/`; the MCP endpoint's own requests are left alone.
const hung = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Promise<Response>(() => {}) })
afterAll(() => void hung.stop(true))
const origin = `http://127.0.0.1:${hung.port}`

describe("flowFetch deadlines", () => {
  for (const path of ["/.well-known/oauth-authorization-server", "/tenant1/.well-known/openid-configuration", "/.well-known/oauth-protected-resource/mcp"]) {
    test(`discovery on the MCP server's own origin (${path}) fails within the deadline`, async () => {
      const f = flowFetch(`${origin}/mcp`, fetch, 300)
      const err = await f.fetch(`${origin}${path}`).then(() => undefined, (e: unknown) => e)
      expect(String(err)).toContain("did not answer within")
    })
  }

  test("the MCP endpoint's own requests on that origin get no deadline of the flow's", async () => {
    const f = flowFetch(`${origin}/mcp`, fetch, 300)
    const ac = new AbortController()
    const pending = f.fetch(`${origin}/mcp`, { signal: ac.signal }).then(() => "answered", (e: unknown) => String(e))
    const first = await Promise.race([pending, Bun.sleep(900).then(() => "still waiting")])
    ac.abort()
    expect(first).toBe("still waiting")
    expect(await pending).not.toContain("did not answer within")
  })
})

test("a token endpoint that refuses the connection: the refresh's failure in plain words, without the runtime's hints", async () => {
  // a port nothing listens on (taken, then freed)
  const gone = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") })
  const port = gone.port
  gone.stop(true)
  const f = flowFetch(`http://127.0.0.1:${port}/mcp`)
  const refresh = new URLSearchParams({ grant_type: "refresh_token", refresh_token: "rt" })
  await f.fetch(`http://127.0.0.1:${port}/token`, { method: "POST", body: refresh }).catch(() => {})
  expect(f.lastFailure()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/token could not be reached \\(connection refused \\((ECONNREFUSED|ConnectionRefused)\\)\\)$`))
})
