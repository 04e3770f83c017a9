/**
 * The secret registry (core/secrets): what configured text counts as a secret, one compiled
 * pattern replacing every spelling, and the redaction points built on it (redactString,
 * redactValues, the stderr ring, error mapping, metrics).
 */
import { afterEach, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { ProtocolError as SdkProtocolError, type CallToolResult } from "@modelcontextprotocol/client"
import {
  collectArgSecrets,
  collectEnvSecrets,
  collectHeaderSecrets,
  collectUrlSecrets,
  DownstreamError,
  JsonBytes,
  REDACTED,
  redactString,
  RawJson,
  redactValues,
  redactValuesChecked,
  registerConfigSecrets,
  registerSecret,
  SecretRegistry,
  secrets,
  WHOLE_TOKEN_BELOW,
} from "../../src/core/index.ts"
import { redactOutgoing, redactResultSecrets, redactToolError, toolErrorResult, toRpcError } from "../../src/mcp/error-map.ts"
import { TextRing } from "../../src/pool/ring-buffer.ts"
import { Metrics } from "../../src/http/metrics.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const collect = (f: (out: string[]) => void): string[] => {
  const out: string[] = []
  f(out)
  return out
}

afterEach(() => {
  secrets.delete("config")
  secrets.delete("test")
})

