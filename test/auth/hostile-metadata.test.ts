/**
 * `auth login` against a remote server whose OAuth metadata is hostile (the mcp-remote
 * CVE-2025-6514 class), through the compiled binary with a stub opener as $BROWSER that records
 * every start in a file: a URL of the flow that is not https (or http to a loopback host) stops the
 * login with OAUTH_INSECURE_URL, naming the field and where it came from, and the opener never
 * runs. A legitimate loopback or https authorization endpoint is still opened (the positive
 * controls show the stub does record an opener start). Also the sign-in link offered through a
 * client (URL-mode elicitation): never sent for such metadata.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { startHostile, type HostileServer } from "./fixtures/hostile-server.ts"
import { cli, sandbox, started, textOf, type Sandbox } from "./helpers.ts"

const STUB = join(import.meta.dir, "fixtures", "stub-opener.ts")
const { serve } = started()
let hostile: HostileServer

beforeAll(() => {
  hostile = startHostile()
})

afterAll(() => {
  hostile?.stop()
})

interface Run {
  code: number
  stderr: string
  /** argv of every opener start. */
  opened: string[][]
}

function withStub(sb: Sandbox): string {
  const log = join(sb.env.HOME!, "opener.log")
  sb.env.BROWSER = `${process.execPath} ${STUB}`
  sb.env.OPENER_LOG = log
  return log
}

async function login(): Promise<Run> {
  const sb = sandbox({ evil: { url: hostile.mcpUrl } })
  const log = withStub(sb)
  const r = await cli(sb, ["auth", "login", "evil", "--timeout", "60s"])
  const opened = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]) : []
  return { code: r.code, stderr: r.stderr, opened }
}

