/**
 * Classes of configured secrets that passed before qa222: a credential name ending in a setting's
 * suffix (`SECRET_HASH_KEY`), the base64 of a short value, two JSON keys masked into one, and a
 * value a downstream upper-cased or encoded character by character.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { collectEnvSecrets, collectHeaderSecrets, redact, redactRegistered, redactString, registerConfigSecrets, secrets } from "../../src/core/index.ts"
import { redactEncodingsDeep } from "../../src/core/secret-encodings.ts"

const collect = (f: (out: string[]) => void): string[] => {
  const out: string[] = []
  f(out)
  return out
}

afterEach(() => {
  secrets.delete("config")
})

describe("names: a credential word anywhere wins over a setting's suffix", () => {
  test("real servers' credential names hold digit-free word values that are registered", () => {
    const env = {
      SECRET_HASH_KEY: "mysupersecrethashkey",
      AUTH_CACHE_KEY: "authcachevalue",
      PASSWORD_HASH_KEY: "pepperingword",
      TOKEN_PRIMARY_KEY: "tokenprimaryword",
      CLIENT_SECRET_ROUTING_KEY: "clientroutingword",
      ENCRYPTION_HASH_KEY: "encryptionword",
      GITHUB_PERSONAL_ACCESS_TOKEN: "githubpatword",
      SLACK_BOT_TOKEN: "slackbotword",
      BRAVE_API_KEY: "braveapiword",
      AWS_SECRET_ACCESS_KEY: "awssecretword",
      AZURE_CLIENT_SECRET: "azureclientword",
      STRIPE_SECRET_KEY: "stripesecretword",
      POSTGRES_CONNECTION_STRING: "postgresconnword",
      SENTRY_DSN: "sentrydsnword",
      TWILIO_AUTH_TOKEN: "twilioauthword",
      GOOGLE_APPLICATION_CREDENTIALS: "googlecredword",
      SESSION_SECRET: "sessionsecretword",
      secretMaxTokens: "camelsecretword",
      HASHIDS_SALT: "hashidssaltword",
      APP_PEPPER: "pepperword",
    }
    const got = collect((o) => collectEnvSecrets({ ...env, REDIS_URL: "redis://:redispassword@cache:6379", DATABASE_URL: "postgres://app:dbpassword@db/app" }, o))
    for (const v of [...Object.values(env), "redispassword", "dbpassword"]) expect(got).toContain(v)
    expect(collect((o) => collectHeaderSecrets({ "X-Secret-Hash-Key": "headerhashword" }, o))).toContain("headerhashword")
  })

  test("settings stay settings: the suffix alone, and descriptors of a secret (name, URL, path, id)", () => {
    const settings = {
      HASH_KEY: "userid",
      PRIMARY_KEY: "id",
      ROUTING_KEY: "orders.created",
      SORT_KEY: "name",
      MAX_TOKENS: "128000",
      maxTokens: "131072",
      TOKEN_URL: "https://auth.example/token",
      SECRET_NAME: "prod-db",
      PRIVATE_KEY_PATH: "/run/keys/key.pem",
      AUTH_TYPE: "bearer",
      SALT_ROUNDS: "12",
      BCRYPT_SALT_LENGTH: "16",
    }
    const got = collect((o) => collectEnvSecrets(settings, o))
    for (const v of Object.values(settings)) expect(got).not.toContain(v)
  })

  test("text naming such a name masks its value in any case; a setting's stays", () => {
    for (const name of ["SECRET_HASH_KEY", "secret_hash_key", "authCacheKey", "password-hash-key"]) expect(redactString(`${name}=plainwordvalue`)).toBe(`${name}=[REDACTED]`)
    for (const t of ["sort_key=name", "cache_key=users", "HASH_KEY=userid"]) expect(redactString(t)).toBe(t)
  })

  test("a registered credential under such a name is masked in a log line", () => {
    registerConfigSecrets({ servers: { s: { command: "x", env: { SECRET_HASH_KEY: "mysupersecrethashkey" } } } })
    expect(redactString("boot: mysupersecrethashkey")).toBe("boot: [REDACTED]")
  })
})

describe("keys: two keys masked alike both stay", () => {
  test("a result's, a log record's and a plugin's object keyed by two secrets keeps both entries, numbered", () => {
    registerConfigSecrets({ servers: { s: { command: "x", env: { API_TOKEN: "first-hidden-v4lue", DB_PASSWORD: "second-hidden-v4lue" } } } })
    const keyed = { "first-hidden-v4lue": 1, "second-hidden-v4lue": 2, plain: 3 }
    expect(redactRegistered<Record<string, number>>(keyed)).toEqual({ "[REDACTED]": 1, "[REDACTED#2]": 2, plain: 3 })
    expect(redact(keyed)).toEqual({ "[REDACTED]": 1, "[REDACTED#2]": 2, plain: 3 })
    // a key already numbered so is not written over either
    expect(redactRegistered<Record<string, number>>({ "[REDACTED#2]": 0, "first-hidden-v4lue": 1, "second-hidden-v4lue": 2 })).toEqual({ "[REDACTED#2]": 0, "[REDACTED]": 1, "[REDACTED#3]": 2 })
    // a plugin's hook result keyed by two re-encoded secrets (reversed)
    const rev = (s: string): string => [...s].reverse().join("")
    expect(Object.keys(redactEncodingsDeep({ [rev("first-hidden-v4lue")]: 1, [rev("second-hidden-v4lue")]: 2 }) as object)).toEqual(["[REDACTED]", "[REDACTED#2]"])
  })
})

describe("base64 of a short configured value in error text", () => {
  test("whole, padded or not, either alphabet, and a short `user:value` pair", () => {
    registerConfigSecrets({ servers: { s: { command: "x", env: { DB_PASSWORD: "hunter22", API_TOKEN: "ab?>cd" } } } })
    const b64 = (s: string, enc: BufferEncoding = "base64"): string => Buffer.from(s).toString(enc)
    expect(b64("hunter22")).toBe("aHVudGVyMjI=")
    for (const enc of [b64("hunter22"), b64("hunter22").replace(/=+$/, ""), b64("ab?>cd"), b64("ab?>cd", "base64url"), b64("a:hunter22"), b64("bob:hunter22")]) {
      expect(redactString(`login refused for ${enc} (401)`)).toBe("login refused for [REDACTED] (401)")
    }
    // other short base64-looking words stay
    expect(redactString("capabilities initialize aGVsbG8gd29y")).toBe("capabilities initialize aGVsbG8gd29y")
  })
})

describe("a configured value upper- or lower-cased or encoded character by character by a downstream", () => {
  test("masked in a result (object and bytes), an error and a log line", () => {
    registerConfigSecrets({ servers: { s: { command: "x", env: { API_TOKEN: "quietRiver-7f3k" } } } })
    const v = "quietRiver-7f3k"
    const pct = [...Buffer.from(v)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")
    // a mix of cases stays (the model's `Password1` with `password1` configured: test/plugins/encodings-handed)
    expect(redactString("boom QUIETriver-7F3K")).toBe("boom QUIETriver-7F3K")
    const forms = [v.toUpperCase(), v.toLowerCase(), pct, pct.toUpperCase(), [...v].map((c) => `&#${c.charCodeAt(0)};`).join(""), [...v].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join("")]
    for (const f of forms) {
      expect(redactRegistered({ text: `env: ${f}` })).toEqual({ text: "env: [REDACTED]" })
      expect(redactString(`boom ${f}`)).toBe("boom [REDACTED]")
      const json = JSON.stringify({ content: [{ type: "text", text: `x ${f} y` }] })
      const bytes = Buffer.from(json)
      // split in the middle of the value: the seam is scanned too
      const at = json.indexOf(f) + 3
      expect(secrets.testJsonChunks([bytes.subarray(0, at), bytes.subarray(at)])).toBe(true)
    }
  })
})
