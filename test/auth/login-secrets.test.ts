/**
 * Regression (QA qa93): the values of a login are secrets while it runs — the authorization code,
 * the PKCE verifier, the `state`, a registered client's secret. A token endpoint whose error quotes
 * the request it refused (`refused: grant_type=authorization_code&code=…&code_verifier=…`, the
 * oauth-world "echo" fault, after a real login at oidc-provider) had them in the `auth login`
 * error and in the SDK's warning, printed raw. Now each is registered (until the server's next
 * login), form pairs that name them (`code`, `code_verifier`, `refresh_token`, `client_secret`) are
 * masked by name too, and the SDK's console output is a redacted log line as in serve.
 * Through the compiled binary and the scripted browser.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { TokenStore, type OAuthRecord } from "../../src/auth/index.ts"
import { redactString, secrets } from "../../src/core/index.ts"
import { ensureBuilt, tempDir } from "../helpers/binary.ts"
import { startWorld, type OAuthWorld } from "./fixtures/oauth-world.ts"
import { cli, sandbox } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

let world: OAuthWorld

beforeAll(async () => {
  await ensureBuilt()
  world = await startWorld()
}, 120_000)

afterAll(async () => {
  await world?.stop()
})

test("a token endpoint quoting the code exchange's form shows neither the code, the verifier nor the state", async () => {
  world.tokenEndpoint = "echo"
  const sb = sandbox({ remote: { url: world.mcpUrl } })
  const r = await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])
  expect(r.code).toBe(1)
  // the endpoint's refusal is still told
  expect(r.stderr).toContain("invalid_grant")
  const callback = sb.visited().map((l) => l.replace(/^GET /, "")).find((u) => u.includes("/callback?"))
  expect(callback).toBeDefined()
  const back = new URL(callback!)
  const code = back.searchParams.get("code")!
  const state = back.searchParams.get("state")!
  expect(code.length).toBeGreaterThan(8)
  const out = r.stderr + r.stdout
  expect(out).not.toContain(code)
  // the state is in the authorization URL the user is shown (it must reach the browser whole), nowhere else
  const shown = out.split("\n").filter((l) => l.includes(state))
  expect(shown).toHaveLength(1)
  expect(shown[0]!.trim().startsWith(`${world.issuer}/auth?`)).toBe(true)
  // the SDK's own warning quoting the refusal is a redacted log line, not raw console output
  expect(out).toContain('"component":"library"')
  // the verifier is never seen by the test: no value after its name but the mask
  expect(out).toContain("code_verifier=")
  expect(out).not.toMatch(/code_verifier=(?!\[REDACTED\])/)
}, 90_000)

test("a dynamic registration's client_secret and registration_access_token are secrets once stored, and read back", () => {
  const secret = `cs-${crypto.randomUUID()}`
  const manage = `rat-${crypto.randomUUID()}`
  const dir = tempDir("mcpo-reg-")
  const client = { client_id: "dyn-client", client_secret: secret, registration_access_token: manage } as OAuthRecord["client"]
  new TokenStore(dir).write({ v: 1, server: "reg", url: "https://mcp.example/mcp", client } as OAuthRecord)
  const line = `registration update refused: {"client_secret":"${secret}"} with Bearer ${manage} (${manage})`
  expect(redactString(line)).not.toContain(secret)
  expect(redactString(line)).not.toContain(manage)
  // a new process reading the stored record registers them as well
  secrets.delete("oauth:reg")
  expect(new TokenStore(dir).read("reg")?.client?.client_id).toBe("dyn-client")
  expect(redactString(`(${manage})`)).toBe("([REDACTED])")
})