describe("what is registered", () => {
  test("env: secret-named keys whatever their shape; other values only when they look like credentials", () => {
    const got = collect((o) =>
      collectEnvSecrets(
        {
          API_TOKEN: "hunter2x",
          DB_PASSWORD: "pw12",
          GITHUB_PERSONAL_ACCESS_TOKEN: "ghp_abcdefghijklmnopqrstuvwxyz0123",
          OPENAI_KEY: "sk-abcdefghijklmnop",
          DEBUG_TOKEN: "true", // trivial: not registered
          SECRET_PORT: "8080", // short number: not registered
          PLAIN_RANDOM: "a8F3kLq92Zx7Pm4Tt0qR",
          MEMORY_FILE_PATH: "/home/me/memory.json",
          NODE_ENV: "production",
          LOG_LEVEL: "debug",
          AUTH_PROVIDER: "github", // names that describe a secret, not hold one
          TOKEN_FILE: "/run/secrets/token",
          SESSION_TIMEOUT: "30m",
          AUTH_HEADER: "Bearer inline-env-cred-42", // a descriptor name, but the value carries a credential
          CONN: "postgres://app:S3cret!pw@db/x",
          GOOGLE_SERVICE_ACCOUNT: JSON.stringify({ type: "service_account", client_email: "a@b.iam", private_key: "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n" }),
        },
        o,
      ),
    )
    expect(got).toContain("hunter2x")
    expect(got).toContain("pw12")
    expect(got).toContain("ghp_abcdefghijklmnopqrstuvwxyz0123")
    expect(got).toContain("sk-abcdefghijklmnop")
    expect(got).toContain("a8F3kLq92Zx7Pm4Tt0qR")
    expect(got).toContain("S3cret!pw")
    expect(got).toContain("inline-env-cred-42")
    expect(got).toContain("-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n")
    expect(got).not.toContain("a@b.iam")
    for (const not of ["true", "8080", "/home/me/memory.json", "production", "debug", "github", "/run/secrets/token", "30m"]) expect(got).not.toContain(not)
  })

  test("settings whose name holds a secret word but no credential are not registered (token counts, field keys, algorithms, stores); credentials in them still are (qa70)", () => {
    const settings = {
      MAX_TOKENS: "128000",
      OPENAI_MAX_OUTPUT_TOKENS: "100000",
      TOKENS_PER_MINUTE: "200000",
      maxTokens: "131072",
      TOKENIZER: "cl100k_base",
      JWT_ALGORITHM: "HS256",
      SORT_KEY: "name",
      PARTITION_KEY: "tenant",
      SESSION_STORE: "memory",
      COOKIE_SAMESITE: "strict",
      ACCESS_TOKEN_EXPIRE_MINUTES: "525600",
    }
    const got = collect((o) => collectEnvSecrets({ ...settings, SESSION_BACKEND_URL: "redis://:St0reP4ss@cache:6379", ADMIN_TOKENS: "adm1n-tok", JWT_SECRET: "jwt-s3cret", SESSION_KEY: "sk3y-value", DB_PASS: "pass1" }, o))
    for (const v of Object.values(settings)) expect(got).not.toContain(v)
    for (const v of ["St0reP4ss", "adm1n-tok", "jwt-s3cret", "sk3y-value", "pass1"]) expect(got).toContain(v)
    // the same names as flags and query parameters
    expect([...new Set(collect((o) => collectArgSecrets(["--max-tokens", "128000", "--sort-key", "name", "https://api.example/v1?max_tokens=100000&api_key=q-k3y-9"], o)))]).toEqual(["q-k3y-9"])
  })

  test("args: values after secret-looking flags, --flag=VALUE, KEY=VALUE, URLs, token shapes; nothing else", () => {
    const got = collect((o) =>
      collectArgSecrets(
        [
          "-y",
          "@modelcontextprotocol/server-postgres",
          "--api-key",
          "ak-value-1",
          "--token=tok-value-2",
          "--password",
          "pw-value-3",
          "--client-secret",
          "cs-value-4",
          "-e",
          "GITHUB_TOKEN=gh-value-5",
          "--verbose",
          "--key",
          "--other", // a flag after --key is not its value
          "postgres://app:url-pass-6@db.example/x",
          "https://api.example/v1?access_token=q-value-7&page=2",
          "xoxb-1234567890-abcdef",
          "--header",
          "Authorization: Bearer hdr-arg-8",
          "--description",
          "bearer tokens are checked; Token budget applies", // prose: nothing taken
          "/srv/data",
          "--port",
          "5432",
        ],
        o,
      ),
    )
    expect([...new Set(got)].sort()).toEqual(["ak-value-1", "cs-value-4", "gh-value-5", "pw-value-3", "q-value-7", "tok-value-2", "url-pass-6", "xoxb-1234567890-abcdef", btoa("app:url-pass-6"), "hdr-arg-8"].sort())
  })

  test("env: a password or credentials under a short name (DB_PW, SMTP_PW, PASSCODE, DB_CREDS) are secrets; their _FILE and the like are not (qa166)", () => {
    const got = collect((o) => collectEnvSecrets({ DB_PW: "hunter2isMe", SMTP_PW: "Summer2024!", PASSCODE: "884422", DB_CREDS: "app:s3cret-pw", CREDS: "u:p4ss", DB_PW_FILE: "/run/secrets/pw", VIEWPW: "plain" }, o))
    expect(got.sort()).toEqual(["884422", "Summer2024!", "app:s3cret-pw", "hunter2isMe", "u:p4ss"].sort())
  })

  test("env: a PIN, recovery words and an OTP seed are secrets; a wire's or a version's pin and a random seed are not (qa228)", () => {
    const got = collect((o) =>
      collectEnvSecrets({ PIN: "88224466", DB_PIN: "483920", simPin: "7730011", PIN_CODE: "551204", SEED_PHRASE: "abandon ability able", WALLET_MNEMONIC: "zoo zone zero", TOTP_SEED: "JBSWY3DPEHPK3PXP", GPIO_PIN: "17x7", VERSION_PIN: "1.24.7", CERT_PIN: "sha256/abcd", RANDOM_SEED: "424242", SPINNER: "dots12", PIN_FILE: "/run/pin" }, o),
    )
    expect(got.sort()).toEqual(["88224466", "483920", "7730011", "551204", "abandon ability able", "zoo zone zero", "JBSWY3DPEHPK3PXP"].sort())
  })

  test("args: a bare credential-looking argument (a key passed by position) is registered; package names, versions, paths, ids are not", () => {
    const keys = ["Pq7ZkR3mW9xT2vLb8NcY", "a3f9c2e81b7d4e6f9a0c", "tvly-dev-aB3dE5fG7hI9jK1lM"]
    const words = ["-y", "mcp-server-v2-preview-2025", "mcp-server-sqlite==0.6.2", "ghcr.io/github/github-mcp-server:v0.3.1", "packages/server2/dist/index.js", "@upstash/context7-mcp@1.0.14", "context7-mcp-v1-0-14x", "stdio-transport-2024-11-05", "node20-linux-x64-bundle", "mcp-server-filesystem123", "550e8400-e29b-41d4-a716-446655440000", "0123456789abcdef0123"]
    expect(collect((o) => collectArgSecrets([...words, ...keys], o))).toEqual(keys)
  })

  test("headers: the credential of secret-named headers (Bearer/Basic stripped), credential-looking others", () => {
    const got = collect((o) =>
      collectHeaderSecrets(
        { Authorization: "Bearer bearer-cred-1", "Proxy-Authorization": `Basic ${btoa("me:basic-pw-2")}`, "X-Api-Key": "key3", Accept: "application/json", "X-Trace": "b7Q2mN9xP4kL8wZ3vR6t" },
        o,
      ),
    )
    expect(got).toContain("bearer-cred-1")
    expect(got).toContain("basic-pw-2")
    expect(got).toContain(btoa("me:basic-pw-2"))
    expect(got).toContain("key3")
    expect(got).toContain("b7Q2mN9xP4kL8wZ3vR6t")
    expect(got).not.toContain("application/json")
    expect(got).not.toContain("Bearer bearer-cred-1")
  })

  test("URLs: the password (or a lone user name: a token), never the user name next to a password or the host", () => {
    expect(collect((o) => collectUrlSecrets("https://ghp_tokenAsUser123@github.com/x.git", o))).toEqual(["ghp_tokenAsUser123"])
    const got = collect((o) => collectUrlSecrets("postgres://app:p%40ss-word@db.example:5432/x?sslmode=require&password=qpw-123", o))
    expect(got).toContain("p%40ss-word")
    expect(got).toContain("qpw-123")
    expect(got).not.toContain("app")
    expect(got).not.toContain("require")
  })

  test("capability URLs: a webhook's whole URL by its name, and a credential-looking path segment in any URL; ordinary paths stay", () => {
    const slack = "https://hooks.slack.com/services/T0AB12CD/B0EF34GH/Xo4bRtY7pQ2zLm9KsW1vN8cJ"
    const discord = "https://discord.com/api/webhooks/123456789012345678/AbCdEfGh1234ijklMNOP5678qrstUVWX"
    const env = collect((o) => collectEnvSecrets({ SLACK_WEBHOOK: slack, DISCORD_WEBHOOK_URL: discord, ALERT_HOOK_URL: "https://alerts.example/in", API_URL: "https://api.example.com/v1/projects" }, o))
    expect(env).toContain(slack)
    expect(env).toContain(discord)
    expect(env).toContain("https://alerts.example/in")
    // their token segments too (a tool may print the path alone)
    expect(env).toContain("Xo4bRtY7pQ2zLm9KsW1vN8cJ")
    expect(env).toContain("AbCdEfGh1234ijklMNOP5678qrstUVWX")
    // an ordinary URL under an ordinary name: nothing
    expect(collect((o) => collectEnvSecrets({ API_URL: "https://api.example.com/v1/projects/items" }, o))).toEqual([])
    // a remote server whose key is in its path, given as an argument
    expect(collect((o) => collectArgSecrets(["--url", "https://mcp.example.com/mcp/k7Hq2LmX9pRt4VwZ8nB3/sse"], o))).toContain("k7Hq2LmX9pRt4VwZ8nB3")
    registerConfigSecrets({ servers: { w: { command: "x", env: { SLACK_WEBHOOK: slack } } } })
    expect(redactString(`posting to ${slack}`)).toBe(`posting to ${REDACTED}`)
    expect(redactString("segment Xo4bRtY7pQ2zLm9KsW1vN8cJ alone")).toBe(`segment ${REDACTED} alone`)
  })

  test("hex keys under ordinary names count whatever their draw (a short hex sample repeats digits: 3.3 bits judged 63 % of 16-digit keys none); patterns do not", () => {
    // random draws of 2.9–3.2 bits per character: below the 3.3 a larger alphabet needs
    const keys = ["0f7297a86a2a7212", "794287f77a95288e6aa4", "Sg33fccecefc9323ee1c624", "a2b6590e09b5866f206e20f9"] as const
    const env = collect((o) => collectEnvSecrets(Object.fromEntries(keys.map((k, i) => [`CLIENT_${i}`, k])), o))
    for (const k of keys) expect(env).toContain(k)
    const url = collect((o) => collectArgSecrets([`https://api.example.com/v1/${keys[0]}/feed?client=${keys[2]}`], o))
    expect(url).toContain(keys[0])
    expect(url).toContain(keys[2])
    expect(collect((o) => collectEnvSecrets({ A: "deadbeefdeadbeef", B: "abcabcabcabc1234", C: "0000000000000000a1", D: "2024-01-15T10:30:00Z" }, o))).toEqual([])
  })

  test("a config: every server form, mcpServers too, and http.token; unvalidated input does not throw", () => {
    registerConfigSecrets({
      servers: { a: { command: "x", args: ["--token", "cfg-arg-tok"], env: { SECRET: "cfg-env-sec" } }, b: { url: "https://u:cfg-url-pw@h/x", headers: { Authorization: "Bearer cfg-hdr" } } },
      mcpServers: { c: { command: "y", env: { API_KEY: "cfg-mcp-key" } } },
      http: { token: "cfg-http-token-0123456789" },
    })
    const text = "cfg-arg-tok cfg-env-sec cfg-url-pw cfg-hdr cfg-mcp-key cfg-http-token-0123456789"
    expect(redactString(text)).toBe(Array(6).fill(REDACTED).join(" "))
    for (const junk of [{ servers: "x" }, { servers: { a: null, b: { env: [1], args: "no", headers: 3, url: 4 } } }, { http: "x" }, {}]) {
      expect(() => registerConfigSecrets(junk as Record<string, unknown>)).not.toThrow()
    }
  })

  test("a new config replaces the old one's values (group), runtime registrations stay", () => {
    registerConfigSecrets({ servers: { a: { command: "x", env: { TOKEN: "first-config-value" } } } })
    registerSecret("runtime-added-value", "test")
    expect(redactString("first-config-value")).toBe(REDACTED)
    registerConfigSecrets({ servers: { a: { command: "x", env: { TOKEN: "second-config-value" } } } })
    expect(redactString("first-config-value second-config-value runtime-added-value")).toBe(`first-config-value ${REDACTED} ${REDACTED}`)
  })
})

