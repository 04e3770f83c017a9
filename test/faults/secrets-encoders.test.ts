/**
 * Regression (QA qa70): a configured secret holding characters URL encoders disagree on (`!'()~/`,
 * a space, `&`, quotes) reached the client and the log when a downstream quoted it the way another
 * encoder spells it: a form body (URLSearchParams: an OAuth token request's `client_secret=…`), a URL
 * made with encodeURI, RFC 3986 percent-encoding (Python's quote, Go, curl) with or without `/`, an
 * HTML error page (`&amp;`, `&#x27;`), JSON quoted inside a JSON string. Only encodeURIComponent's
 * spelling and one JSON escape were registered. (qa219: a URL holding it put in a redirect's
 * `Location` parameter, so encoded twice — `%2526` for its `&` — came out in every answer and the log;
 * qa222: upper-cased, every character escaped, and a short PIN as base64 in an error did too.) Through the compiled binary with a real SDK client
 * (servers/encoding-server.ts): a successful result (direct, call_tool, run_code), an isError result,
 * a JSON-RPC error, and the downstream's stderr in the log; each must show `[REDACTED]` where the
 * password was, so the test cannot pass because nothing was said.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "encoding-server.ts")
const PASSWORD = `Pw!(x)'y~z/ q&r"s<t>${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`
/** Distinctive parts of every spelling the fixture writes (the random tail, its neighbours encoded each way). */
const TAIL = PASSWORD.slice(-12)

let c: Connected

/** qa222: a short PIN (8 characters) the fixture writes as base64 into its errors. */
const PIN = `p${crypto.randomUUID().replace(/-/g, "").slice(0, 7)}`
const PIN_B64 = Buffer.from(PIN).toString("base64")

/** What an answer gives away: the random tail of the password in any spelling (none may show), the PIN's base64. */
function leaked(text: string): boolean {
  const tail = TAIL.slice(-8)
  return [tail, tail.toUpperCase(), [...Buffer.from(tail)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""), [...tail].map((c) => `&#${c.codePointAt(0)};`).join(""), PIN_B64].some((s) => text.includes(s))
}

async function call(name: string, args: Record<string, unknown> = {}): Promise<string> {
  return c.client.callTool({ name, arguments: args }).then(
    (r) => JSON.stringify(r),
    (e: unknown) => `${(e as Error).message} ${JSON.stringify((e as { data?: unknown }).data ?? null)}`,
  )
}

beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    log: { level: "debug" },
    toolkit: { enabled: "off" },
    warm: ["enc"],
    servers: { enc: { command: process.execPath, args: [FIXTURE], env: { ENC_PASSWORD: PASSWORD, ENC_PASSCODE: PIN } } },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("a configured password spelled by other encoders (form body, encodeURI, RFC 3986, HTML, JSON twice) is redacted in results and errors", async () => {
  const answers = [
    await call("enc__ok"),
    await call("call_tool", { name: "enc__ok", arguments: {} }),
    await call("run_code", { code: 'return await tools["enc__ok"]({})' }),
    await call("enc__fail"),
    await call("call_tool", { name: "enc__fail", arguments: {} }),
    await call("enc__rpc"),
  ]
  for (const a of answers) {
    // every line of the fixture came through, each with its spelling masked
    expect(a).toContain("oauth/token body")
    expect(a).toContain("Bad credential")
    expect(a).toContain("return_to=")
    expect(a).toContain("ENV DUMP")
    expect(a).toContain("every char")
    expect(a.split("[REDACTED]").length - 1).toBeGreaterThanOrEqual(10)
    expect(leaked(a)).toBe(false)
  }
}, 60_000)

test("the downstream's stderr in the log shows none of the spellings", async () => {
  await c.close()
  const log = c.stderr()
  expect(log).toContain("encoding-server starting")
  expect(log).toContain("Bad credential")
  expect(log).toContain("return_to=")
  expect(log).toContain("auth header")
  expect(leaked(log)).toBe(false)
}, 60_000)
