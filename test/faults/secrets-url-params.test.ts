/**
 * @module test/faults/secrets-url-params
 * A credential in a remote server's URL outside its query: a path segment's parameters
 * (`/mcp;jsessionid=…`, `;token=…`, as Java servlet containers and some gateways write a session)
 * and the fragment (`#access_token=…`). They are configured secrets like `?token=…`: the error of a
 * server that cannot be reached quotes its URL, in `doctor` and in `orchestrator_status`. Before
 * qa359 the URL reader judged the whole segment `mcp;jsessionid=<key>` (no credential look) and never
 * read the fragment, so doctor printed the session key. Compiled binary, nothing listening on port 9.
 */
import { beforeAll, expect, test } from "bun:test"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const tag = crypto.randomUUID().replace(/-/g, "").slice(0, 8)
const SESSION = `Ms${tag}Q7d`
const MATRIX_TOKEN = `Mt4${tag}Kz`
const FRAGMENT = `Fr9${tag}Wx`
const VALUES = [SESSION, MATRIX_TOKEN, FRAGMENT]

function config(env: Record<string, string>): string {
  return writeConfig(env, {
    toolkit: { enabled: "off" },
    log: { level: "debug" },
    servers: {
      servlet: { url: `http://127.0.0.1:9/mcp;jsessionid=${SESSION}` },
      gateway: { url: `http://127.0.0.1:9/v1;token=${MATRIX_TOKEN};v=2/mcp` },
      fragment: { url: `http://127.0.0.1:9/mcp#access_token=${FRAGMENT}` },
    },
  })
}

test("doctor quotes an unreachable server's URL without the credential in its path parameters or fragment", () => {
  const env = sandboxEnv()
  const p = Bun.spawnSync([BIN, "doctor", "--json", "--config", config(env)], { env, cwd: env.HOME })
  const out = p.stdout.toString() + p.stderr.toString()
  // it did quote the URLs
  expect(out).toContain("/mcp;jsessionid=[REDACTED]")
  for (const v of VALUES) expect(out).not.toContain(v)
}, 90_000)

test("serve: status and the log name the unreachable servers without those credentials", async () => {
  const env = sandboxEnv()
  const c = await connectBinary(["serve", "--config", config(env)], env)
  try {
    for (const name of ["servlet", "gateway", "fragment"]) {
      const r = await c.client.callTool({ name: "call_tool", arguments: { name: `${name}__x`, arguments: {} } }).catch((e: unknown) => ({ error: String(e) }))
      for (const v of VALUES) expect(JSON.stringify(r)).not.toContain(v)
    }
    const status = JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    for (const v of VALUES) expect(status).not.toContain(v)
  } finally {
    await c.close()
  }
  for (const v of VALUES) expect(c.stderr()).not.toContain(v)
}, 90_000)