describe("auth login opens only https (or loopback http) authorization URLs", () => {
  test("control: a loopback authorization endpoint is opened (the stub records it)", async () => {
    hostile.set({})
    const r = await login()
    expect(r.opened).toHaveLength(1)
    expect(r.opened[0]![0]!.startsWith(`${hostile.base}/authorize?`)).toBe(true)
    // the stub answered access_denied: the login ended there
    expect(r.stderr).toContain("access_denied")
    expect(r.code).toBe(1)
  }, 60_000)

  test("control: an https authorization endpoint on another host is opened", async () => {
    hostile.set({ as: { authorization_endpoint: "https://auth.example.com/authorize" } })
    const r = await login()
    expect(r.opened).toHaveLength(1)
    expect(r.opened[0]![0]!.startsWith("https://auth.example.com/authorize?response_type=code")).toBe(true)
    expect(r.stderr).toContain("access_denied")
  }, 60_000)

  test("metadata listing PKCE methods without S256: refused before a client is registered, nothing opened", async () => {
    hostile.set({ as: { code_challenge_methods_supported: ["plain"] } })
    const before = hostile.requests.length
    const r = await login()
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`the authorization server ${hostile.base} does not list PKCE S256`)
    expect(r.opened).toEqual([])
    expect(hostile.requests.slice(before)).not.toContain("POST /register")
  }, 60_000)

  for (const bad of ["file:///etc/passwd", "smb://evil.example/share", "vscode://evil.ext/run?x=1", "http://example.com/authorize"]) {
    test(`authorization_endpoint ${bad}: refused with the field and the metadata URL; nothing opened, nothing registered`, async () => {
      hostile.set({ as: { authorization_endpoint: bad } })
      const r = await login()
      expect(r.opened).toEqual([])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`OAuth for server evil stopped: authorization_endpoint ${JSON.stringify(bad)}`)
      expect(r.stderr).toContain(`${hostile.base}/.well-known/oauth-authorization-server`)
      expect(r.stderr).toContain("is not https (or http to a loopback host")
      expect(hostile.requests).not.toContain("POST /register")
    }, 60_000)
  }

  const cases: Array<{ name: string; set: Parameters<HostileServer["set"]>[0]; field: string; value: string; from: () => string }> = [
    { name: "token_endpoint over plain http to another host", set: { as: { token_endpoint: "http://evil.invalid/token" } }, field: "token_endpoint", value: "http://evil.invalid/token", from: () => `${hostile.base}/.well-known/oauth-authorization-server` },
    { name: "registration_endpoint with an smb: URL", set: { as: { registration_endpoint: "smb://evil.invalid/register" } }, field: "registration_endpoint", value: "smb://evil.invalid/register", from: () => `${hostile.base}/.well-known/oauth-authorization-server` },
    { name: "issuer over plain http to another host", set: { as: { issuer: "http://evil.invalid" } }, field: "issuer", value: "http://evil.invalid", from: () => `${hostile.base}/.well-known/oauth-authorization-server` },
    { name: "authorization_servers naming a plain-http host", set: { prm: { authorization_servers: ["http://evil.invalid"] } }, field: "authorization_servers[0]", value: "http://evil.invalid", from: () => `the protected resource metadata at ${hostile.base}/.well-known/oauth-protected-resource` },
    { name: "a challenge whose resource_metadata is a file: URL", set: { resourceMetadata: "file:///etc/passwd" }, field: "resource_metadata", value: "file:///etc/passwd", from: () => `the WWW-Authenticate challenge of ${hostile.mcpUrl}` },
    { name: "the MCP endpoint redirecting to a plain-http host", set: { mcpRedirect: "http://evil.invalid/mcp" }, field: "redirect", value: "http://evil.invalid/mcp", from: () => `the answer of ${hostile.mcpUrl}` },
    // QA 8b: https, but the cloud metadata address (the login would request its well-known paths)
    { name: "authorization_servers naming the cloud metadata address over https", set: { prm: { authorization_servers: ["https://169.254.169.254/latest"] } }, field: "authorization_servers[0]", value: "https://169.254.169.254/latest", from: () => `the protected resource metadata at ${hostile.base}/.well-known/oauth-protected-resource` },
    { name: "token_endpoint on metadata.google.internal", set: { as: { token_endpoint: "https://metadata.google.internal/computeMetadata/v1/" } }, field: "token_endpoint", value: "https://metadata.google.internal/computeMetadata/v1/", from: () => `${hostile.base}/.well-known/oauth-authorization-server` },
  ]
  for (const c of cases) {
    test(`${c.name}: refused, naming ${c.field} and its source; nothing opened`, async () => {
      hostile.set(c.set)
      const r = await login()
      expect(r.opened).toEqual([])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`stopped: ${c.field} ${JSON.stringify(c.value)}`)
      expect(r.stderr).toContain(c.from())
    }, 60_000)
  }

  test("a configured plain-http url to another host is refused before any request", async () => {
    const sb = sandbox({ evil: { url: "http://evil.invalid/mcp" } })
    const log = withStub(sb)
    const r = await cli(sb, ["auth", "login", "evil", "--timeout", "60s"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('servers.evil.url "http://evil.invalid/mcp"')
    expect(r.stderr).toContain("Use the server's https URL in servers.evil.url")
    expect(existsSync(log)).toBe(false)
  }, 60_000)
})

describe("sign-in through the client (URL-mode elicitation)", () => {
  test("metadata naming a vscode: authorization endpoint: no elicitation is sent, the call answers NEEDS_AUTH", async () => {
    hostile.set({ as: { authorization_endpoint: "vscode://evil.ext/run?x=1" } })
    const sb = sandbox({ evil: { url: hostile.mcpUrl } })
    const log = withStub(sb)
    const c = await serve(sb, { capabilities: { elicitation: { url: {} } } })
    const asked: unknown[] = []
    c.client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params)
      return { action: "decline" }
    })
    let text = ""
    try {
      text = textOf(await c.client.callTool({ name: "evil__anything", arguments: {} }))
    } catch (e) {
      text = `${(e as Error).message} ${textOf((e as { data?: unknown }).data)}`
    }
    // the log line is written as the call is answered: wait for it to be read
    for (let i = 0; i < 200 && !c.stderr().includes("sign-in through the client did not complete"); i++) await Bun.sleep(25)
    expect(asked).toEqual([])
    expect(text).toContain("NEEDS_AUTH")
    const why = c.stderr().split("\n").find((l) => l.includes("sign-in through the client did not complete"))
    expect(why).toContain('authorization_endpoint \\"vscode://evil.ext/run?x=1\\"')
    expect(existsSync(log)).toBe(false)
  }, 60_000)
})
