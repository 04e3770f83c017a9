/**
 * Regression (QA qa25): generic redaction (logs, downstream stderr, error texts) masked token
 * shapes only (Bearer, ghp_, sk-…): a secret that text names — `GITHUB_TOKEN=value`, `password:
 * value`, `"api_key": "value"`, `Authorization: value`, `postgres://u:value@h`, `--token value` —
 * went out whole unless it was configured, and so did a configured value base64-encoded. Now
 * `redactString` masks them; ordinary pairs, prose, placeholders and variable names stay as they
 * are, and a downstream's own data (successful results, definitions) is not touched by it.
 */
import { afterEach, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { createLogger, createLogHub, REDACTED, redactListResult, redactRegistered, redactString, registerSecret, secrets } from "../../src/core/index.ts"
import { TextRing } from "../../src/pool/ring-buffer.ts"
import { stderrReason } from "../../src/pool/stderr-reason.ts"

afterEach(() => secrets.delete("test"))

const R = REDACTED

describe("what text names as a secret is masked", () => {
  const cases: [string, string][] = [
    ["GITHUB_TOKEN=plainvalue", `GITHUB_TOKEN=${R}`],
    ["export DB_PASS=plainpw; next", `export DB_PASS=${R}; next`],
    ["password: x", `password: ${R}`],
    ["password: hunter2", `password: ${R}`],
    // `!` and `?` closing a value are its own (a password's last character), a full stop is the sentence's
    ["DB_PASSWORD=Summer2024!", `DB_PASSWORD=${R}`],
    ["DB_PASSWORD: Summer2024! next", `DB_PASSWORD: ${R} next`],
    ["password=abc123?", `password=${R}`],
    ["the password=hunter2. next", `the password=${R}. next`],
    ['{"api_key": "abc-plain", "name": "ok", "max_tokens": 1000}', `{"api_key": "${R}", "name": "ok", "max_tokens": 1000}`],
    ['{\\"api_key\\": \\"abc-plain\\", \\"mode\\": \\"x\\"}', `{\\"api_key\\": \\"${R}\\", \\"mode\\": \\"x\\"}`],
    ["{'client_secret': 'py-plain'}", `{'client_secret': '${R}'}`],
    ["Authorization: plaincred", `Authorization: ${R}`],
    ["authorization: Token abc", `authorization: Token ${R}`],
    ["Proxy-Authorization: Digest username=\"u\", response=\"abc\"", `Proxy-Authorization: Digest ${R}`],
    ["Cookie: sid=abc; theme=dark", `Cookie: ${R}`],
    ["bad auth: Bearer abc", `bad auth: Bearer ${R}`],
    ["postgres://u:pw@h:5432/db", `postgres://u:${R}@h:5432/db`],
    ["connecting to redis://default:s3cr3t@localhost:6379 failed", `connecting to redis://default:${R}@localhost:6379 failed`],
    ["https://x-access-token:plainvalue@github.com/o/r.git", `https://x-access-token:${R}@github.com/o/r.git`],
    ["https://abcdef1234567890abcdef@sentry.io/1", `https://${R}@sentry.io/1`],
    ["Invalid API key: abcdef123", `Invalid API key: ${R}`],
    ["spawned: server --token plainvalue9 --api-key=plain2 --verbose", `spawned: server --token ${R} --api-key=${R} --verbose`],
    // a value quoted in backticks (Markdown, a shell or JS template) and an XML element's text (qa166)
    ["set API_KEY=`mdPlain9x` or token: `mdTok9x`", `set API_KEY=\`${R}\` or token: \`${R}\``],
    ['<password>xmlPlain9</password> <ns:ApiKey a="1">nsPlain9</ns:ApiKey>', `<password>${R}</password> <ns:ApiKey a="1">${R}</ns:ApiKey>`],
    // a pair URL-encoded in a URL or a form: a redirect_uri's own query, JSON in a query (qa166)
    ["redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fcode%3DcodePlain9%26state%3Dxyz&client_id=c", `redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fcode%3D${R}%26state%3Dxyz&client_id=c`],
    ["next=%2Flogin%3Fapi_key%3Dk3y%2540x%26page%3D2 d=%7B%22password%22%3A%20%22pw%2Bplain9%22%7D", `next=%2Flogin%3Fapi_key%3D${R}%26page%3D2 d=%7B%22password%22%3A%20%22${R}%22%7D`],
    ["GET /login.cgi?user=bob&pw=plainPw9&x=1 and ?pass=plainPs9", `GET /login.cgi?user=bob&pw=${R}&x=1 and ?pass=${R}`],
    // a password or credentials under a short name (qa166)
    ["DB_PW=hunter2isMe SMTP_PW: Summer2024 DB_CREDS=u/p4ss PASSCODE=884422", `DB_PW=${R} SMTP_PW: ${R} DB_CREDS=${R} PASSCODE=${R}`],
    // a PIN, recovery words, an OTP seed (qa228); a version pin and a random seed stay
    ["DB_PIN=483920 PIN: 88224411 pin_code=99887766 simPin=1234567", `DB_PIN=${R} PIN: ${R} pin_code=${R} simPin=${R}`],
    ["SEED_PHRASE='abandon ability able' TOTP_SEED=JBSWY3DPEHPK3PXP", `SEED_PHRASE='${R}' TOTP_SEED=${R}`],
    ["pin: ^1.2.3 GPIO_PIN=17 RANDOM_SEED=424242 VERSION_PIN=1.24.7", "pin: ^1.2.3 GPIO_PIN=17 RANDOM_SEED=424242 VERSION_PIN=1.24.7"],
    // the same flag and value as items of an argv quoted as a list: JSON, Python, JSON in a JSON string (qa166)
    ['argv: ["x.js", "--api-key", "plainArg9", "--port", "80"]', `argv: ["x.js", "--api-key", "${R}", "--port", "80"]`],
    ["argv=['node', '--token', 'pyPlain9x', '-v']", `argv=['node', '--token', '${R}', '-v']`],
    ['{"m": "[\\"--client-secret\\", \\"escPlain9\\"]"}', `{"m": "[\\"--client-secret\\", \\"${R}\\"]"}`],
    ["https://maps.example/api?key=AIzaPlain123&sig=abc&x=1", `https://maps.example/api?key=${R}&sig=${R}&x=1`],
    // an OAuth token request's form quoted by its endpoint, the code first or not (qa93); grant_type's value stays
    ["refused: code=Ok55-KJd8&code_verifier=NGDC0~azsX&client_id=c1", `refused: code=${R}&code_verifier=${R}&client_id=c1`],
    ["refused: grant_type=authorization_code&code=Ok55-KJd8&code_verifier=NGDC0~azsX&redirect_uri=http://127.0.0.1:1/cb", `refused: grant_type=authorization_code&code=${R}&code_verifier=${R}&redirect_uri=http://127.0.0.1:1/cb`],
    ["grant_type=refresh_token&refresh_token=rt-plain9&client_secret=cs-plain9", `grant_type=refresh_token&refresh_token=${R}&client_secret=${R}`],
    ["http://127.0.0.1:5/callback?code=abcDEF123&state=xyz", `http://127.0.0.1:5/callback?code=${R}&state=xyz`],
    ['{"device_code": "GmRhmhcxhw"}', `{"device_code": "${R}"}`],
    ["AWS_SECRET_ACCESS_KEY=plainAws AWS_ACCESS_KEY_ID=xid", `AWS_SECRET_ACCESS_KEY=${R} AWS_ACCESS_KEY_ID=xid`],
    ["GITHUB_TOKEN2=plainvalue", `GITHUB_TOKEN2=${R}`],
    ["clientSecret: plainCS, accessToken: plainAT", `clientSecret: ${R}, accessToken: ${R}`],
    ["DB_PASSWORD='quoted pw' SECRET=\"dq\"", `DB_PASSWORD='${R}' SECRET="${R}"`],
    // dotted words are a value unless they name a kind of secret (a Toolkit `<server>.<key>` name)
    ["password: correct.horse.battery", `password: ${R}`],
    ['{"secret": "my.cat.name"}', `{"secret": "${R}"}`],
    ["API_KEY=prod.blue", `API_KEY=${R}`],
  ]
  for (const [text, want] of cases) test(text, () => expect(redactString(text)).toBe(want))
})

describe("a secret's name where its value would be stays (Docker MCP Toolkit `<server>.<key>`, Secrets Engine paths)", () => {
  for (const text of ['{"key": "github.token"}', "secret: github.personal_access_token", "password: se://docker/mcp/postgres.url", 'api_key: "notion.api_key"'])
    test(text, () => expect(redactString(text)).toBe(text))
})

describe("ordinary text stays as it is", () => {
  const kept = [
    "key=value",
    "mode=fast limit=10 key: name sort_key=name",
    "token_type=bearer TOKEN_FILE=/run/x max_tokens=100 auth_mode=oauth tokenizer=bpe",
    "SORT_KEY=name PARTITION_KEY=tenant OPENAI_MAX_OUTPUT_TOKENS=4096 maxTokens=128000",
    "Error: GITHUB_PERSONAL_ACCESS_TOKEN environment variable is required",
    "BRAVE_API_KEY: not set",
    "token: The token you gave is invalid",
    "Invalid token: expired.",
    "Invalid auth: token is missing",
    "Usage: server --token <token> [--api-key KEY] --access-token=TOKEN",
    "--token is required",
    "pw: 2 of 3, creds: The creds you gave are wrong, DB_PW_FILE=/run/secrets/pw",
    "q=max_tokens%3D100%26sort_key%3Dname%26token%3Dnull%26api_key%3D%24%7Benv%3AX%7D https%3A%2F%2Fh%2Fx%3Fpage%3D2",
    "use `token` here, the `password` field, <token_type>bearer</token_type> <password></password> <password>${PW}</password> <key>name</key>",
    '["--token", "--verbose"] ["--token", "required"] ["--max-tokens", "128000"] ["--token", "<token>"]',
    'Set it in servers.x.env: { GITHUB_TOKEN: "${env:GITHUB_TOKEN}" }',
    "Authorization: Bearer <token> required (http.token or MCPO_HTTP_TOKEN)",
    "Authorization: required for this route",
    "see https://example.com/?q=1&page=2 and ssh://git@github.com/x",
    "user@example.com wrote key: value",
    "pass: 3 of 4; password=; token: null; api_key: undefined",
    "Rust: std::token::Token, a => b, token == x",
    "at Object.<anonymous> (/srv/token.js:12:3)",
    "servers.github.env.GITHUB_TOKEN: Expected string, received number",
    `already GITHUB_TOKEN=${R} and "password": "${R}"`,
    "exit code=1, error code: E_FAIL, status code=503&retry=1, https://x.example/?page=2&code=404",
    "qr_code=abc123 zip_code=90210 verifier=cosign",
  ]
  for (const text of kept) test(text, () => expect(redactString(text)).toBe(text))
})

describe("a configured value base64-encoded in text", () => {
  test("alone, URL-safe, or as Basic's user:value, it is masked; other base64 stays", () => {
    const v = "configured-canary-9f3a~?>"
    registerSecret(v, "test")
    const text = `credential ${btoa(v)} refused; basic ${btoa(`user:${v}`)}; url ${Buffer.from(v).toString("base64url")}; other ${btoa("nothing secret in here")}`
    expect(redactString(text)).toBe(`credential ${R} refused; basic ${R}; url ${R}; other ${btoa("nothing secret in here")}`)
  })
})

describe("the exits built on it", () => {
  test("log records (message and string fields) and the stderr ring's lines and tail", () => {
    const lines: string[] = []
    createLogger(createLogHub("debug", (l) => lines.push(l)), "t").warn("child said GITHUB_TOKEN=plainvalue", { text: "password: hunter2" })
    expect(lines.join("")).not.toContain("plainvalue")
    expect(lines.join("")).not.toContain("hunter2")
    const ring = new TextRing()
    // a pair split across two reads of the pipe is masked whole (lines are redacted whole)
    expect(ring.pushLines("start\nGITHUB_TO")).toBe("start\n")
    expect(ring.pushLines("KEN=plainvalue\n")).toBe(`GITHUB_TOKEN=${R}\n`)
    expect(ring.tail()).toBe(`start\nGITHUB_TOKEN=${R}\n`)
    // a failed start's reason, read from the tail, keeps the variable's name for the hint
    const reasonRing = new TextRing()
    reasonRing.push("Error: API key missing\nBRAVE_API_KEY=plainvalue is not valid; set BRAVE_API_KEY\n")
    const reason = stderrReason(reasonRing.tail())
    expect(reason).toBe(`Error: API key missing\nBRAVE_API_KEY=${R} is not valid; set BRAVE_API_KEY`)
  })

  test("a downstream's own data is not touched: successful results and definitions keep such text", () => {
    const result = { content: [{ type: "text", text: "GITHUB_TOKEN=plainvalue password: hunter2 postgres://u:pw@h" }] }
    expect(redactRegistered(result)).toBe(result)
    const list = { tools: [{ name: "t", description: 'Example: {"api_key": "YOUR_KEY_123"}, password: hunter2', inputSchema: { type: "object" } }] }
    expect(redactListResult(list)).toBe(list)
  })
})

test("a header line inside a quoted string ends at its closing quote", () => {
  expect(redactString(`{"h": "Authorization: plaincred", "n": 1} and 'Cookie: a=b' done`)).toBe(`{"h": "Authorization: ${R}", "n": 1} and 'Cookie: ${R}' done`)
  expect(redactString(`"msg":"sent Authorization: Basic dXNlcjpwYXNz\\" ok`)).toBe(`"msg":"sent Authorization: Basic ${R}\\" ok`)
})

test("our own messages that mention a secret's name keep their words", () => {
  for (const text of ['an Origin has no user name or password: use "https://app.example"', "Authorization: Bearer <token> required (http.token or MCPO_HTTP_TOKEN)"]) expect(redactString(text)).toBe(text)
})

test("a text masked once is not masked more by a second pass: a mask that ends a placeholder or splits a quote pair is read again at once", () => {
  registerSecret("configured-canary-9f3a", "test")
  // the two counterexamples the property below found (about 1 run in 40)
  for (const s of ["postgres://--api-key=${env:X}[REDACTED]abc123@GITHUB_TOKEN", '--api-key=\\"[REDACTED]--api-key=\\"']) {
    const once = redactString(s)
    expect(redactString(once)).toBe(once)
  }
})

test("any mix of names, separators, values and encodings: a configured value never survives, and a second pass changes nothing", () => {
  const v = "configured-canary-9f3a"
  registerSecret(v, "test")
  const b64 = btoa(v)
  const parts = ["GITHUB_TOKEN", "password", "api_key", "Authorization", "Cookie", "token", "key", "mode", "=", ":", ": ", " ", "\n", '"', "'", '\\"', "postgres://", "u", "@", "h", "--token", "--api-key=", "Bearer ", "Basic ", "abc123", "hunter2", "The", "is", "<token>", "${env:X}", "?", "&", "sig", v, b64, btoa(`user:${v}`), R, ",", ";", "{", "}", "x"]
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 14 }), (a) => {
      const once = redactString(a.join(""))
      expect(once).not.toContain(v)
      expect(once).not.toContain(b64.replace(/=+$/, ""))
      expect(redactString(once)).toBe(once)
    }),
    { numRuns: 5000 },
  )
})
