/**
 * Regression (QA qa14): `doctor` said nothing about remote servers: an unreachable url, a wrong
 * bearer token, a server that needs `auth login`, a wrong path all showed a clean report, and the
 * user found out from tool errors in the editor. Each remote server is now asked what serve asks
 * first (`initialize`), with its headers, and each problem is a warning naming the server, the key
 * and the remedy, never the token or the url's query. The remote here is a real MCP endpoint: the
 * binary itself serving Streamable HTTP behind its bearer token.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv, startHttpBinary, type HttpBinary } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const TOKEN = "doctor-remote-test-token-0123456789"
let remote: HttpBinary
let closedPort: number

beforeAll(async () => {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const cfg = join(env.HOME!, "remote.yaml")
  writeFileSync(cfg, 'toolkit: { enabled: "off" }\n')
  remote = await startHttpBinary(cfg, env)
  // a port nothing listens on: one that was just opened and closed again
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") })
  closedPort = s.port!
  s.stop(true)
}, 30_000)

afterAll(() => {
  remote?.proc.kill()
})

async function doctor(cfgText: string): Promise<{ code: number; out: string }> {
  const env = sandboxEnv({ PATH: "/nonexistent" })
  const cfg = join(env.HOME!, "c.yaml")
  writeFileSync(cfg, cfgText)
  const p = Bun.spawn([BIN, "doctor", "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited])
  return { code, out }
}

describe("doctor checks each remote server as serve would connect to it", () => {
  test("a good token passes; a wrong token, no token, a wrong path and a closed port are each named with a remedy", async () => {
    const base = new URL(remote.url)
    const r = await doctor(
      [
        'toolkit: { enabled: "off" }',
        "servers:",
        `  good: { url: "${remote.url}", headers: { Authorization: "Bearer ${TOKEN}" } }`,
        `  badtok: { url: "${remote.url}?key=query-secret-42", headers: { Authorization: "Bearer wrong-token-abcdefghijklmnop" } }`,
        `  nologin: { url: "${remote.url}" }`,
        `  wrongpath: { url: "${base.origin}/api/mcp", headers: { Authorization: "Bearer ${TOKEN}" } }`,
        `  down: { url: "http://127.0.0.1:${closedPort}/mcp" }`,
        `  off: { url: "http://127.0.0.1:${closedPort}/mcp", disabled: true }`,
        // a 2026-07-28 server is asked server/discover, as serve asks it
        `  modern: { url: "${remote.url}", protocol: modern, headers: { Authorization: "Bearer ${TOKEN}" } }`,
        "",
      ].join("\n"),
    )
    expect(r.code).toBe(0) // warnings, as for a stdio server that cannot start
    const label = `${base.origin}${base.pathname}`
    expect(r.out).toContain(`! servers: server badtok (${label}) refused the credentials in servers.badtok.headers.Authorization (HTTP 401)`)
    expect(r.out).toContain("renew it and update servers.badtok.headers")
    expect(r.out).toContain(`! servers: server nologin (${label}) needs a login (HTTP 401)`)
    expect(r.out).toContain("mcp-orchestrator auth login nologin")
    expect(r.out).toMatch(/! servers: server wrongpath \(http:\/\/127\.0\.0\.1:\d+\/api\/mcp\)[^\n]*HTTP 40\d/)
    expect(r.out).toContain(`! servers: server down (http://127.0.0.1:${closedPort}/mcp) cannot be reached: connection refused`)
    // the ones that answered are connected to as serve connects, and their tools listed (qa32)
    expect(r.out).toMatch(new RegExp(`✓ servers: server good \\(${label.replace(/[.]/g, "\\.")}\\) connected: \\d+ tools, MCP `))
    expect(r.out).toMatch(new RegExp(`✓ servers: server modern \\(${label.replace(/[.]/g, "\\.")}\\) connected: \\d+ tools, MCP 2026-07-28`))
    // a disabled server is not probed
    expect(r.out).not.toContain("server off ")
    // neither token nor the url's query is shown
    expect(r.out).not.toContain(TOKEN)
    expect(r.out).not.toContain("wrong-token-abcdefghijklmnop")
    expect(r.out).not.toContain("query-secret-42")
  }, 30_000)
})