describe("values that would mask identifiers and hide nothing", () => {
  test("a password equal to its server's name (POSTGRES_PASSWORD=postgres) or a published default (admin, root) is not registered; a real one next to it is", () => {
    registerConfigSecrets({
      servers: {
        postgres: { command: "x", env: { POSTGRES_PASSWORD: "postgres", POSTGRES_USER_TOKEN: "pg-tok-4f9a11" } },
        Redis: { command: "x", env: { REDIS_PASSWORD: "redis" } },
        db: { command: "x", env: { DB_PASS: "admin", ROOT_PASSWORD: "Root", DB_SECRET: "admin-8Jq2" } },
      },
    })
    // the server's tools stay callable as listed, its schema keys and descriptions keep their words
    const definition = { name: "postgres__query", description: "Query Redis or postgres as admin (root)", inputSchema: { type: "object", properties: { admin: { type: "boolean" } } } }
    expect(redactValues(definition)).toEqual(definition)
    // a real secret of the same servers still is masked
    expect(redactString("tok pg-tok-4f9a11 and admin-8Jq2")).toBe(`tok ${REDACTED} and ${REDACTED}`)
  })

  test("a longer password that merely contains the server's name is still a secret", () => {
    registerConfigSecrets({ servers: { postgres: { command: "x", env: { POSTGRES_PASSWORD: "postgres-prod-77" } } } })
    expect(redactString("pw postgres-prod-77")).toBe(`pw ${REDACTED}`)
    expect(redactString("postgres__query")).toBe("postgres__query")
  })
})

