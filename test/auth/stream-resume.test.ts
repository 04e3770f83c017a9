/**
 * A tool call whose response stream breaks (the server closes it; a proxy cutting long responses)
 * and whose access token expires or is revoked before the client resumes it (GET + Last-Event-ID):
 * the resumption is answered 401. The call failed at once with WRITE_FAILED ("refused to resume it
 * (HTTP 401)", "the server may or may not have run the call"), its answer lost for a token one
 * refresh renews — a model retrying ran it twice. Now the transport refreshes and resumes from the
 * same event once more, and the call gets its answer; a server that refuses the resumption again
 * ends the call once, saying the token was refused after a refresh (no loop of refreshes). Through
 * the compiled binary against oidc-provider and a real stateful SDK server with resumable streams.
 */
import { expect, test } from "bun:test"
import { startProtectedStateful, type ProtectedStateful } from "./fixtures/protected-stateful.ts"
import { logIn, sandbox, started } from "./helpers.ts"

const { world, serve } = started()

async function setUp(): Promise<{ p: ProtectedStateful; c: Awaited<ReturnType<typeof serve>>; w: Awaited<ReturnType<typeof world>> }> {
  const w = await world()
  const p = startProtectedStateful(w)
  const sb = sandbox({ remote: { url: p.url } })
  await logIn(sb)
  const c = await serve(sb)
  expect(await c.client.callTool({ name: "remote__echo", arguments: { text: "hi" } })).toMatchObject({ content: [{ text: "echo:hi" }] })
  return { p, c, w }
}

const poll = (c: Awaited<ReturnType<typeof serve>>) =>
  c.client.callTool({ name: "remote__poll", arguments: { rounds: 2 } }, undefined, { timeout: 60_000 }).then(
    (r) => JSON.stringify(r),
    (e: unknown) => String(e),
  )

test("the token revoked while the call's stream was away: one refresh, the stream resumed, the call answered", async () => {
  const { p, c, w } = await setUp()
  try {
    let once = true
    p.onResume = async () => {
      if (once) await w.revokeAccessTokens()
      once = false
    }
    expect(await poll(c)).toContain("polled:2")
    expect(p.seen).toContain("GET resume 401")
    expect(p.seen.filter((s) => s === "GET resume 200").length).toBeGreaterThan(0)
    expect(w.tokenRequests.map((r) => r.grant)).toEqual(["authorization_code", "refresh_token"])
  } finally {
    await p.stop()
  }
}, 90_000)

test("a resumption refused again after the refresh: the call ends once, saying so; no loop", async () => {
  const { p, c, w } = await setUp()
  try {
    // every token is revoked before each resumption is checked: fresh ones too
    p.onResume = async () => void (await w.revokeAccessTokens())
    const r = await poll(c)
    expect(r).toContain("WRITE_FAILED")
    expect(r).toContain("refused to resume it (HTTP 401: the access token was refused, also after a refresh)")
    expect(p.seen.filter((s) => s === "GET resume 401")).toHaveLength(2)
    expect(w.tokenRequests.filter((g) => g.grant.startsWith("refresh_token")).length).toBeLessThanOrEqual(1)
  } finally {
    await p.stop()
  }
}, 90_000)
