/**
 * Regression (QA qa106): a remote server's url carrying its credential in a query parameter of an
 * ordinary name (`?client=<key>`, not `?api_key=`) had the value registered nowhere, while the same
 * value as a path segment was. A server refusing the connect with a body that quotes the request
 * URL (a 403 `request to …?client=<key> refused`) handed it to the model in the call's
 * SERVER_UNAVAILABLE error, describe_tools, search_tools and orchestrator_status, and to the log. A
 * query value under any name is now judged by its look as a path segment is (core/secrets
 * `collectUrlSecrets`). And a configured value across the 200 characters the error quotes of the
 * body went out as its first half (`Hd5e71554…`), which no later redaction matches: a cut now
 * leaves a registered value out whole (core/cut-text `cutText`). Through the compiled binary; the
 * refusing server is a real HTTP server.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

/**
 * Credential-looking values under names that say nothing: a query value, a path segment, a header.
 * Fixed, in the shape of real API keys (mixed-case letters and digits): random hex made one in 28
 * runs look like no credential (its letter/digit mix below the entropy the look check asks), a
 * flaky verdict about the generator, not the redaction (docs: short hex ids are not judged secret).
 */
const QUERY = "Qv7mT4kR9xLw2ZpB8nVc5Hs"
const SEGMENT = "Sg3kF9xQ2mVt7Lp4Wz8Rb6Nc"
const HEADER = "Hd5pW8rT3nQz6Lk2Xv9Bm4Cj"
/** An ordinary query value (a tenant's name): shown as it is. */
const TENANT = "acme-widgets"

let c: Connected
let server: ReturnType<typeof Bun.serve>
const refused: string[] = []

beforeAll(async () => {
  await ensureBuilt()
  // every request refused with a body quoting its URL and headers, as a careless gateway does
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      refused.push(req.url)
      const said = `request to ${req.url} refused (tenant ${TENANT});`
      // padded so the header's value starts 10 characters before the 200 the error quotes of a body
      const pad = ".".repeat(Math.max(0, 190 - '{"error":"forbidden","detail":"'.length - said.length - " x-client-ref ".length))
      const detail = `${said}${pad} x-client-ref ${req.headers.get("x-client-ref")}`
      return Response.json({ error: "forbidden", detail }, { status: 403 })
    },
  })
  const cfg = join(tempDir("mcpo-url-query-"), "config.json")
  const url = `http://127.0.0.1:${server.port}/v1/${SEGMENT}/mcp?tenant=${TENANT}&client=${QUERY}`
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, pool: { restartDelay: "10m" }, servers: { gate: { url, headers: { "X-Client-Ref": HEADER } } } }))
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
}, 60_000)

afterAll(async () => {
  await c?.close()
  server?.stop(true)
})

const answer = (name: string, args: Record<string, unknown>): Promise<string> =>
  c.client.callTool({ name, arguments: args }).then(
    (r) => JSON.stringify(r),
    (e: unknown) => String((e as Error).message),
  )

test("a refusal quoting the request URL shows neither its query credential nor its path one, and keeps ordinary values", async () => {
  const called = await answer("call_tool", { name: "gate__anything", arguments: {} })
  // the server was reached with the real URL, and its refusal is what the client reads
  expect(refused.some((u) => u.includes(QUERY) && u.includes(SEGMENT))).toBe(true)
  expect(called).toContain("HTTP 403")
  expect(called).toContain("client=[REDACTED]")
  expect(called).toContain(`tenant=${TENANT}`)
  const texts = [
    called,
    await answer("describe_tools", { names: ["gate__anything"] }),
    await answer("search_tools", { query: "gate anything" }),
    await answer("orchestrator_status", {}),
    c.stderr(),
  ].join("\n")
  for (const v of [QUERY, SEGMENT, HEADER]) expect(texts).not.toContain(v)
})

test("a configured value across the cut of a quoted body is left out whole, not shown in part", async () => {
  const called = await answer("call_tool", { name: "gate__anything", arguments: {} })
  // a 403's body is quoted by its error fields, each redacted before it is cut (qa333): the value
  // is named as configured, not cut in part
  expect(called).toMatch(/x-client-ref (…|\[REDACTED\])/)
  const texts = [called, await answer("orchestrator_status", {}), c.stderr()].join("\n")
  expect(texts).not.toContain(HEADER.slice(0, 6))
})