describe("matching", () => {
  test("longest first: a value containing another is replaced whole", () => {
    const r = new SecretRegistry()
    r.set("g", ["abcd1234", "abcd1234efgh5678"])
    expect(r.redact("x abcd1234efgh5678 y abcd1234 z")).toBe(`x ${REDACTED} y ${REDACTED} z`)
  })

  test("regex metacharacters in values are literal; JSON-escaped and URL-encoded spellings are caught", () => {
    const r = new SecretRegistry()
    r.set("g", ['p.a*s+s?(w)[o]{r}d|$^\\"x'])
    expect(r.redact("pXaXsXs")).toBe("pXaXsXs")
    expect(r.redact(`<p.a*s+s?(w)[o]{r}d|$^\\"x>`)).toBe(`<${REDACTED}>`)
    expect(r.redact(JSON.stringify({ v: 'p.a*s+s?(w)[o]{r}d|$^\\"x' }))).toBe(`{"v":"${REDACTED}"}`)
    expect(r.redact(`u=${encodeURIComponent('p.a*s+s?(w)[o]{r}d|$^\\"x')}`)).toBe(`u=${REDACTED}`)
  })

  test("a multi-line secret written with \\n escapes (a PEM key in an env value): found with real line breaks, and line by line; its armour and a JSON document's plain lines are not", () => {
    const body1 = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"
    const body2 = "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu"
    const pem = `-----BEGIN PRIVATE KEY-----\\n${body1}\\n${body2}\\n-----END PRIVATE KEY-----\\n`
    registerConfigSecrets({ servers: { g: { command: "x", env: { GOOGLE_PRIVATE_KEY: pem } } } })
    const printed = pem.replaceAll("\\n", "\n")
    for (const text of [printed, printed.replaceAll("\n", "\r\n"), JSON.stringify({ key: printed }), pem]) {
      const out = redactString(text)
      expect(out).not.toContain(body1)
      expect(out).not.toContain(body2)
    }
    expect(secrets.redact(`error: bad line ${body2} at 3`)).toBe(`error: bad line ${REDACTED} at 3`)
    expect(secrets.redact("-----BEGIN PRIVATE KEY-----")).toBe("-----BEGIN PRIVATE KEY-----")
    // a service account's JSON under a secret-named key: its plain lines stay
    const sa = '{\n  "type": "service_account",\n  "project_id": "my-project-123456",\n  "private_key_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3"\n}'
    registerConfigSecrets({ servers: { g: { command: "x", env: { GOOGLE_CREDENTIALS: sa } } } })
    expect(secrets.redact('"type": "service_account",')).toBe('"type": "service_account",')
    expect(secrets.redact("0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3")).toBe(REDACTED)
  })

  test("every body line of a PEM key is found alone, also one that starts with / or + (base64 draws them: one key in four had such a line)", () => {
    // random keys, each body line at its draw: some start with "/" (which reads as a path) or "+"
    for (let k = 0; k < 40; k++) {
      const lines = Array.from({ length: 3 }, () => Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString("base64"))
      lines[1] = `/${lines[1]!.slice(1)}`
      lines[2] = `+${lines[2]!.slice(1)}`
      const r = new SecretRegistry()
      r.set("g", [`-----BEGIN PRIVATE KEY-----\\n${lines.join("\\n")}\\n-----END PRIVATE KEY-----\\n`])
      for (const l of lines) expect(r.redact(`bad line ${l}\n`)).toBe(`bad line ${REDACTED}\n`)
    }
  })

  test("many long secrets (a hundred PEM keys' spellings) neither throw nor go unmatched: the patterns are split over several expressions", () => {
    const r = new SecretRegistry()
    const keys = Array.from({ length: 100 }, () => Array.from({ length: 3 }, () => Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString("base64").replace(/^[/+]/, "A")))
    keys.forEach((lines, i) => r.add(`g${i}`, `-----BEGIN PRIVATE KEY-----\\n${lines.join("\\n")}\\n-----END PRIVATE KEY-----\\n`))
    const text = `first ${keys[0]![0]} last ${keys[99]![2]} and ${keys[50]![1]}`
    expect(r.test(text)).toBe(true)
    expect(r.redact(text)).toBe(`first ${REDACTED} last ${REDACTED} and ${REDACTED}`)
    expect(r.cutBefore(`xx ${keys[99]![2]}`, 10)).toBe(3)
    expect(r.redactBytes(new TextEncoder().encode(`a ${keys[99]![0]}`))?.toString()).toBe(`a ${REDACTED}`)
  })

  test("short and trivial values are not taken by add(); the same value is found in any group", () => {
    const r = new SecretRegistry()
    expect(r.add("g", "abc")).toBe(false)
    expect(r.add("g", "false")).toBe(false)
    expect(r.add("g", "1234")).toBe(false)
    expect(r.add("g", "abcd")).toBe(true)
    expect(r.has("abcd")).toBe(true)
    expect(r.redact("false 1234 abc abcd")).toBe(`false 1234 abc ${REDACTED}`)
  })

  test("property: a registered value never appears in the redaction of any text around it", () => {
    const tokenChar = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=:@!%")
    const secret = fc.string({ unit: tokenChar, minLength: 4, maxLength: 40 }).filter((s) => !/^\d{1,5}$/.test(s) && !["true", "false", "null", "none", "yes"].includes(s.toLowerCase()))
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 6 }), fc.array(fc.string({ unit: "binary", maxLength: 30 }), { minLength: 2, maxLength: 8 }), (values, parts) => {
        const r = new SecretRegistry()
        r.set("g", values)
        // every value placed somewhere between random text, some twice; a short one (under
        // WHOLE_TOKEN_BELOW characters) is matched as a whole token: a separator on each side
        const placed = (v: string): string => (v.length < WHOLE_TOKEN_BELOW ? ` ${v} ` : v)
        let text = parts[0]!
        for (let i = 1; i < parts.length; i++) text += placed(values[i % values.length]!) + parts[i]!
        text += values.map(placed).join("")
        const out = r.redact(text)
        for (const v of values) expect(out.includes(v)).toBe(false)
      }),
      { numRuns: 500 },
    )
  })

  test("property: text without registered values comes back unchanged (same string)", () => {
    const r = new SecretRegistry()
    r.set("g", ["Zq9-unique-secret-value"])
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        fc.pre(!s.includes("Zq9"))
        expect(r.redact(s)).toBe(s)
      }),
    )
  })
})

