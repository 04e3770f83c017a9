/**
 * Classes of configured secrets that passed before qa222: a credential name ending in a setting's
 * suffix (`SECRET_HASH_KEY`), the base64 of a short value, two JSON keys masked into one, and a
 * value a downstream upper-cased or encoded character by character.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { collectEnvSecrets, collectHeaderSecrets, redactString, registerConfigSecrets, secrets } from "../../src/core/index.ts"

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
    }
    const got = collect((o) => collectEnvSecrets(settings, o))
    for (const v of Object.values(settings)) expect(got).not.toContain(v)
  })

  test("a registered credential under such a name is masked in a log line", () => {
    registerConfigSecrets({ servers: { s: { command: "x", env: { SECRET_HASH_KEY: "mysupersecrethashkey" } } } })
    expect(redactString("boot: mysupersecrethashkey")).toBe("boot: [REDACTED]")
  })
})
