/**
 * qa333: a remote's 401/403 answer was quoted as it came (its first 200 characters): a body such
 * as `unauthorized: session <id> …` or a JSON body echoing the key sent holds a random string with
 * no secret name or token shape beside it, which no redaction sees. Now only the status, the
 * `WWW-Authenticate` challenge's error/error_description and a JSON body's error /
 * error_description / message are quoted, long opaque runs masked. Both eras, real SDK v2 servers.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startModernEcho } from "../fixtures/modern-echo-http.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { downstreamFailure } from "../helpers/failure.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the values registered here (by hand or by what runs: configured headers) are not left for later files
secretsRestoredAfterFile()

// random strings a server echoes: no name or shape says they are secrets
const SESSION = crypto.randomUUID().replace(/-/g, "")
const KEY = `${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}.${crypto.randomUUID().replace(/-/g, "").slice(0, 14)}`
const CHALLENGE = `Bearer realm="mcp", error="invalid_token", error_description="The access token ${KEY} expired"`

const REFUSALS: Record<string, () => Response> = {
  text401: () => new Response(`unauthorized: session ${SESSION} is not valid for this client`, { status: 401, headers: { "content-type": "text/plain" } }),
  json403: () => Response.json({ error: "forbidden", error_description: `key ${KEY} lacks scope tools:call`, session: SESSION, request: { headers: { "x-api-key": KEY } } }, { status: 403 }),
  challenge401: () => new Response(`{"message":"token ${KEY} rejected"}`, { status: 401, headers: { "content-type": "application/json", "www-authenticate": CHALLENGE } }),
}

type Msg = { method?: string; params?: { arguments?: { text?: unknown } } }
const refuse = (m: unknown): Response | undefined => {
  const t = (m as Msg).params?.arguments?.text
  return (m as Msg).method === "tools/call" && typeof t === "string" ? REFUSALS[t]?.() : undefined
}

const legacy = startStatefulHttp()
legacy.refuse(refuse)
const modern = startModernEcho(refuse)

afterAll(async () => {
  await legacy.stop()
  await modern.stop()
})

const eras = [
  { era: "legacy", spec: () => ({ url: legacy.url, protocol: "legacy", headers: { Authorization: "Bearer tok-333-abcdef123456" } }) as ServerSpec },
  { era: "2026-07-28", spec: () => ({ url: modern.url, protocol: "modern", headers: { Authorization: "Bearer tok-333-abcdef123456" } }) as ServerSpec },
]

describe.each(eras)("a remote ($era) refusing a call's credentials", ({ spec }) => {
  test("the error keeps the status and the error fields, and quotes no opaque string of the body or challenge", async () => {
    await using p = new Pool({ config: config({ pool: { restartDelay: 60_000 } }), log: captureLog().log })
    p.add({ name: "web", source: "config", spec: spec() })
    const said: Record<string, string> = {}
    for (const t of Object.keys(REFUSALS)) {
      const e = await downstreamFailure(p.call("web", "tools/call", { name: "echo", arguments: { text: t } }, {}))
      said[t] = `${e.message} ${JSON.stringify(e.details)}`
    }
    expect(said.text401).toContain("HTTP 401")
    expect(said.text401).toContain("unauthorized: session [opaque] is not valid")
    expect(said.json403).toContain("HTTP 403")
    expect(said.json403).toContain("error: forbidden; error_description: key [opaque] lacks scope tools:call")
    expect(said.challenge401).toContain('message: token [opaque] rejected; WWW-Authenticate: error="invalid_token", error_description="The access token [opaque] expired"')
    expect(Object.entries(said).filter(([, v]) => v.includes(SESSION) || v.includes(KEY) || v.includes(KEY.slice(0, 12)) || v.includes(SESSION.slice(0, 12))).map(([k]) => k)).toEqual([])
  })
})