describe("successful results: only the configured values", () => {
  test("testChunks finds a value inside a chunk and across every seam, never a near miss", () => {
    const r = new SecretRegistry()
    expect(r.testChunks([new TextEncoder().encode("anything")])).toBe(false) // nothing registered
    r.set("g", ["chunk-secret-0123456789"])
    const bytes = new TextEncoder().encode(`${"a".repeat(100)}chunk-secret-0123456789${"b".repeat(100)}`)
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(r.testChunks([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(true)
    }
    const near = new TextEncoder().encode("chunk-secret-012345678X")
    expect(r.testChunks([near.subarray(0, 10), near.subarray(10)])).toBe(false)
  })

  test("redactResultSecrets: configured values out of text, structuredContent and a large result's bytes; look-alikes and clean results untouched (same object)", () => {
    registerSecret("result-secret-0123456789", "test-results")
    const clean = { content: [{ type: "text", text: "sk-live-abcdefabcdefabcdefabcdef looks like a key but is not configured" }] }
    expect(redactResultSecrets(clean)).toBe(clean)
    const leak = { content: [{ type: "text", text: "KEY=result-secret-0123456789" }], structuredContent: { env: { KEY: "result-secret-0123456789" } } }
    expect(redactResultSecrets(leak)).toEqual({ content: [{ type: "text", text: `KEY=${REDACTED}` }], structuredContent: { env: { KEY: REDACTED } } })
    const text = JSON.stringify({ content: [{ type: "text", text: `${"x".repeat(300_000)}result-secret-0123456789` }] })
    const enc = new TextEncoder().encode(text)
    const big = new RawJson<CallToolResult>(undefined, new JsonBytes([enc.subarray(0, 300_010), enc.subarray(300_010)], enc.byteLength, false))
    const out = redactResultSecrets(big) as unknown as CallToolResult
    expect(out).not.toBeInstanceOf(RawJson)
    expect((out.content[0] as { text: string }).text.endsWith(REDACTED)).toBe(true)
    const plain = new RawJson<CallToolResult>(undefined, new JsonBytes([new TextEncoder().encode('{"content":[]}')], 14, false))
    expect(redactResultSecrets(plain)).toBe(plain)
  })

  test("URL spellings of other encoders: lowercase hex, a form's + for a space", () => {
    const r = new SecretRegistry()
    r.set("g", ["p@ss/w0rd phrase"])
    for (const t of ["q=p%40ss%2Fw0rd%20phrase", "q=p%40ss%2fw0rd%20phrase", "q=p%40ss%2Fw0rd+phrase"]) expect(r.redact(t)).toBe(`q=${REDACTED}`)
  })

  test("spellings of other encoders and escapers: a form body, encodeURI, RFC 3986 (with and without /), HTML, JSON twice; a value configured encoded too (qa70)", () => {
    const r = new SecretRegistry()
    const pw = `Pw!(x)'y~z/ q&r"s<t>9`
    r.set("g", [pw, "pre%21encoded%2Fvalue"])
    const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    const spelled = [
      new URLSearchParams({ p: pw }).toString().slice(2),
      encodeURI(pw),
      rfc3986(pw),
      rfc3986(pw).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()).replaceAll("%2f", "/"),
      rfc3986(pw).replaceAll("%20", "+"),
      Bun.escapeHTML(pw),
      pw.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;"),
      JSON.stringify(JSON.stringify(pw)).slice(3, -3),
      // the encoded value decoded, then spelled by another encoder
      new URLSearchParams({ p: "pre!encoded/value" }).toString().slice(2),
    ]
    for (const t of spelled) expect(r.redact(`a ${t} b`)).toBe(`a ${REDACTED} b`)
    // nothing else: a value without such characters has its own spelling, upper- and lower-cased,
    // its every-character escapes (`%50%6C…`, `%50%6c…`, `&#80;&#108;…`, `&#x50;…`: qa222), and its
    // hex (either case) and base64 (whole, unpadded, and the part it decides at each of three byte
    // alignments; its base64url is the same here) only (qa228)
    const plain = new SecretRegistry()
    plain.set("g", ["PlainToken0123456789"])
    expect(plain.size).toBe(14)
  })

  test("NAME=VALUE credentials inside a longer text (connection strings, --env=KEY=V); short or descriptive ones are not", () => {
    const env = collect((out) => collectEnvSecrets({ DATABASE_URL: "Server=tcp:db;User Id=sa;Password='p;w0rd!x';", PG: "host=db password=libpqPw1 sslmode=require", OPTS: "sort=asc key=name auth_type=bearer token_file=/run/tok session=default" }, out))
    expect(env).toEqual(["p;w0rd!x", "libpqPw1"])
    expect(collect((out) => collectArgSecrets(["--env=API_KEY=dockerKey1", "--log-level=debug", "Data Source=x;Pwd=mssqlPw9"], out))).toEqual(["dockerKey1", "mssqlPw9"])
  })

  test("a resource blob holding a configured value: its decoded bytes redacted, still base64 of its alphabet and padding; other blobs untouched", () => {
    registerSecret("blob-sëcret-0123456789", "test")
    const file = (n: number) => `${"#".repeat(n)}\nTOKEN=blob-sëcret-0123456789\nDEBUG=1\n`
    for (let n = 0; n < 6; n++) {
      for (const [alphabet, pad] of [["base64", true], ["base64url", false]] as const) {
        const blob = Buffer.from(file(n)).toString(alphabet)
        const out = redactResultSecrets({ contents: [{ uri: "file:///.env", blob }] })
        const got = out.contents[0]!.blob
        expect(Buffer.from(got, alphabet).toString()).toBe(file(n).replace("blob-sëcret-0123456789", REDACTED))
        // standard stays padded; URL-safe stays URL-safe (no + or /)
        expect(pad ? got.length % 4 === 0 && /^[A-Za-z0-9+/]+=*$/.test(got) : /^[A-Za-z0-9_-]+=*$/.test(got)).toBe(true)
        // the large-result path: raw bytes with the blob, found without a text match
        const json = new TextEncoder().encode(JSON.stringify({ content: [{ type: "resource", resource: { uri: "file:///.env", blob } }] }))
        const raw = new RawJson<CallToolResult>(undefined, new JsonBytes([json.subarray(0, 30), json.subarray(30)], json.byteLength, false))
        const r = redactResultSecrets(raw) as unknown as CallToolResult
        expect(r).not.toBeInstanceOf(RawJson)
        expect(Buffer.from((r.content[0] as { resource: { blob: string } }).resource.blob, alphabet).toString()).toContain(REDACTED)
      }
    }
    const clean = { contents: [{ uri: "file:///a.bin", blob: Buffer.from("nothing to see \u0000\u00ff").toString("base64") }] }
    expect(redactResultSecrets(clean)).toBe(clean)
    const rawClean = new RawJson<CallToolResult>(undefined, JSON.stringify({ content: [{ type: "resource", resource: { uri: "file:///a", blob: "aGVsbG8=" } }] }))
    expect(redactResultSecrets(rawClean)).toBe(rawClean)
  })
})

describe("redaction points", () => {
  test("redactValues scrubs strings at any depth, keeps keys, numbers and identity when clean", () => {
    registerSecret("deep-secret-value", "test")
    const clean = { a: [1, { b: "fine" }], n: 3 }
    expect(redactValues(clean)).toBe(clean)
    const dirty = { token: 5, list: ["x", { note: "has deep-secret-value inside" }], ok: "fine" }
    const out = redactValues(dirty)
    expect(out).toEqual({ token: 5, list: ["x", { note: `has ${REDACTED} inside` }], ok: "fine" })
    expect(out.ok).toBe("fine")
    expect(dirty.list[1]).toEqual({ note: "has deep-secret-value inside" }) // input untouched
  })

  test("redactValuesChecked: one scan of the JSON text decides; a secret that JSON escapes is still found", () => {
    registerSecret('quote"back\\slash-secret', "test")
    const clean = { tools: [{ name: "a", description: "plain" }] }
    expect(redactValuesChecked(clean)).toBe(clean)
    const dirty = { tools: [{ name: "a", description: 'has quote"back\\slash-secret in it' }] }
    expect(redactValuesChecked(dirty)).toEqual({ tools: [{ name: "a", description: `has ${REDACTED} in it` }] })
    // a downstream isError result kept as its exact text: scanned as text, parsed only when needed
    const rawOf = (v: CallToolResult) => new RawJson<CallToolResult>(v, JSON.stringify(v))
    const raw = rawOf({ isError: true, content: [{ type: "text", text: "fine" }] })
    expect(redactToolError(raw)).toBe(raw)
    const leaky = rawOf({ isError: true, content: [{ type: "text", text: 'quote"back\\slash-secret' }] })
    expect(JSON.stringify(redactToolError(leaky))).not.toContain("slash-secret")
  })

  test("errors: tool errors, JSON-RPC errors (mapped, relayed downstream, and SDK ProtocolErrors) and outgoing protocol messages", () => {
    registerSecret("err-secret-value", "test")
    expect(JSON.stringify(toolErrorResult(new DownstreamError("SERVER_UNAVAILABLE", "stderr: err-secret-value")))).not.toContain("err-secret-value")
    const relayed = Object.assign(new DownstreamError("DOWNSTREAM_RPC_ERROR", "bad err-secret-value"), { rpcCode: -32000, data: { note: "err-secret-value", token: "x" } })
    const e = toRpcError(relayed)
    expect(e.message + JSON.stringify(e.data)).not.toContain("err-secret-value")
    const sdk = toRpcError(new SdkProtocolError(-32001, "remote said err-secret-value", { echo: "err-secret-value" }))
    expect(sdk.code).toBe(-32001)
    expect(sdk.message + JSON.stringify(sdk.data)).not.toContain("err-secret-value")
    const out = redactOutgoing({ jsonrpc: "2.0", id: 1, error: { code: -32603, message: "boom err-secret-value", data: ["err-secret-value"] } })
    expect(JSON.stringify(out)).not.toContain("err-secret-value")
    const note = redactOutgoing({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", logger: "err-secret-value", data: { m: "err-secret-value" } } })
    expect(JSON.stringify(note)).not.toContain("err-secret-value")
    const result = { jsonrpc: "2.0" as const, id: 2, result: { content: [] } }
    expect(redactOutgoing(result)).toBe(result)
    // a downstream's successful tool result is its data: relayed as is (not scanned)
    const data = { jsonrpc: "2.0" as const, id: 3, result: { content: [{ type: "text", text: "err-secret-value" }] } }
    expect(redactOutgoing(data)).toBe(data)
    // list answers (definitions reach the model), progress and relayed requests are scrubbed
    const list = redactOutgoing({ jsonrpc: "2.0", id: 4, result: { tools: [{ name: "t", description: "uses err-secret-value", inputSchema: { type: "object" } }] } })
    expect(JSON.stringify(list)).not.toContain("err-secret-value")
    const progress = redactOutgoing({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1, progress: 1, message: "err-secret-value" } })
    expect(JSON.stringify(progress)).not.toContain("err-secret-value")
    const ask = redactOutgoing({ jsonrpc: "2.0", id: 5, method: "elicitation/create", params: { message: "confirm err-secret-value", requestedSchema: { type: "object", properties: {} } } })
    expect(JSON.stringify(ask)).not.toContain("err-secret-value")
    const failed = { isError: true, content: [{ type: "text" as const, text: "my env: err-secret-value" }] }
    expect(JSON.stringify(redactToolError(failed))).not.toContain("err-secret-value")
  })

  test("stderr ring: a tail cut inside a secret shows none of it; a secret split across reads is logged whole", () => {
    registerSecret("RING-secret-0123456789", "test")
    const ring = new TextRing(1024)
    ring.push("x".repeat(100) + "RING-secret-0123456789" + "y".repeat(5))
    // the last 12 characters start inside the secret: redacted before the cut
    expect(ring.tail(12)).toBe(`${REDACTED.slice(-7)}yyyyy`)
    expect(ring.tail(12)).not.toContain("0123456789")
    const lines = new TextRing(1024)
    expect(lines.pushLines("starting with RING-sec")).toBe("")
    expect(lines.pushLines("ret-0123456789 ok\nnext ")).toBe(`starting with ${REDACTED} ok\n`)
    expect(lines.flushLines()).toBe("next ")
    // a long line is redacted before it is cut for the log
    const long = new TextRing(1 << 16)
    const cut = long.pushLines("a".repeat(1990) + "RING-secret-0123456789\n")
    expect(cut).not.toContain("RING-sec")
  })

  test("text spelling a configured value with JSON escapes (`\\/` as PHP writes it, `\\u` as Go and Python do) is redacted in log lines, error texts and the stderr ring (qa166)", () => {
    registerSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "test")
    registerSecret("pa<ss>w&rd-Q9x", "test")
    const texts = [
      '{"aws":"wJalrXUtnFEMI\\/K7MDENG\\/bPxRfiCYEXAMPLEKEY","ok":1}',
      "key=\\u0077JalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      '{"p":"pa\\u003css\\u003ew\\u0026rd-Q9x"}',
    ]
    for (const t of texts) {
      expect(redactString(t)).toContain(REDACTED)
      expect(redactString(t)).not.toMatch(/JalrX|rd-Q9x/)
    }
    expect(redactString('{"aws":"wJalrXUtnFEMI\\/K7MDENG\\/bPxRfiCYEXAMPLEKEY","ok":1}')).toBe(`{"aws":"${REDACTED}","ok":1}`)
    // other escapes stay as written
    expect(redactString('{"path":"a\\/b","name":"\\u00e9t\\u00e9"}')).toBe('{"path":"a\\/b","name":"\\u00e9t\\u00e9"}')
    const ring = new TextRing(1 << 16)
    expect(ring.pushLines(texts.join("\n") + "\n")).not.toMatch(/JalrX|rd-Q9x/)
  })

  test("metrics: label values are redacted in the exposition", async () => {
    registerSecret("metric-secret-value", "test")
    const m = new Metrics({ defaultMetrics: false })
    m.observeToolCall({ tool: "t-metric-secret-value", server: "s", outcome: "ok", durationMs: 1 })
    const text = await m.render()
    expect(text).toContain("mcpo_tool_calls_total")
    expect(text).not.toContain("metric-secret-value")
  })
})
